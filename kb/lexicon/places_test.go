package lexicon

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/gazetteer"
	"github.com/towndesk/towndesk/segment"
)

// referencePlaces builds Places as NewPlaces did before it read the
// counties' names from the gazetteer: every county's full name in the
// forms map and in one segmenter layer with the covered forms.
func referencePlaces(lists []towndesk.List, g *gazetteer.Gazetteer, lexicon *segment.Segmenter) *Places {
	p := NewPlaces(lists, g, lexicon)
	forms := make(map[string]*placeForm, len(p.forms))
	for k, f := range p.forms {
		c := *f
		c.places = slices.Clone(f.places)
		forms[k] = &c
	}
	p.forms = forms
	for _, c := range g.Counties() {
		if _, covered := p.lists[c.CountyCode]; !covered {
			p.add(c.County, c, true, false)
		}
	}
	words := make(map[string]int, len(p.forms))
	for f := range p.forms {
		words[f] = segment.ExtraFreq
	}
	p.seg = lexicon.With(words)
	return p
}

// TestPlacesReadCountyNamesInPlace: every county's name, and every form of
// a covered place, names the same places (in the same order) and cuts the
// same as when all of them were copied into maps.
func TestPlacesReadCountyNamesInPlace(t *testing.T) {
	g, err := gazetteer.Load()
	if err != nil {
		t.Fatal(err)
	}
	var lists []towndesk.List
	for _, code := range []string{"370481", "371422", "330782", "440606", "152526", "120119", "320106"} { // 320106: one 鼓楼区 of four
		c, ok := g.County(code)
		if !ok {
			t.Fatalf("no county %s", code)
		}
		lists = append(lists, towndesk.List{Place: c})
	}
	town, ok := g.Town("510521101") // a town list in an uncovered county
	if !ok {
		t.Fatal("no town 510521101")
	}
	lists = append(lists, towndesk.List{Place: town})
	lex := segment.New(map[string]int{"归谁管": 0})
	got, want := NewPlaces(lists, g, lex), referencePlaces(lists, g, lex)
	opt := cmp.AllowUnexported(placeForm{})
	var names []string
	for s := range want.forms {
		names = append(names, s)
	}
	names = append(names, "不是地名", "县", "")
	for _, s := range names {
		if diff := cmp.Diff(want.forms[s], got.form(s), opt); diff != "" {
			t.Errorf("form(%q) differs (-want +got):\n%s", s, diff)
		}
	}
	for _, text := range []string{strings.Join(names, "，"), strings.Join(names, ""), strings.Join(g.CountyNames(), "")} {
		if g, w := got.Seg().Cut(text), want.Seg().Cut(text); !slices.Equal(g, w) {
			t.Errorf("Seg().Cut of %d bytes differs from copying every name into maps", len(text))
		}
		toks := got.Seg().Cut(text)
		if diff := cmp.Diff(want.Scan(toks), got.Scan(toks), cmp.AllowUnexported(Mention{}), opt); diff != "" {
			t.Errorf("Scan differs (-want +got):\n%s", diff)
		}
	}
}
