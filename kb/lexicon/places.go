package lexicon

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/gazetteer"
	"github.com/towndesk/towndesk/segment"
)

// placeForm is one way of writing a place that the question scanner knows.
type placeForm struct {
	places  []towndesk.Place
	county  bool // the form names a county (not a town)
	covered bool // at least one of places is covered by a list
}

// Places knows the places covered by the imported lists and the names
// people write them by, and decides which place a question is about.
type Places struct {
	gaz   *gazetteer.Gazetteer
	lists map[string]towndesk.List  // place code → list
	forms map[string]*placeForm     // written form of a covered place → places
	towns map[string]towndesk.Place // covered town code → town
	// seg cuts questions: the lexicon plus every form above and every
	// county's full name, so that a place name is one token and is found
	// only as a whole token.
	seg *segment.Segmenter
}

// NewPlaces indexes the places covered by lists: each listed county with
// all its towns, and each listed town. Every county of the gazetteer is
// known by its full name too (see form), so that a question about an
// uncovered county is recognised as such instead of matching a namesake
// elsewhere.
func NewPlaces(lists []towndesk.List, g *gazetteer.Gazetteer, lexicon *segment.Segmenter) *Places {
	// Sized for the forms of the listed places' towns: growing maps was
	// most of the cost here.
	p := &Places{gaz: g, lists: make(map[string]towndesk.List, len(lists)), forms: make(map[string]*placeForm, 200*len(lists)),
		towns: make(map[string]towndesk.Place, 40*len(lists))}
	for _, l := range lists {
		p.lists[l.Place.Code()] = l
	}
	addTown := func(t towndesk.Place) {
		if _, ok := p.towns[t.TownCode]; ok {
			return
		}
		p.towns[t.TownCode] = t
		cs, ts := gazetteer.ShortName(t.County), gazetteer.ShortName(t.Town)
		for _, f := range []string{t.Town, ts, t.County + t.Town, cs + t.Town, cs + ts, t.County + ts, t.City + t.County + t.Town} {
			p.add(f, t, false, true)
		}
	}
	for _, l := range lists {
		if l.Place.IsTown() {
			addTown(l.Place)
			continue
		}
		c := l.Place
		for _, f := range append([]string{c.County, gazetteer.ShortName(c.County), c.City + c.County, c.Province + c.County}, bannerShort(c.County)...) {
			p.add(f, c, true, true)
		}
		for _, t := range g.TownsOf(c.CountyCode) {
			addTown(t)
		}
	}
	words := make(map[string]int, len(p.forms))
	for f := range p.forms {
		words[f] = segment.ExtraFreq
	}
	// The counties' names are read from the gazetteer's sorted list, not
	// copied into maps: about 3,000 of them, of which a question names
	// one at most.
	p.seg = lexicon.With(words).WithSorted(g.CountyNames(), segment.ExtraFreq)
	return p
}

// form returns the places a written form names, nil if none: a covered
// place's form, and a county's full name. An uncovered county's name
// names it (after any covered county of that name), unless the name is
// a covered town's.
func (p *Places) form(s string) *placeForm {
	f := p.forms[s]
	if f != nil && !f.county || utf8.RuneCountInString(s) < 2 {
		return f
	}
	var uncovered []towndesk.Place
	for _, c := range p.gaz.CountiesNamed(s) {
		if _, covered := p.lists[c.CountyCode]; !covered {
			uncovered = append(uncovered, c)
		}
	}
	switch {
	case len(uncovered) == 0:
		return f
	case f == nil:
		return &placeForm{places: uncovered, county: true}
	}
	merged := &placeForm{places: slices.Clone(f.places), county: true, covered: f.covered}
	for _, c := range uncovered {
		if !slices.Contains(merged.places, c) {
			merged.places = append(merged.places, c)
		}
	}
	return merged
}

// bannerShort returns how people shorten a banner (旗) with a long name:
// its first two characters and 旗 (西乌珠穆沁旗 → 西乌旗).
func bannerShort(county string) []string {
	rs := []rune(strings.TrimSuffix(county, "旗"))
	if !strings.HasSuffix(county, "旗") || strings.HasSuffix(county, "自治旗") || len(rs) < 4 {
		return nil
	}
	return []string{string(rs[:2]) + "旗"}
}

func (p *Places) add(form string, pl towndesk.Place, county, covered bool) {
	if len([]rune(form)) < 2 {
		return
	}
	f := p.forms[form]
	if f == nil {
		f = &placeForm{county: county}
		p.forms[form] = f
	}
	if f.county != county {
		// A form that names both a county and a town (rare): the town wins
		// only if covered; keep the first meaning otherwise.
		if !covered {
			return
		}
		f.county, f.places = county, nil
	}
	for _, q := range f.places {
		if q == pl {
			return
		}
	}
	f.places = append(f.places, pl)
	f.covered = f.covered || covered
}

// Mention is a place named in a question.
type Mention struct {
	start, end int // token offsets
	form       *placeForm
}

// Scan finds the place names among a question's tokens, left to right: a
// token, or up to three consecutive tokens, that spell a known form
// (滕州/滨湖镇). A name is only ever a whole token, never part of one.
func (p *Places) Scan(tokens []string) []Mention {
	var out []Mention
	for i := 0; i < len(tokens); {
		found := false
		for n := min(3, len(tokens)-i); n >= 1; n-- {
			if f := p.form(strings.Join(tokens[i:i+n], "")); f != nil {
				out = append(out, Mention{i, i + n, f})
				i += n
				found = true
				break
			}
		}
		if !found {
			i++
		}
	}
	return out
}

// Cut returns tokens without the mentioned place names.
func Cut(tokens []string, ms []Mention) []string {
	out := make([]string, 0, len(tokens))
	last := 0
	for _, m := range ms {
		out = append(out, tokens[last:m.start]...)
		last = m.end
	}
	return append(out, tokens[last:]...)
}

// Seg returns the segmenter that cuts questions: the lexicon plus every
// place form, so that a place name is one token.
func (p *Places) Seg() *segment.Segmenter { return p.seg }

// Lists returns the current list of each covered place.
func (p *Places) Lists() []towndesk.List {
	out := make([]towndesk.List, 0, len(p.lists))
	for _, l := range p.lists {
		out = append(out, l)
	}
	return out
}

// coveredTowns returns the covered towns among ps, optionally only those
// in county (by code).
func (p *Places) coveredTowns(ps []towndesk.Place, countyCode string) []towndesk.Place {
	var out []towndesk.Place
	for _, t := range ps {
		if _, ok := p.towns[t.TownCode]; !ok {
			continue
		}
		if countyCode != "" && t.CountyCode != countyCode {
			continue
		}
		out = append(out, t)
	}
	sortPlaces(out)
	return out
}

// ListsFor returns the lists that speak for place: a town's own list first,
// then its county's.
func (p *Places) ListsFor(pl towndesk.Place) (town, county *towndesk.List) {
	if pl.IsTown() {
		if l, ok := p.lists[pl.TownCode]; ok {
			town = &l
		}
	}
	if l, ok := p.lists[pl.CountyCode]; ok {
		county = &l
	}
	return town, county
}

func sortPlaces(ps []towndesk.Place) {
	sort.Slice(ps, func(i, j int) bool { return ps[i].Code() < ps[j].Code() })
}

// Resolve decides which place a question is about, from the places it
// mentions and the asker's default county and town (either may be ""). It
// returns the place, or several candidates when it cannot choose, or
// neither when the question names none and there is no default. others
// are the same-named towns the default place ruled out, when it chose the
// place among them.
func (p *Places) Resolve(ms []Mention, county, town string) (place *towndesk.Place, cands, others []towndesk.Place, err error) {
	def, err := p.defaultPlace(county, town)
	if err != nil {
		return nil, nil, nil, err
	}
	var counties []towndesk.Place
	var towns []towndesk.Place
	for _, m := range ms {
		if m.form.county {
			// A county named after a town qualifies it only if it has
			// lists: an uncovered one there is more likely a word of the
			// question (城区, 郊区 are counties too) than the town's county.
			if len(towns) > 0 && !m.form.covered {
				continue
			}
			counties = append(counties, m.form.places...)
			continue
		}
		// Two different towns in one question ("滨湖镇和苏溪镇…"): all
		// their places are candidates, so the asker is asked which.
		for _, t := range m.form.places {
			if !slices.Contains(towns, t) {
				towns = append(towns, t)
			}
		}
	}
	countyCode := ""
	if len(counties) > 0 {
		countyCode = counties[0].CountyCode
	}
	switch {
	case len(towns) > 0:
		cands := p.coveredTowns(towns, countyCode)
		if len(cands) > 1 && def != nil {
			var inDef, outDef []towndesk.Place
			for _, c := range cands {
				if c.CountyCode == def.CountyCode {
					inDef = append(inDef, c)
				} else {
					outDef = append(outDef, c)
				}
			}
			if len(inDef) > 0 {
				cands, others = inDef, outDef
			}
		}
		switch len(cands) {
		case 0:
			// A town named together with a county that does not have it, or
			// an uncovered county: answer about the county, which will have
			// no list, so the reply says so honestly.
			if len(counties) > 0 {
				return &counties[0], nil, nil, nil
			}
			return nil, nil, nil, nil
		case 1:
			return &cands[0], nil, others, nil
		}
		return nil, cands, nil, nil
	case len(counties) > 0:
		// Same-named counties in different provinces: prefer covered ones.
		var covered []towndesk.Place
		for _, c := range counties {
			if _, ok := p.lists[c.CountyCode]; ok && !slices.Contains(covered, c) {
				covered = append(covered, c)
			}
		}
		switch {
		case len(covered) == 1:
			return &covered[0], nil, nil, nil
		case len(covered) > 1:
			sortPlaces(covered)
			return nil, covered, nil, nil
		}
		return &counties[0], nil, nil, nil
	}
	return def, nil, nil, nil
}

// defaultPlace resolves the asker's default place. A town named without a
// county is looked up among the covered towns.
func (p *Places) defaultPlace(countyName, town string) (*towndesk.Place, error) {
	var county *towndesk.Place
	if countyName != "" {
		c, err := p.gaz.ResolveCounty(countyName, "")
		if err != nil {
			return nil, err
		}
		county = &c
	}
	if town == "" {
		return county, nil
	}
	if county != nil {
		t, err := p.gaz.ResolveTown(*county, town)
		if err != nil {
			return nil, err
		}
		return &t, nil
	}
	f := p.forms[NormText(town)]
	if f != nil && !f.county {
		if ts := p.coveredTowns(f.places, ""); len(ts) == 1 {
			return &ts[0], nil
		} else if len(ts) > 1 {
			var names []string
			for _, t := range ts {
				names = append(names, t.String())
			}
			return nil, towndesk.Errorf(towndesk.EINVALID, "默认乡镇“%s”有多个：%s，请同时指定县（--county）", town, strings.Join(names, "、"))
		}
	}
	return nil, towndesk.Errorf(towndesk.ENOTFOUND, "已导入的清单中没有乡镇“%s”，请同时指定县（--county）", town)
}
