// Package gazetteer knows China's counties and towns: the national division
// codes (NBS 2023, embedded), their full and short names, and how people
// write them. It resolves a written county or town name to a real place, or
// says why it cannot (unknown, ambiguous), naming the closest real places.
//
// It imports only the standard library and the root package.
package gazetteer

import (
	"cmp"
	_ "embed"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/towndesk/towndesk"
)

// The national division codes (NBS 2023, WTFPL licence; see
// data/LICENSE.WTFPL.txt). They are embedded as strings so that
// parsing slices them without copying.
var (
	//go:embed data/provinces.csv
	provincesCSV string
	//go:embed data/cities.csv
	citiesCSV string
	//go:embed data/areas.csv
	areasCSV string
	//go:embed data/streets.csv
	streetsCSV string
)

// Gazetteer is the national list of provinces, prefecture cities, county-level
// units (2,978) and township-level units (41,352). It is read-only after
// Load and safe for concurrent use.
//
// The towns are not parsed at Load: they stay lines of their CSV text,
// sorted by code (a town's code starts with its county's), and a county's
// towns are found by binary search when they are asked for. A town is
// known by the offset of its line in that text.
type Gazetteer struct {
	provinces []gzRegion // sorted by code
	cities    []gzRegion // sorted by code
	counties  []gzCounty // sorted by code
	streets   string     // the towns' CSV text
	firstLine int        // offset of its first data line

	countyFull  map[string][]int32 // 鼓楼区 → its four counties
	countyShort map[string][]int32 // 鼓楼 → the same four

	// The towns by name, built on first use (Resolve of a town outside
	// the default county): indexing 41,352 short names would more than
	// double the cost of Load.
	townsOnce sync.Once
	townFull  map[string][]int32 // 滨湖镇 → every town of that name
	townShort map[string][]int32 // 滨湖 → every town so called

	namesOnce   sync.Once
	countyNames []string // every county's full name, sorted, once each
}

// gzRegion is a province or a prefecture city. name is "" for the
// placeholder cities of the national list (市辖区, 县, 省直辖县级行政区划),
// which are not places anyone names.
type gzRegion struct {
	code, name, short string
	province          int32 // cities only
}

type gzCounty struct {
	code, name, short string
	province, city    int32 // city is -1 when the county has no named city
}

type gzTown struct {
	code, name string
	county     int32
}

// Load parses the embedded division lists. Each call returns a new,
// independent Gazetteer (about 2 ms; see BenchmarkLoad). It fails
// only if the embedded data is malformed, which the tests rule out.
func Load() (*Gazetteer, error) {
	// The embedded towns are checked by TestEmbeddedTowns, not at every
	// start: checking means reading all 41,352 lines, which a process
	// that asks about one county never needs.
	return parseGazetteer(provincesCSV, citiesCSV, areasCSV, streetsCSV, false)
}

// parseGazetteer builds a Gazetteer from the four division CSV texts;
// checkTowns checks every line of streets too (see checkTowns).
func parseGazetteer(provinces, cities, areas, streets string, checkTowns bool) (*Gazetteer, error) {
	g := &Gazetteer{}
	err := gzEachRow("provinces.csv", provinces, 2, func(f []string) error {
		g.provinces = append(g.provinces, gzRegion{code: f[0], name: f[1], short: regionShort(f[1])})
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = gzEachRow("cities.csv", cities, 3, func(f []string) error {
		p := gzSearch(g.provinces, f[2])
		if p < 0 {
			return fmt.Errorf("city %s: unknown province %s", f[0], f[2])
		}
		c := gzRegion{code: f[0], province: int32(p)}
		switch f[1] {
		case "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划":
		default:
			c.name, c.short = f[1], regionShort(f[1])
		}
		g.cities = append(g.cities, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	g.counties = make([]gzCounty, 0, 3000)
	g.countyFull = make(map[string][]int32, 3000)
	g.countyShort = make(map[string][]int32, 3000)
	err = gzEachRow("areas.csv", areas, 4, func(f []string) error {
		p := gzSearch(g.provinces, f[3])
		c := gzSearch(g.cities, f[2])
		if p < 0 || c < 0 {
			return fmt.Errorf("county %s: unknown city %s or province %s", f[0], f[2], f[3])
		}
		if g.cities[c].name == "" {
			c = -1
		}
		i := int32(len(g.counties))
		s := ShortName(f[1])
		g.counties = append(g.counties, gzCounty{code: f[0], name: f[1], short: s, province: int32(p), city: int32(c)})
		g.countyFull[f[1]] = append(g.countyFull[f[1]], i)
		if s != f[1] {
			g.countyShort[s] = append(g.countyShort[s], i)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	g.streets = streets
	if _, rest, ok := strings.Cut(streets, "\n"); ok {
		g.firstLine = len(streets) - len(rest)
	} else {
		g.firstLine = len(streets)
	}
	if checkTowns {
		if err := g.checkTowns(); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// checkTowns checks every line of the towns' text: five fields, codes
// ascending, each town in a known county and its code starting with the
// county's, which is what finding a county's towns by binary search
// relies on.
func (g *Gazetteer) checkTowns() error {
	return gzEachRow("streets.csv", g.streets, 5, func(f []string) error {
		if gzSearch(g.counties, f[2]) < 0 {
			return fmt.Errorf("town %s: unknown county %s", f[0], f[2])
		}
		if !strings.HasPrefix(f[0], f[2]) || len(f[0]) <= len(f[2]) {
			return fmt.Errorf("town %s: code does not extend its county's code %s", f[0], f[2])
		}
		return nil
	})
}

// townAt reads the town whose line starts at offset at of g.streets. The
// line was checked (checkTowns), so it has its fields.
func (g *Gazetteer) townAt(at int32) gzTown {
	line, _ := g.lineAt(int(at))
	var f [5]string
	gzFields(line, f[:])
	return gzTown{code: f[0], name: f[1], county: int32(gzSearch(g.counties, f[2]))}
}

// lineAt returns the line of g.streets starting at offset at, without its
// line break, and the offset of the next line.
func (g *Gazetteer) lineAt(at int) (line string, next int) {
	rest := g.streets[at:]
	nl := strings.IndexByte(rest, '\n')
	if nl < 0 {
		return strings.TrimSuffix(rest, "\r"), len(g.streets)
	}
	return strings.TrimSuffix(rest[:nl], "\r"), at + nl + 1
}

// searchTowns returns the offset of the first town line whose code,
// compared on its first len(code) bytes, is not below code;
// len(g.streets) if there is none.
func (g *Gazetteer) searchTowns(code string) int {
	lo, hi := g.firstLine, len(g.streets) // both line starts
	for lo < hi {
		// The start of the line holding the middle byte: in [lo, hi).
		mid := max(lo, strings.LastIndexByte(g.streets[:lo+(hi-lo)/2], '\n')+1)
		line, next := g.lineAt(mid)
		key := strings.TrimPrefix(line, `"`)
		if key[:min(len(key), len(code))] < code {
			lo = next
		} else {
			hi = mid
		}
	}
	return lo
}

// countyTowns calls fn with each town of county i, in code order, and the
// offset of its line.
func (g *Gazetteer) countyTowns(i int32, fn func(at int32, t gzTown)) {
	code := g.counties[i].code
	for at := g.searchTowns(code); at < len(g.streets); {
		line, next := g.lineAt(at)
		if !strings.HasPrefix(strings.TrimPrefix(line, `"`), code) {
			return
		}
		t := g.townAt(int32(at))
		t.county = i
		fn(int32(at), t)
		at = next
	}
}

// eachTown calls fn with every town, in code order, and the offset of its
// line.
func (g *Gazetteer) eachTown(fn func(at int32, t gzTown)) {
	for at := g.firstLine; at < len(g.streets); {
		line, next := g.lineAt(at)
		if line != "" {
			fn(int32(at), g.townAt(int32(at)))
		}
		at = next
	}
}

// gzEachRow calls fn with the fields of each data row of a simple CSV text:
// a header line, then rows of exactly n fields, optionally double-quoted,
// without embedded quotes or line breaks (the form of the division lists).
// Codes must ascend, which lets lookups use binary search.
func gzEachRow(file, text string, n int, fn func(f []string) error) error {
	var buf [8]string
	f := buf[:n]
	prev := ""
	for lineNo := 0; text != ""; lineNo++ {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		line = strings.TrimSuffix(line, "\r")
		if lineNo == 0 || line == "" {
			continue
		}
		if err := gzFields(line, f); err != nil {
			return fmt.Errorf("%s line %d: %w", file, lineNo+1, err)
		}
		if f[0] <= prev {
			return fmt.Errorf("%s line %d: code %s does not ascend", file, lineNo+1, f[0])
		}
		prev = f[0]
		if err := fn(f); err != nil {
			return fmt.Errorf("%s line %d: %w", file, lineNo+1, err)
		}
	}
	return nil
}

// gzFields splits a line into exactly len(f) fields, optionally
// double-quoted, without embedded quotes.
func gzFields(line string, f []string) error {
	n := len(f)
	for i := range f {
		var v string
		if strings.HasPrefix(line, `"`) {
			end := strings.IndexByte(line[1:], '"')
			if end < 0 {
				return fmt.Errorf("unterminated quote")
			}
			v, line = line[1:end+1], line[end+2:]
		} else {
			end := strings.IndexByte(line, ',')
			if end < 0 {
				end = len(line)
			}
			v, line = line[:end], line[end:]
		}
		f[i] = v
		switch {
		case i < n-1 && strings.HasPrefix(line, ","):
			line = line[1:]
		case i == n-1 && line == "":
		default:
			return fmt.Errorf("want %d comma-separated fields", n)
		}
	}
	return nil
}

// gzCoded is any row kind with a code; the slices are sorted by it.
type gzCoded interface{ key() string }

func (r gzRegion) key() string { return r.code }
func (c gzCounty) key() string { return c.code }

// gzSearch returns the index of code in s, or -1.
func gzSearch[T gzCoded](s []T, code string) int {
	i := sort.Search(len(s), func(i int) bool { return s[i].key() >= code })
	if i < len(s) && s[i].key() == code {
		return i
	}
	return -1
}

// County returns the county-level unit with the given six-digit code, and
// false if there is none.
func (g *Gazetteer) County(code string) (towndesk.Place, bool) {
	i := gzSearch(g.counties, code)
	if i < 0 {
		return towndesk.Place{}, false
	}
	return g.countyPlace(int32(i)), true
}

// Town returns the township-level unit with the given nine-digit code, and
// false if there is none.
func (g *Gazetteer) Town(code string) (towndesk.Place, bool) {
	if code == "" {
		return towndesk.Place{}, false
	}
	at := g.searchTowns(code)
	if at >= len(g.streets) || g.townAt(int32(at)).code != code {
		return towndesk.Place{}, false
	}
	return g.townPlace(int32(at)), true
}

// Counties returns every county-level unit, in code order. It never fails.
func (g *Gazetteer) Counties() []towndesk.Place {
	out := make([]towndesk.Place, len(g.counties))
	for i := range g.counties {
		out[i] = g.countyPlace(int32(i))
	}
	return out
}

// CountiesNamed returns the county-level units whose full name is name
// (鼓楼区: four of them), in code order; nil if there is none.
func (g *Gazetteer) CountiesNamed(name string) []towndesk.Place {
	ids := g.countyFull[name]
	if len(ids) == 0 {
		return nil
	}
	out := make([]towndesk.Place, len(ids))
	for k, i := range ids {
		out[k] = g.countyPlace(i)
	}
	return out
}

// CountyNames returns the full name of every county-level unit, sorted by
// their bytes, each once. The slice is shared: callers must not change
// it. It never fails.
func (g *Gazetteer) CountyNames() []string {
	g.namesOnce.Do(func() {
		g.countyNames = make([]string, 0, len(g.countyFull))
		for name := range g.countyFull {
			g.countyNames = append(g.countyNames, name)
		}
		slices.Sort(g.countyNames)
	})
	return g.countyNames
}

// TownsOf returns the township-level units of the county with the given
// code, in code order, or nil if there is no such county.
func (g *Gazetteer) TownsOf(countyCode string) []towndesk.Place {
	i := gzSearch(g.counties, countyCode)
	if i < 0 {
		return nil
	}
	out := []towndesk.Place{}
	g.countyTowns(int32(i), func(at int32, _ gzTown) {
		out = append(out, g.townPlace(at))
	})
	return out
}

func (g *Gazetteer) countyPlace(i int32) towndesk.Place {
	c := &g.counties[i]
	p := towndesk.Place{Province: g.provinces[c.province].name, County: c.name, CountyCode: c.code}
	if c.city >= 0 {
		p.City = g.cities[c.city].name
	}
	return p
}

// townPlace returns the town whose line starts at offset at.
func (g *Gazetteer) townPlace(at int32) towndesk.Place {
	t := g.townAt(at)
	p := g.countyPlace(t.county)
	p.Town, p.TownCode = t.name, t.code
	return p
}

// countyLevels returns the name forms (full, short) of the province and city
// of county i, in the order people write them before a county's name.
func (g *Gazetteer) countyLevels(i int32) [][2]string {
	c := &g.counties[i]
	p := &g.provinces[c.province]
	levels := [][2]string{{p.name, p.short}}
	if c.city >= 0 {
		levels = append(levels, [2]string{g.cities[c.city].name, g.cities[c.city].short})
	}
	return levels
}

// gzChain reports whether s is made of one optional form from each level in
// order (山东省枣庄市, 山东滕州, 枣庄): how people prefix a place with the
// places that contain it.
func gzChain(s string, levels [][2]string) bool {
	if s == "" {
		return true
	}
	if len(levels) == 0 {
		return false
	}
	for _, form := range levels[0] {
		if form != "" && strings.HasPrefix(s, form) && gzChain(s[len(form):], levels[1:]) {
			return true
		}
	}
	return gzChain(s, levels[1:])
}

// gzFilter selects counties by province and, optionally, prefecture city;
// -1 means any.
type gzFilter struct{ province, city int32 }

var gzAny = gzFilter{-1, -1}

func (f gzFilter) match(c *gzCounty) bool {
	return (f.province < 0 || c.province == f.province) && (f.city < 0 || c.city == f.city)
}

// regionFilter reads the --province argument: a province (山东, 山东省) or,
// because people reach for the city they know, a prefecture city with or
// without its province (南京, 江苏南京市).
func (g *Gazetteer) regionFilter(s string) (gzFilter, bool) {
	for i, p := range g.provinces {
		if s == p.name || s == p.short {
			return gzFilter{int32(i), -1}, true
		}
	}
	for i, c := range g.cities {
		if c.name == "" {
			continue
		}
		p := g.provinces[c.province]
		for _, pf := range []string{"", p.name, p.short} {
			if rest, ok := strings.CutPrefix(s, pf); ok && (rest == c.name || rest == c.short) {
				return gzFilter{c.province, int32(i)}, true
			}
		}
	}
	return gzAny, false
}

// filterName names what f selects, for messages: 江苏省, 江苏省南京市.
func (g *Gazetteer) filterName(f gzFilter) string {
	s := g.provinces[f.province].name
	if f.city >= 0 {
		s += g.cities[f.city].name
	}
	return s
}

// ResolveCounty finds the county-level unit a person means by name: full
// (滕州市) or short (滕州), optionally prefixed with its province and city
// (山东省滕州市, 枣庄滕州). province, if not empty, narrows the search to a
// province (山东 or 山东省) or a prefecture city (南京). A full-name match
// beats short-name matches (朝阳区 is never 朝阳县).
//
// It returns a *towndesk.Error wrapping the *Resolution (see
// Resolution.Err): EINVALID if name is empty, province is unknown, or
// several counties match (the message lists them); ENOTFOUND if none
// matches (the message names up to five close real names).
func (g *Gazetteer) ResolveCounty(name, province string) (towndesk.Place, error) {
	r := g.resolveCounty(name, province)
	return r.Place, r.Err()
}

func (g *Gazetteer) resolveCounty(name, province string) *Resolution {
	name, province = strings.TrimSpace(name), strings.TrimSpace(province)
	r := &Resolution{Text: name, Level: County}
	if name == "" {
		return r.fail(Missing, nil, "请写出县（市、区）的名称。")
	}
	filter := gzAny
	if province != "" {
		var ok bool
		if filter, ok = g.regionFilter(province); !ok {
			r.Text = province
			r.fail(NotFound, nil, "没有找到省份“%s”，请写省名，如“山东”或“山东省”。", province)
			r.code = towndesk.EINVALID // a bad region, not a place
			return r
		}
		r.Within = g.filterPlace(filter)
	}
	found, in := g.countyMatches(name, filter)
	switch {
	case len(in) == 1:
		r.Reason, r.Place = Resolved, g.countyPlace(in[0])
		return r
	case len(in) > 1:
		r.fail(Ambiguous, g.countyPlaces(in), "“%s”有多个：%s。", name, placeList(g.countyPlaces(in)))
		if province != "" || g.sameProvince(in) {
			first := g.countyPlace(in[0])
			r.msg += fmt.Sprintf("请在名称前加上所在的市，如“%s”。", cmp.Or(first.City, first.Province)+first.County)
		}
		return r
	case len(found) > 0:
		return r.fail(NotFound, g.countyPlaces(found), "%s没有“%s”，别处有：%s。", g.filterName(filter), name, placeList(g.countyPlaces(found)))
	}
	if close := g.closestCounties(name, filter); len(close) > 0 {
		names := make([]string, len(close))
		for k, i := range close {
			names[k] = g.counties[i].name + "（" + g.provinces[g.counties[i].province].name + "）"
		}
		return r.fail(NotFound, g.countyPlaces(close), "没有找到“%s”，是不是：%s？", name, strings.Join(names, "、"))
	}
	return r.fail(NotFound, nil, "没有找到县（市、区）“%s”。", name)
}

// countyMatches returns the counties name can mean, full names beating
// short ones (see countyCandidates), and those of them inside filter.
func (g *Gazetteer) countyMatches(name string, filter gzFilter) (found, in []int32) {
	exact, short := g.countyCandidates(name)
	found = exact
	if len(found) == 0 {
		found = short
	}
	for _, i := range found {
		if filter.match(&g.counties[i]) {
			in = append(in, i)
		}
	}
	return found, in
}

func (g *Gazetteer) sameProvince(ids []int32) bool {
	for _, i := range ids {
		if g.counties[i].province != g.counties[ids[0]].province {
			return false
		}
	}
	return true
}

// countyCandidates returns the counties name can mean: exact are those whose
// full name ends name after an acceptable province/city prefix, short those
// whose short name does (滕州), or failing that, whose short name is name's
// (滕州县 for 滕州市).
func (g *Gazetteer) countyCandidates(name string) (exact, short []int32) {
	add := func(list []int32, prefix string, ids []int32) []int32 {
		for _, i := range ids {
			if prefix != "" && !gzChain(prefix, g.countyLevels(i)) {
				continue
			}
			dup := false
			for _, j := range list {
				dup = dup || i == j
			}
			if !dup {
				list = append(list, i)
			}
		}
		return list
	}
	var loose []int32
	for i := 0; i < len(name); {
		prefix, suffix := name[:i], name[i:]
		exact = add(exact, prefix, g.countyFull[suffix])
		short = add(short, prefix, g.countyShort[suffix])
		if s := ShortName(suffix); s != suffix {
			loose = add(loose, prefix, g.countyShort[s])
		}
		_, size := utf8.DecodeRuneInString(suffix)
		i += size
	}
	if len(short) == 0 {
		short = loose
	}
	slices.Sort(exact)
	slices.Sort(short)
	return exact, short
}

// closestCounties returns up to five counties whose names are closest to a
// name that matched none, preferring those inside filter or inside the
// province or city the name starts with.
func (g *Gazetteer) closestCounties(name string, filter gzFilter) []int32 {
	if filter == gzAny {
		// 山东滕洲市: look for 滕洲市 in 山东.
		for i := len(name) - 1; i > 0; i-- {
			if !utf8.RuneStart(name[i]) {
				continue
			}
			if f, ok := g.regionFilter(name[:i]); ok {
				name, filter = name[i:], f
				break
			}
		}
	}
	var ids []int32
	var names []gzName
	for i := range g.counties {
		if c := &g.counties[i]; filter.match(c) {
			ids = append(ids, int32(i))
			names = append(names, gzName{c.name, c.short})
		}
	}
	ks := gzClosest(name, names, 5)
	if len(ks) == 0 && filter != gzAny {
		return g.closestCounties(name, gzAny)
	}
	out := make([]int32, len(ks))
	for n, k := range ks {
		out[n] = ids[k]
	}
	return out
}

// gzName is a place's full and short name.
type gzName struct{ full, short string }

// gzClosest returns the indexes of up to n names closest to q: fewest rune
// edits to the full name plus to the short name first (so 滕洲市 is nearer
// 滕州市 than 东洲区), then the rarest characters shared with q (滕 says more
// than 洲, which many names have). Names sharing no character with q's short
// form are left out: they are not what anyone misspelt.
func gzClosest(q string, names []gzName, n int) []int {
	qs := ShortName(q)
	// How many names contain each of q's characters.
	count := make(map[rune]int)
	for _, r := range qs {
		count[r] = 0
	}
	for _, nm := range names {
		for r := range count {
			if strings.ContainsRune(nm.short, r) {
				count[r]++
			}
		}
	}
	type scored struct {
		k, dist int
		shared  float64
	}
	var cands []scored
	for k, nm := range names {
		shared := 0.0
		for r, c := range count {
			if strings.ContainsRune(nm.short, r) {
				shared += 1 / float64(c)
			}
		}
		if shared == 0 {
			continue
		}
		cands = append(cands, scored{k, towndesk.EditDistance(q, nm.full) + towndesk.EditDistance(qs, nm.short), shared})
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].dist != cands[j].dist {
			return cands[i].dist < cands[j].dist
		}
		return cands[i].shared > cands[j].shared
	})
	out := make([]int, 0, n)
	for _, c := range cands {
		if len(out) == n {
			break
		}
		out = append(out, c.k)
	}
	return out
}

// ResolveTown finds the township-level unit named name inside county (found
// by county.CountyCode): full (滨湖镇, 磁器口街道) or short (滨湖, 磁器口),
// optionally prefixed with the county and the places above it (滕州滨湖). A
// full-name match beats short-name matches.
//
// It returns a *towndesk.Error wrapping the *Resolution (see
// Resolution.Err): EINVALID if county has no code or name is empty, or if
// several towns match (two towns of one county with the same name
// included: it never guesses); ENOTFOUND if the county code is unknown or
// no town matches (the message names up to five close towns of the
// county).
func (g *Gazetteer) ResolveTown(county towndesk.Place, name string) (towndesk.Place, error) {
	r := g.resolveTown(county, name)
	return r.Place, r.Err()
}

func (g *Gazetteer) resolveTown(county towndesk.Place, name string) *Resolution {
	name = strings.TrimSpace(name)
	r := &Resolution{Text: name, Level: Town, Within: county.CountyPlace()}
	if county.CountyCode == "" {
		r.Level = County
		return r.fail(Missing, nil, "没有指定县（市、区），无法查找乡镇（街道）。")
	}
	ci := gzSearch(g.counties, county.CountyCode)
	if ci < 0 {
		r.Level = County
		return r.fail(NotFound, nil, "没有找到代码为“%s”的县（市、区）。", county.CountyCode)
	}
	r.Within = g.countyPlace(int32(ci))
	if name == "" {
		return r.fail(Missing, nil, "请写出乡镇（街道）的名称。")
	}
	c := &g.counties[ci]
	levels := append(g.countyLevels(int32(ci)), [2]string{c.name, c.short})
	var towns []gzTown
	var ats []int32 // the towns' line offsets
	g.countyTowns(int32(ci), func(at int32, t gzTown) {
		towns, ats = append(towns, t), append(ats, at)
	})
	shorts := make([]string, len(towns))
	for k, t := range towns {
		shorts[k] = ShortName(t.name)
	}
	var exact, short, loose []int32
	add := func(list []int32, k int) []int32 {
		for _, j := range list {
			if j == ats[k] {
				return list
			}
		}
		return append(list, ats[k])
	}
	for i := 0; i < len(name); {
		prefix, suffix := name[:i], name[i:]
		_, size := utf8.DecodeRuneInString(suffix)
		i += size
		if prefix != "" && !gzChain(prefix, levels) {
			continue
		}
		ss := ShortName(suffix)
		for k, t := range towns {
			switch {
			case t.name == suffix:
				exact = add(exact, k)
			case shorts[k] == suffix:
				short = add(short, k)
			case shorts[k] == ss:
				loose = add(loose, k) // 滨湖乡 for 滨湖镇
			}
		}
	}
	if len(short) == 0 {
		short = loose
	}
	slices.Sort(exact)
	slices.Sort(short)
	switch {
	case len(exact) == 1:
		r.Reason, r.Place = Resolved, g.townPlace(exact[0])
		return r
	case len(exact) > 1:
		code := func(t gzTown) string { return t.code }
		return r.fail(Ambiguous, g.townPlaces(exact), "%s有%d个同名的“%s”（代码%s），请用乡镇代码区分。",
			c.name, len(exact), g.townAt(exact[0]).name, g.townList(exact, code))
	case len(short) == 1:
		r.Reason, r.Place = Resolved, g.townPlace(short[0])
		return r
	case len(short) > 1:
		townName := func(t gzTown) string { return t.name }
		return r.fail(Ambiguous, g.townPlaces(short), "%s有多个“%s”：%s，请写全称。", c.name, name, g.townList(short, townName))
	}
	// Drop a county prefix before measuring: 滕州滨胡 is a misspelt 滨胡.
	q := name
	for i := len(name) - 1; i > 0; i-- {
		if utf8.RuneStart(name[i]) && gzChain(name[:i], levels) {
			q = name[i:]
			break
		}
	}
	names := make([]gzName, len(towns))
	for k, t := range towns {
		names[k] = gzName{t.name, shorts[k]}
	}
	close := gzClosest(q, names, 5)
	if len(close) == 0 {
		return r.fail(NotFound, nil, "%s没有叫“%s”的乡镇（街道）。", c.name, name)
	}
	list := make([]string, len(close))
	ids := make([]int32, len(close))
	for n, k := range close {
		list[n], ids[n] = towns[k].name, ats[k]
	}
	return r.fail(NotFound, g.townPlaces(ids), "%s没有“%s”，是不是：%s？", c.name, name, strings.Join(list, "、"))
}

// townList writes what of each town for a message, separated by 、.
func (g *Gazetteer) townList(ids []int32, what func(gzTown) string) string {
	parts := make([]string, len(ids))
	for k, i := range ids {
		parts[k] = what(g.townAt(i))
	}
	return strings.Join(parts, "、")
}

// ShortName returns name without one administrative suffix, the way people
// write places: 滨湖镇 → 滨湖, 磁器口街道 → 磁器口, 滕州市 → 滕州, 蓟州区 → 蓟州.
//
// The suffixes, longest first: 街道办事处, 自治县, 自治旗, 街道, 苏木, 乡, 镇,
// 县, 市, 区, 旗. After a township suffix or 自治县/自治旗 the ethnic part goes
// too: 大庙满族蒙古族乡 → 大庙, 长阳土家族自治县 → 长阳. Nothing is stripped that
// would leave fewer than two characters: 城区 stays 城区, 鄂温克族自治旗
// becomes 鄂温克族 (not 鄂温克, whose removal would leave nothing). A name with no such suffix is returned
// unchanged; ShortName never fails.
func ShortName(name string) string {
	for _, suf := range shortSuffixes {
		base, ok := strings.CutSuffix(name, suf.text)
		if !ok {
			continue
		}
		if utf8.RuneCountInString(base) < 2 {
			return name
		}
		if suf.ethnic {
			base = trimEthnic(base, suf.bare)
		}
		return base
	}
	return name
}

// shortSuffixes are the suffixes ShortName strips. ethnic says an ethnic
// group name may precede the suffix (满族乡); bare that it may appear without
// 族 (鄂伦春自治旗).
var shortSuffixes = []struct {
	text         string
	ethnic, bare bool
}{
	{"街道办事处", true, false},
	{"自治县", true, true},
	{"自治旗", true, true},
	{"街道", true, false},
	{"苏木", true, false},
	{"乡", true, false},
	{"镇", true, false},
	{"县", false, false},
	{"市", false, false},
	{"区", false, false},
	{"旗", false, false},
}

// regionShort returns the short name of a province or prefecture city:
// 山东省 → 山东, 广西壮族自治区 → 广西, 延边朝鲜族自治州 → 延边, 兴安盟 → 兴安.
func regionShort(name string) string {
	for _, suf := range []struct {
		text string
		bare bool
	}{{"特别行政区", false}, {"自治区", true}, {"自治州", true}, {"地区", false}, {"省", false}, {"市", false}, {"盟", false}} {
		base, ok := strings.CutSuffix(name, suf.text)
		if !ok {
			continue
		}
		if utf8.RuneCountInString(base) < 2 {
			return name
		}
		return trimEthnic(base, suf.bare)
	}
	return name
}

// ethnicGroups are the names of China's 55 minority groups (and 蔵, a
// misspelling of 藏 found in the gazetteer), as they appear before 族.
var ethnicGroups = []string{
	"蒙古", "回", "藏", "蔵", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白",
	"土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡",
	"纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬",
	"锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安",
	"裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
}

// trimEthnic strips trailing ethnic designations (满族蒙古族, 民族, 少数民族,
// and with bare also 蒙古, 哈萨克 without 族) while at least two characters
// remain.
func trimEthnic(s string, bare bool) string {
	for {
		next := s
		switch {
		case strings.HasSuffix(s, "少数民族"):
			next = strings.TrimSuffix(s, "少数民族")
		case strings.HasSuffix(s, "民族"):
			next, bare = strings.TrimSuffix(s, "民族"), true
		default:
			for _, e := range ethnicGroups {
				if rest, ok := strings.CutSuffix(s, "族"); ok && strings.HasSuffix(rest, e) { // e+"族", without building it
					next = strings.TrimSuffix(rest, e)
					break
				}
				if bare && utf8.RuneCountInString(e) >= 2 && strings.HasSuffix(s, e) {
					next = strings.TrimSuffix(s, e)
					break
				}
			}
		}
		if next == s || utf8.RuneCountInString(next) < 2 {
			return s
		}
		s = next
	}
}
