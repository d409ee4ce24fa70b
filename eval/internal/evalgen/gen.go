package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/towndesk/towndesk/gazetteer"
	"github.com/towndesk/towndesk/handlers/qa"
	"github.com/towndesk/towndesk/storage"
)

// row is one row of a current edition, as the expectations are decided
// from it.
type row struct {
	code, name, sub, body, mode, basis string
}

// sampleLists are the current editions of the embedded sample lists.
type sampleLists struct {
	county map[string][]row    // county → its county list, in list order
	town   map[[2]string][]row // county, town → the town's list
}

// loadSample imports the embedded sample lists into a fresh database,
// through the importer towndesk uses for them, and reads back the current
// editions.
func loadSample(ctx context.Context) (*sampleLists, error) {
	dir, err := os.MkdirTemp("", "evalgen")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	db, err := storage.Open(filepath.Join(dir, "towndesk.db"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	gaz, err := gazetteer.Load()
	if err != nil {
		return nil, err
	}
	if _, err := qa.NewLists(db, nil, nil, gaz).LoadSample(ctx); err != nil {
		return nil, err
	}
	lists, err := db.Lists(ctx)
	if err != nil {
		return nil, err
	}
	s := &sampleLists{county: map[string][]row{}, town: map[[2]string][]row{}}
	for _, l := range lists {
		items, err := db.EditionItems(ctx, l.EditionID)
		if err != nil {
			return nil, err
		}
		rows := make([]row, len(items))
		for i, it := range items {
			rows[i] = row{code: it.Code, name: it.Name, sub: it.SubItem, body: it.Body, mode: string(it.Mode), basis: it.Basis}
		}
		if l.Place.Town == "" {
			s.county[l.Place.County] = rows
		} else {
			s.town[[2]string{l.Place.County, l.Place.Town}] = rows
		}
	}
	return s, nil
}

// A matter is the power a question is about, chosen by hand: an int is
// the 0-based position of a row in the 滕州市 county list (all four county
// lists hold the same catalogue, so it names the row of every county), a
// string "S:text" the statutory (法定) row of a town's list whose name
// contains text. A group holds the rows that all fit the question (a
// sub-item and its own row); matters of several groups are several legal
// bases with different enforcers, each resolved on its own, the answers
// united.
type (
	group   []any
	matters []group
)

// r is one group of matters.
func r(items ...any) matters { return matters{group(items)} }

// groups is several groups: several legal bases.
func groups(ms ...matters) matters {
	var out matters
	for _, m := range ms {
		out = append(out, m...)
	}
	return out
}

// places are the places answers come from: a town's list, or a county's
// (no town).
var places = map[string][2]string{
	"BH": {"滕州市", "滨湖镇"}, "GQ": {"滕州市", "官桥镇"}, "TCH": {"滕州市", "柴胡店镇"},
	"BJ": {"蓟州区", "邦均镇"}, "XY": {"蓟州区", "下营镇"},
	"FT": {"义乌市", "佛堂镇"}, "SX": {"义乌市", "苏溪镇"}, "NCH": {"宁津县", "柴胡店镇"},
	"TZ": {"滕州市", ""}, "JZ": {"蓟州区", ""}, "YW": {"义乌市", ""}, "NJ": {"宁津县", ""},
}

// evalCase is one line of the evaluation set.
type evalCase struct {
	q, kind, town, county, status string
	codes                         []string
	note                          string
}

// gen builds the cases from the questions; the first problem stops it.
type gen struct {
	s     *sampleLists
	cases []evalCase
	err   error
}

func (g *gen) fail(format string, args ...any) {
	if g.err == nil {
		g.err = fmt.Errorf(format, args...)
	}
}

// option sets the asker's default place, a note or further acceptable
// rows of a case.
type option func(*caseOptions)

type caseOptions struct {
	town, county, note string
	also               []int
}

// asker is the asker's default place, as if the question came from that
// town's or county's chat channel.
func asker(town, county string) option {
	return func(o *caseOptions) { o.town, o.county = town, county }
}

func note(s string) option { return func(o *caseOptions) { o.note = s } }

// also adds rows of another category held by the same department: also
// acceptable, outside the check of the case's kind.
func also(seqs ...int) option { return func(o *caseOptions) { o.also = seqs } }

// crow returns the row of county c's list that is row seq of the 滕州市
// list (same name and sub-item).
func (g *gen) crow(c string, seq int) (row, bool) {
	ref := g.s.county["滕州市"]
	if seq < 0 || seq >= len(ref) {
		g.fail("row %d: the 滕州市 list has %d rows", seq, len(ref))
		return row{}, false
	}
	var m []row
	for _, x := range g.s.county[c] {
		if x.name == ref[seq].name && x.sub == ref[seq].sub {
			m = append(m, x)
		}
	}
	if len(m) != 1 {
		g.fail("%s, row %d: %d rows match, want 1", c, seq, len(m))
		return row{}, false
	}
	return m[0], true
}

// townRows returns the rows of town t's list for the power at seq (town
// rows carry the county row's name, no sub-item).
func (g *gen) townRows(c, t string, seq int) []row {
	ref := g.s.county["滕州市"]
	if seq < 0 || seq >= len(ref) {
		return nil // crow says so
	}
	name := ref[seq].name
	var out []row
	for _, x := range g.s.town[[2]string{c, t}] {
		if x.name == name {
			out = append(out, x)
		}
	}
	return out
}

// statutory returns the one 法定 row of town t's list whose name contains sub.
func (g *gen) statutory(c, t, sub string) (row, bool) {
	var m []row
	for _, x := range g.s.town[[2]string{c, t}] {
		if strings.Contains(x.name, sub) && x.mode == "法定" {
			m = append(m, x)
		}
	}
	if len(m) != 1 {
		g.fail("%s%s: %d statutory rows contain %q, want 1", c, t, len(m), sub)
		return row{}, false
	}
	return m[0], true
}

// resolve applies the resolution rules to one group: the town's rows
// unless it has none or only 协助 ones, then the county's. It returns the
// codes, whether they are the town's own, the rows answered and the town
// rows seen (of any mode).
func (g *gen) resolve(c, t string, grp group) (codes []string, own bool, rows, seen []row) {
	var mine, county []row
	for _, m := range grp {
		switch m := m.(type) {
		case string:
			sub, ok := strings.CutPrefix(m, "S:")
			if !ok || t == "" {
				g.fail("%s%s: matter %q is not a statutory town row", c, t, m)
				continue
			}
			if x, ok := g.statutory(c, t, sub); ok {
				mine, seen = append(mine, x), append(seen, x)
			}
		case int:
			if t != "" {
				trs := g.townRows(c, t, m)
				seen = append(seen, trs...)
				for _, x := range trs {
					if x.mode != "协助" {
						mine = append(mine, x)
					}
				}
			}
			if x, ok := g.crow(c, m); ok {
				county = append(county, x)
			}
		default:
			g.fail("matter %v is neither a row number nor a statutory row", m)
		}
	}
	own = len(mine) > 0
	rows = county
	if own {
		rows = mine
	}
	for _, x := range rows {
		codes = addNew(codes, x.code)
	}
	return codes, own, rows, seen
}

func addNew(list []string, s ...string) []string {
	for _, x := range s {
		if !slices.Contains(list, x) {
			list = append(list, x)
		}
	}
	return list
}

// short is a legal basis without the country's name and book quotes.
func short(basis string) string {
	return strings.NewReplacer("中华人民共和国", "", "《", "", "》", "").Replace(basis)
}

// describe is the note of an answer: its basis, and whose row it is.
func describe(c, t string, own bool, rows, seen []row) string {
	x := rows[0]
	switch {
	case own:
		return fmt.Sprintf("%s; %s清单: %s %s", short(x.basis), c+t, x.mode, x.body)
	case t != "" && slices.ContainsFunc(seen, func(s row) bool { return s.mode == "协助" }):
		return fmt.Sprintf("%s; %s仅协助, 县级清单: %s", short(x.basis), t, x.body)
	case t != "":
		return fmt.Sprintf("%s; %s清单无此项, 县级清单: %s", short(x.basis), t, x.body)
	}
	return fmt.Sprintf("%s; %s清单: %s", short(x.basis), c, x.body)
}

// A adds an answered case: question q of kind, answered from place's list
// (or its county's) for ms. It checks that the kind matches how the data
// resolves the case.
func (g *gen) A(q, kind, place string, ms matters, opts ...option) {
	var o caseOptions
	for _, f := range opts {
		f(&o)
	}
	p, ok := places[place]
	if !ok {
		g.fail("%s: unknown place %s", q, place)
		return
	}
	c, t := p[0], p[1]
	var codes, notes []string
	var hows []bool
	var seenAll []row
	for _, grp := range ms {
		cs, own, rows, seen := g.resolve(c, t, grp)
		if len(rows) == 0 {
			g.fail("%s: no row for %v", q, grp)
			return
		}
		hows, seenAll = append(hows, own), append(seenAll, seen...)
		codes = addNew(codes, cs...)
		notes = append(notes, describe(c, t, own, rows, seen))
	}
	for _, seq := range o.also {
		cs, own, rows, seen := g.resolve(c, t, group{seq})
		if len(rows) == 0 {
			g.fail("%s: no row for also %d", q, seq)
			return
		}
		codes = addNew(codes, cs...)
		notes = append(notes, "also "+describe(c, t, own, rows, seen))
	}
	anyOwn, allCounty := slices.Contains(hows, true), !slices.Contains(hows, true)
	assists := slices.ContainsFunc(seenAll, func(s row) bool { return s.mode == "协助" })
	switch {
	case kind == "town" && !anyOwn:
		g.fail("%s: kind town, but the town's list does not hold the power", q)
	case kind == "county_fallback" && (!allCounty || len(seenAll) > 0):
		g.fail("%s: kind county_fallback, but the town's list has rows for it", q)
	case kind == "assist" && (!allCounty || !assists):
		g.fail("%s: kind assist, but the town's list has no 协助 row alone", q)
	case (kind == "county_only" || kind == "uncovered_town") && t != "":
		g.fail("%s: kind %s needs a county list", q, kind)
	}
	text := strings.Join(notes, " | ")
	if o.note != "" {
		text = o.note + "; " + text
	}
	g.cases = append(g.cases, evalCase{q: q, kind: kind, town: o.town, county: o.county, status: "answered", codes: codes, note: text})
}

// S adds a case whose expected outcome is status: ambiguous_place,
// need_place or not_found.
func (g *gen) S(q, kind, status string, opts ...option) {
	var o caseOptions
	for _, f := range opts {
		f(&o)
	}
	g.cases = append(g.cases, evalCase{q: q, kind: kind, town: o.town, county: o.county, status: status, note: o.note})
}

// build returns every case, in the order of the questions, after checking
// that no question is asked twice from the same default place.
func build(s *sampleLists) ([]evalCase, error) {
	g := &gen{s: s}
	g.questions()
	if g.err != nil {
		return nil, g.err
	}
	seen := map[[3]string]bool{}
	for _, c := range g.cases {
		k := [3]string{c.q, c.town, c.county}
		if seen[k] {
			return nil, fmt.Errorf("%q asked twice (town %q, county %q)", c.q, c.town, c.county)
		}
		seen[k] = true
	}
	return g.cases, nil
}
