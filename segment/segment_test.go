package segment

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func TestCut(t *testing.T) {
	s := New(map[string]int{"乱搭乱建": 0, "归谁管": 0, "麻烦问一下": 0, "楼顶加盖": 0, "官桥镇": 0})
	tests := []struct {
		name, text, want string
	}{
		{"time word keeps its characters", "今天天气不好，天天下雨", "今天天气/不好/天天/下雨"},
		{"caller's words stay whole", "麻烦问一下，官桥镇有人乱搭乱建归谁管？", "麻烦问一下/官桥镇/有人/乱搭乱建/归谁管"},
		{"general words", "河边那片树林被人砍了好多棵", "河边/那/片/树林/被/人/砍/了/好多/棵"},
		{"caller's word inside a longer question", "有户人家把楼顶加盖了一层", "有/户/人家/把/楼顶加盖/了/一层"},
		{"ascii and digits are one token each", "4S店噪音100分贝WiFi", "4S/店/噪音/100/分贝/WiFi"},
		{"punctuation and spaces separate", "烧秸秆 、放鞭炮!", "烧/秸秆/放鞭炮"},
		{"empty", "", ""},
		{"unknown characters are single words", "䶮䶮", "䶮/䶮"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Join(s.Cut(tt.text), "/"); got != tt.want {
				t.Errorf("Cut(%q) = %s, want %s", tt.text, got, tt.want)
			}
		})
	}
}

func TestKnown(t *testing.T) {
	s := New(map[string]int{"滨湖镇": 0})
	for w, want := range map[string]bool{"树林": true, "滨湖镇": true, "林树": false, "": false, "的": true} {
		if got := s.Known(w); got != want {
			t.Errorf("Known(%q) = %v, want %v", w, got, want)
		}
	}
}

func BenchmarkCutItemName(b *testing.B) {
	s := New(map[string]int{"乱搭乱建": 0})
	name := "对在乡、村庄规划区内未依法取得乡村建设规划许可证或者未按照乡村建设规划许可证的规定进行建设的处罚"
	b.SetBytes(int64(len(name)))
	for b.Loop() {
		s.Cut(name)
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		loadBaseUncached()
	}
}

func TestWith(t *testing.T) {
	s := New(map[string]int{"归谁管": 0})
	places := s.With(map[string]int{"苏溪镇": 0})
	if got, want := strings.Join(places.Cut("苏溪镇广场舞太吵归谁管"), "/"), "苏溪镇/广场/舞/太/吵/归谁管"; got != want {
		t.Errorf("With(苏溪镇).Cut = %s, want %s", got, want)
	}
	if got := strings.Join(s.Cut("苏溪镇"), "/"); got == "苏溪镇" {
		t.Errorf("With changed the segmenter it was called on: Cut(苏溪镇) = %s", got)
	}
}

func TestParts(t *testing.T) {
	s := New(map[string]int{"倒垃圾": 0})
	for _, tt := range []struct{ word, want string }{
		{"乱倒垃圾", "乱/倒垃圾"},
		{"树林", "树/林"},
		{"砍", ""},
		{"4S店", ""},
	} {
		if got := strings.Join(s.Parts(tt.word), "/"); got != tt.want {
			t.Errorf("Parts(%q) = %s, want %s", tt.word, got, tt.want)
		}
	}
}

// TestEveryWordFound looks up every line of the embedded dictionary, and
// the beginnings of some, by binary search over its bytes: each word has
// its line's frequency, and prefixes reports exactly the dictionary words a
// text starts with.
func TestEveryWordFound(t *testing.T) {
	b := loadBase()
	_, text, _ := strings.Cut(dictText, "\n")
	words := map[string]int{}
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		w, f, ok := strings.Cut(line, " ")
		freq, err := strconv.Atoi(f)
		if !ok || err != nil {
			t.Fatalf("dict.txt line %q is not \"word freq\"", line)
		}
		words[w] = freq
	}
	n := 0
	for w, want := range words {
		if got := b.lookup(w); got != want {
			t.Errorf("lookup(%q) = %d, want %d", w, got, want)
		}
		if n++; n%97 != 0 {
			continue
		}
		// Every prefix of a longer text that is a word, shortest first.
		probe := w + "的人们"
		var got, want []string
		b.prefixes(probe, func(k, f int) {
			got = append(got, probe[:k])
			if words[probe[:k]] != f {
				t.Errorf("prefixes(%q) gave %q with %d, want %d", probe, probe[:k], f, words[probe[:k]])
			}
		})
		runes := 0
		for k := range probe {
			if k > 0 && runes <= MaxWordRunes {
				if _, ok := words[probe[:k]]; ok {
					want = append(want, probe[:k])
				}
			}
			runes++
		}
		if _, ok := words[probe]; ok && runes <= MaxWordRunes {
			want = append(want, probe)
		}
		if !slices.Equal(got, want) {
			t.Errorf("prefixes(%q) = %q, want %q", probe, got, want)
		}
	}
	for _, w := range []string{"", "林树", "a", "\xff", "䶮"} {
		if got := b.lookup(w); got != 0 {
			t.Errorf("lookup(%q) = %d, want 0", w, got)
		}
	}
}

// TestWithSorted: a sorted layer cuts exactly as the same words given to
// With at the same frequency, too-long words ignored alike.
func TestWithSorted(t *testing.T) {
	words := []string{"中华人民共和国某某某自治区某某某某自治县", "柴胡店镇", "滨湖镇", "滨湖", "滕州市", "苏溪镇"}
	slices.Sort(words)
	m := map[string]int{}
	for _, w := range words {
		m[w] = ExtraFreq
	}
	base := New(map[string]int{"归谁管": 0})
	sorted, mapped := base.WithSorted(words, ExtraFreq), base.With(m)
	for _, text := range []string{"滕州市滨湖镇有人乱搭乱建归谁管", "柴胡店镇苏溪镇滨湖", "滨", "中华人民共和国某某某自治区某某某某自治县", "滕州滨湖乡"} {
		if got, want := strings.Join(sorted.Cut(text), "/"), strings.Join(mapped.Cut(text), "/"); got != want {
			t.Errorf("WithSorted.Cut(%q) = %s, want %s (as With)", text, got, want)
		}
	}
	for _, w := range append(words, "滨", "滕州", "") {
		if sorted.Known(w) != mapped.Known(w) {
			t.Errorf("WithSorted.Known(%q) = %v, want %v", w, sorted.Known(w), mapped.Known(w))
		}
	}
}

// TestConcurrentFirstUse: goroutines cutting at once through a fresh
// dictionary (whose spans are found and cached on first use) cut as one
// goroutine does.
func TestConcurrentFirstUse(t *testing.T) {
	texts := []string{"今天天气不好，天天下雨", "河边那片树林被人砍了好多棵", "有户人家把楼顶加盖了一层", "官桥镇有人乱搭乱建归谁管"}
	want := make([]string, len(texts))
	for i, text := range texts {
		want[i] = strings.Join(New(nil).Cut(text), "/")
	}
	s := &Segmenter{base: loadBaseUncached()}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, text := range texts {
				if got := strings.Join(s.Cut(text), "/"); got != want[i] {
					t.Errorf("Cut(%q) = %s, want %s", text, got, want[i])
				}
			}
		}()
	}
	wg.Wait()
}
