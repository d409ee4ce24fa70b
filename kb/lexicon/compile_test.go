package lexicon

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"flag"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/towndesk/towndesk"
)

var update = flag.Bool("update", false, "rewrite lexicon.bin from synonyms.txt and the frames, fillers and hints (go generate)")

// compileLexicon builds lexicon.bin (the layout is described at table)
// from the text of synonyms.txt and the frames, fillers and hints.
func compileLexicon(synText string) ([]byte, error) {
	syn, err := ParseSynonyms(strings.NewReader(synText), "synonyms.txt")
	if err != nil {
		return nil, err
	}
	if syn.Groups() > 1<<16 {
		return nil, fmt.Errorf("%d synonym groups: the table numbers them in 16 bits", syn.Groups())
	}
	kinds := map[string]Kind{}
	add := func(w string, k Kind) {
		if k > kinds[w] {
			kinds[w] = k
		}
	}
	for w := range syn.byTerm {
		add(w, Synonym)
	}
	for w := range hints {
		add(w, Hint)
	}
	for w := range fillers() {
		add(w, Filler)
	}
	type meaning struct {
		category string
		intent   towndesk.Intent
	}
	var meanings []meaning
	for w, f := range frames() {
		add(w, Frame)
		meanings = append(meanings, meaning{f.category, f.intent})
	}
	slices.SortFunc(meanings, func(a, b meaning) int {
		return cmp.Or(cmp.Compare(a.category, b.category), cmp.Compare(a.intent, b.intent))
	})
	meanings = slices.Compact(meanings)
	if len(meanings) > 254 {
		return nil, fmt.Errorf("%d frame meanings: the table numbers them in 8 bits", len(meanings))
	}
	words := make([]string, 0, len(kinds))
	for w := range kinds {
		words = append(words, w)
	}
	sort.Strings(words)
	number := make(map[string]int, len(words))
	for i, w := range words {
		number[w] = i
	}

	le := binary.LittleEndian
	var wordEnd, info, refEnd, refs, offEnd, flags, offs, strEnd, strText, text []byte
	for _, w := range words {
		text = append(text, w...)
		wordEnd = le.AppendUint32(wordEnd, uint32(len(text)))
		v := uint16(kinds[w])
		if f, ok := frames()[w]; ok {
			v |= uint16(slices.Index(meanings, meaning{f.category, f.intent})+1) << 8
		}
		info = le.AppendUint16(info, v)
		for _, g := range syn.byTerm[w] {
			refs = le.AppendUint16(refs, uint16(g))
		}
		refEnd = le.AppendUint32(refEnd, uint32(len(refs)/2))
	}
	for g, official := range syn.groups {
		for _, t := range official {
			offs = le.AppendUint32(offs, uint32(number[t]))
		}
		offEnd = le.AppendUint32(offEnd, uint32(len(offs)/4))
		var f uint16
		if syn.outside[g] {
			f |= 1
		}
		flags = le.AppendUint16(flags, f)
	}
	for _, m := range meanings {
		for _, s := range []string{m.category, string(m.intent)} {
			strText = append(strText, s...)
			strEnd = le.AppendUint32(strEnd, uint32(len(strText)))
		}
	}
	out := []byte(compiledMagic)
	out = le.AppendUint32(out, uint32(len(words)))
	out = le.AppendUint32(out, uint32(len(syn.groups)))
	out = le.AppendUint32(out, uint32(2*len(meanings)))
	for _, sec := range [][]byte{wordEnd, info, refEnd, refs, offEnd, flags, offs, strEnd, strText, text} {
		out = append(out, sec...)
	}
	return out, nil
}

// TestCompiledLexicon fails when lexicon.bin is not what its sources
// compile to; go generate (go test -run TestCompiledLexicon -update)
// rewrites it.
func TestCompiledLexicon(t *testing.T) {
	src, err := os.ReadFile("synonyms.txt")
	if err != nil {
		t.Fatal(err)
	}
	want, err := compileLexicon(string(src))
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("lexicon.bin", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal([]byte(compiledData), want) {
		t.Fatalf("lexicon.bin (%d bytes) is not what synonyms.txt and the frames, fillers and hints compile to (%d bytes): run go generate ./kb/lexicon", len(compiledData), len(want))
	}
	if _, err := readTable(compiledData); err != nil {
		t.Fatal(err)
	}
}

// referenceTrailingFrame is TrailingFrame read from the frames map.
func referenceTrailingFrame(phrase string) (string, towndesk.Intent, bool) {
	rs := []rune(phrase)
	for i := 2; i < len(rs)-1; i++ {
		if f, ok := frames()[string(rs[i:])]; ok {
			return f.category, f.intent, true
		}
	}
	return "", "", false
}

// TestCompiledMatchesSources reads every word, and every beginning of
// one, through the compiled table and through maps built from the sources
// (a dictionary without the table): the shipped dictionary alone, and
// with a data directory's groups merged in, must read the same either way.
func TestCompiledMatchesSources(t *testing.T) {
	src, err := os.ReadFile("synonyms.txt")
	if err != nil {
		t.Fatal(err)
	}
	const extraText = "# 数据目录的同义词\n焚烧 秸秆 = 烤秸秆 秸秆冒烟 烧秸秆\n马路市场管理 = 早市摊 谁管\n违法建设 新词甲 = 新词乙\n"
	for _, merged := range []bool{false, true} {
		name := "shipped"
		if merged {
			name = "merged"
		}
		t.Run(name, func(t *testing.T) {
			ref, err := ParseSynonyms(bytes.NewReader(src), "synonyms.txt")
			if err != nil {
				t.Fatal(err)
			}
			got := DefaultSynonyms()
			if merged {
				for _, s := range []*Synonyms{ref, got} {
					extra, err := ParseSynonyms(strings.NewReader(extraText), "synonyms.txt")
					if err != nil {
						t.Fatal(err)
					}
					s.Merge(extra)
				}
			}
			if got.Groups() != ref.Groups() {
				t.Errorf("Groups() = %d, want %d", got.Groups(), ref.Groups())
			}
			gw, rw := got.Words(), ref.Words()
			slices.Sort(gw)
			slices.Sort(rw)
			if !slices.Equal(gw, rw) {
				t.Errorf("Words() has %d words, want %d", len(gw), len(rw))
			}
			refBook, gotBook := NewPhrasebook(ref), NewPhrasebook(got)
			if gotBook.base == nil || refBook.base != nil {
				t.Fatal("want the compiled book read from the table and the reference from maps")
			}
			probes := map[string]bool{"": true, "不是词": true, "秸秆冒": true, "ｚ": true}
			for w := range refBook.kind {
				for i := range w {
					probes[w[:i]] = true
				}
				probes[w] = true
				probes[w+"了"] = true
			}
			for w := range probes {
				if g, r := gotBook.kindOf(w), refBook.kindOf(w); g != r {
					t.Errorf("kind(%q) = %d, want %d", w, g, r)
				}
				if g, r := gotBook.isPrefix(w), refBook.isPrefix(w); g != r {
					t.Errorf("isPrefix(%q) = %v, want %v", w, g, r)
				}
				ge, gok := got.Expand(w)
				re, rok := ref.Expand(w)
				if gok != rok || !slices.Equal(ge, re) {
					t.Errorf("Expand(%q) = %v, %v; want %v, %v", w, ge, gok, re, rok)
				}
				f := frames()[w]
				if c, i := FrameOf(w); c != f.category || i != f.intent {
					t.Errorf("FrameOf(%q) = %q, %q; want %q, %q", w, c, i, f.category, f.intent)
				}
				gc, gi, gok := TrailingFrame(w)
				rc, ri, rok := referenceTrailingFrame(w)
				if gc != rc || gi != ri || gok != rok {
					t.Errorf("TrailingFrame(%q) = %q, %q, %v; want %q, %q, %v", w, gc, gi, gok, rc, ri, rok)
				}
			}
			// Longest reads the same runs of tokens either way.
			for _, toks := range [][]string{{"乱", "搭", "乱", "建"}, {"归", "谁", "管"}, {"烤", "秸秆"}, {"早市", "摊"}, {"新词", "乙"}, {"请问", "一下"}} {
				gn, gk := gotBook.Longest(toks)
				rn, rk := refBook.Longest(toks)
				if gn != rn || gk != rk {
					t.Errorf("Longest(%q) = %d, %d; want %d, %d", toks, gn, gk, rn, rk)
				}
			}
		})
	}
}

// TestReadTableRejects: a table that is not of this layout is refused
// with an error, not read past its end.
func TestReadTableRejects(t *testing.T) {
	for _, data := range []string{"", "towndesk lexicon 0\n", compiledData[:len(compiledData)-1], compiledData + "x"} {
		if _, err := readTable(data); err == nil {
			t.Errorf("readTable(%d bytes) = nil error, want one", len(data))
		}
	}
}
