package kb

import (
	"sort"

	"github.com/towndesk/towndesk"
)

// placeForm is one way of writing a place that the question scanner knows.
type placeForm struct {
	places  []towndesk.Place
	county  bool // the form names a county (not a town)
	covered bool // at least one of places is covered by a list
}

// places knows the places covered by the imported lists and the names
// people write them by.
type places struct {
	lists   map[string]towndesk.List // place code → list
	forms   map[string]*placeForm    // written form → places
	maxRune int
	towns   map[string]towndesk.Place // covered town code → town
}

// newPlaces indexes the places covered by lists: each listed county with
// all its towns, and each listed town. Every county of the gazetteer is
// known by its full name too, so that a question about an uncovered county
// is recognised as such instead of matching a namesake elsewhere.
func newPlaces(lists []towndesk.List, g *Gazetteer) *places {
	p := &places{lists: map[string]towndesk.List{}, forms: map[string]*placeForm{}, towns: map[string]towndesk.Place{}}
	for _, l := range lists {
		p.lists[l.Place.Code()] = l
	}
	addTown := func(t towndesk.Place) {
		if _, ok := p.towns[t.TownCode]; ok {
			return
		}
		p.towns[t.TownCode] = t
		cs, ts := ShortName(t.County), ShortName(t.Town)
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
		for _, f := range []string{c.County, ShortName(c.County), c.City + c.County, c.Province + c.County} {
			p.add(f, c, true, true)
		}
		for _, t := range g.TownsOf(c.CountyCode) {
			addTown(t)
		}
	}
	for _, c := range g.Counties() {
		if _, covered := p.lists[c.CountyCode]; !covered {
			p.add(c.County, c, true, false)
		}
	}
	return p
}

func (p *places) add(form string, pl towndesk.Place, county, covered bool) {
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
	if n := len([]rune(form)); n > p.maxRune {
		p.maxRune = n
	}
}

// mention is a place named in a question.
type mention struct {
	start, end int // rune offsets
	form       *placeForm
}

// scan finds place names in q, longest first, left to right.
func (p *places) scan(q string) []mention {
	rs := []rune(q)
	var out []mention
	for i := 0; i < len(rs); {
		found := false
		for n := min(p.maxRune, len(rs)-i); n >= 2; n-- {
			if f, ok := p.forms[string(rs[i:i+n])]; ok {
				out = append(out, mention{i, i + n, f})
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

// cut returns q without the mentioned place names.
func cut(q string, ms []mention) string {
	rs := []rune(q)
	for k := len(ms) - 1; k >= 0; k-- {
		m := ms[k]
		rs = append(rs[:m.start], append([]rune{' '}, rs[m.end:]...)...)
	}
	return string(rs)
}

// coveredTowns returns the covered towns among ps, optionally only those
// in county (by code).
func (p *places) coveredTowns(ps []towndesk.Place, countyCode string) []towndesk.Place {
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

// listsFor returns the lists that speak for place: a town's own list first,
// then its county's.
func (p *places) listsFor(pl towndesk.Place) (town, county *towndesk.List) {
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
