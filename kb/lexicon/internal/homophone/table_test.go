package homophone

import (
	"bytes"
	"encoding/binary"
	"flag"
	"os"
	"slices"
	"testing"

	"github.com/mozillazg/go-pinyin"
	"golang.org/x/text/encoding/simplifiedchinese"
)

var update = flag.Bool("update", false, "rewrite table.bin from go-pinyin")

// build makes the table from go-pinyin's readings of the characters of
// GB 2312.
func build(t *testing.T) []byte {
	args := pinyin.NewArgs()
	args.Style, args.Heteronym = pinyin.Normal, true
	enc := simplifiedchinese.GBK.NewEncoder()
	bySyl := map[string][]rune{}
	sylsOf := map[rune][]string{}
	for r := rune(first); r <= last; r++ {
		b, err := enc.Bytes([]byte(string(r)))
		if err != nil || len(b) != 2 || b[0] < 0xB0 || b[0] > 0xF7 || b[1] < 0xA1 || b[1] > 0xFE {
			continue // not a character of GB 2312
		}
		rs := pinyin.Pinyin(string(r), args)
		if len(rs) != 1 {
			continue
		}
		var syls []string
		for _, s := range rs[0] {
			if s != "" && !slices.Contains(syls, s) && len(syls) < readings {
				syls = append(syls, s)
			}
		}
		sylsOf[r] = syls
		for _, s := range syls {
			bySyl[s] = append(bySyl[s], r)
		}
	}
	var names []string
	for s := range bySyl {
		names = append(names, s)
	}
	slices.Sort(names)
	index := map[string]int{}
	var buf bytes.Buffer
	le := func(v any) {
		if err := binary.Write(&buf, binary.LittleEndian, v); err != nil {
			t.Fatal(err)
		}
	}
	buf.WriteString("HOM1")
	le(uint16(len(names)))
	n := 0
	for i, s := range names {
		index[s] = i + 1
		le(uint32(n))
		n += len(bySyl[s])
	}
	le(uint32(n))
	for _, s := range names {
		for _, r := range bySyl[s] {
			le(uint16(r - first))
		}
	}
	for r := rune(first); r <= last; r++ {
		for k := range readings {
			var id uint16
			if syls := sylsOf[r]; k < len(syls) {
				id = uint16(index[syls[k]])
			}
			le(id)
		}
	}
	return buf.Bytes()
}

// TestTable fails when table.bin is not what go-pinyin gives today.
func TestTable(t *testing.T) {
	want := build(t)
	if *update {
		if err := os.WriteFile("table.bin", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if table != string(want) {
		t.Fatal("table.bin is stale: run go generate ./kb/lexicon/internal/homophone")
	}
}

func TestSame(t *testing.T) {
	for _, c := range []struct {
		a, b rune
		want bool
	}{
		{'级', '圾', true},  // jí, jī
		{'见', '建', true},  // jiàn
		{'行', '星', true},  // xíng, xīng
		{'行', '航', false}, // háng is not 行's first reading
		{'有', '未', false}, // nor wèi 有's
		{'垃', '圾', false}, // lā, jī
		{'级', '级', false}, // the same character is no slip
		{'容', '荣', true},  // róng
		{'a', '啊', false}, // outside the table
	} {
		if got := Same(c.a, c.b); got != c.want {
			t.Errorf("Same(%c, %c) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func BenchmarkEach(b *testing.B) {
	for b.Loop() {
		Each('一', func(rune) bool { return true }) // yi: the most characters
	}
}
