package gazetteer

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/towndesk/towndesk"
)

// Reason says how a written place name was understood.
type Reason int

// The reasons of a Resolution.
const (
	// Resolved: the name means one place.
	Resolved Reason = iota
	// Missing: no name was written.
	Missing
	// NotFound: no place has that name; Candidates are the closest real
	// ones, if any.
	NotFound
	// Ambiguous: several places have that name; Candidates are they.
	Ambiguous
)

// Level is what a name was taken to name.
type Level string

// The levels of a place name.
const (
	County Level = "county" // a county-level unit (县, 县级市, 区, 旗)
	Town   Level = "town"   // a township-level unit (乡, 镇, 街道, 苏木)
)

// maxCandidates caps the candidates a Resolution keeps.
const maxCandidates = 10

// Resolution is what a place name as people write it means: one place,
// none, or several. It says so in structure, so that each front end can
// write its own hint (the command line names its flags, chat names
// places); Err turns an unresolved one into an error whose message states
// the problem without such a hint.
type Resolution struct {
	// Text is the name as written (trimmed).
	Text   string
	Reason Reason
	// Place is the place meant (Resolved only): a county or a town.
	Place towndesk.Place
	// Level is the level of Place, or of what could not be pinned down.
	Level Level
	// Candidates are the places Text can mean (Ambiguous) or the closest
	// real ones (NotFound), at most ten, in code order; Total counts all
	// of them.
	Candidates []towndesk.Place
	Total      int
	// Within is where the name was looked for: the county of a town, or
	// the province or city given for a county; zero for the whole country.
	Within towndesk.Place

	code string // the towndesk error code of an unresolved name
	msg  string // its Chinese message
}

// fail marks r unresolved for reason, with the candidates and the message.
func (r *Resolution) fail(reason Reason, cands []towndesk.Place, format string, args ...any) *Resolution {
	r.Reason, r.Total = reason, len(cands)
	r.Candidates = cands[:min(len(cands), maxCandidates)]
	r.code = towndesk.EINVALID
	if reason == NotFound {
		r.code = towndesk.ENOTFOUND
	}
	r.msg = fmt.Sprintf(format, args...)
	return r
}

// Err returns nil for a resolved name, and otherwise a *towndesk.Error
// (EINVALID for a missing or ambiguous name, ENOTFOUND for an unknown
// one) whose Message states the problem and names the candidates, and
// which wraps r: errors.As finds the *Resolution for a front end's hint.
func (r *Resolution) Err() error {
	if r.Reason == Resolved {
		return nil
	}
	return &towndesk.Error{Code: r.code, Message: r.msg, Err: r}
}

// Error describes an unresolved name for logs.
func (r *Resolution) Error() string {
	switch r.Reason {
	case Resolved:
		return fmt.Sprintf("place %q: %s", r.Text, r.Place.Code())
	case Missing:
		return fmt.Sprintf("%s name missing", r.Level)
	case Ambiguous:
		return fmt.Sprintf("%s %q: ambiguous (%d candidates)", r.Level, r.Text, r.Total)
	}
	return fmt.Sprintf("%s %q: not found", r.Level, r.Text)
}

// Resolve finds the place text names: a county or a town, as people
// write it. A name written in one piece is looked up, in this order:
//
//  1. as a town of the default place's county (def.CountyCode), the
//     asker's channel or desk;
//  2. as a county and a town written together (滕州市滨湖镇, 昌吉滨湖);
//  3. as a county or a town anywhere in the country (inside def.Province
//     when def names no county): full names first (佛堂镇 is the one town
//     so called), then short ones (滕州, 佛堂).
//
// Parts are separated by / or spaces: 县/镇 (滕州市/滨湖镇) or 省/县/镇
// (山东/滕州市/滨湖镇); the town must then be in that county.
//
// The first step that finds anything decides; more than one place found
// by it is Ambiguous: Resolve never guesses.
// When nothing is found, the first step's closest towns (or the closest
// counties) are the candidates.
func (g *Gazetteer) Resolve(text string, def towndesk.Place) *Resolution {
	text = strings.TrimSpace(text)
	parts := strings.FieldsFunc(text, func(r rune) bool { return r == '/' || r == '／' || unicode.IsSpace(r) })
	switch len(parts) {
	case 0:
		r := &Resolution{Text: text, Level: Town}
		return r.fail(Missing, nil, "请写出地名，如“滨湖镇”或“滕州市滨湖镇”。")
	case 1:
		return g.resolveName(parts[0], def)
	case 2, 3:
		province := ""
		if def.CountyCode == "" {
			province = def.Province
		}
		if len(parts) == 3 {
			province, parts = parts[0], parts[1:]
		}
		c := g.resolveCounty(parts[0], province)
		if c.Reason != Resolved {
			return c
		}
		return g.resolveTown(c.Place, parts[1])
	}
	r := &Resolution{Text: text, Level: Town}
	return r.fail(NotFound, nil, "地名“%s”分成了 %d 段；请写 县/镇 或 省/县/镇，如“滕州市/滨湖镇”。", text, len(parts))
}

// ResolveParts finds the place named by its parts, as a configuration
// file or command-line flags give them: the county (required; full or
// short name, optionally prefixed with its province or city), the town in
// it (optional) and the province or city (optional) that tells
// same-named counties apart. An unresolved county comes back at the
// County level, an unresolved town at the Town level.
func (g *Gazetteer) ResolveParts(province, county, town string) *Resolution {
	c := g.resolveCounty(county, province)
	if c.Reason != Resolved || strings.TrimSpace(town) == "" {
		return c
	}
	return g.resolveTown(c.Place, town)
}

// resolveName is Resolve for a name written in one piece.
func (g *Gazetteer) resolveName(name string, def towndesk.Place) *Resolution {
	var first *Resolution
	if def.CountyCode != "" {
		first = g.resolveTown(def, name)
		if first.Reason != NotFound {
			return first
		}
	}
	// def's province narrows the search only when def names no county:
	// a desk's county does not keep its workers from naming another.
	province, filter := "", gzAny
	if def.CountyCode == "" && def.Province != "" {
		province = def.Province
		filter, _ = g.regionFilter(province)
	}
	var found []towndesk.Place
	add := func(p towndesk.Place) {
		if !slices.Contains(found, p) {
			found = append(found, p)
		}
	}
	// 滕州市滨湖镇, 昌吉滨湖: every split into a county and a town.
	for i := range name {
		if i == 0 {
			continue
		}
		c, ok := g.uniqueCounty(name[:i], filter)
		if !ok {
			continue
		}
		if t := g.resolveTown(g.countyPlace(c), name[i:]); t.Reason == Resolved {
			add(t.Place)
		}
	}
	// The name alone, as a county or a town anywhere: full names, else
	// short ones. Unlike inside one county, a town of another kind (滨湖乡
	// for 滨湖镇) is not taken for it: across the country that is a guess.
	if len(found) == 0 {
		g.townsOnce.Do(g.indexTowns)
		for _, tier := range [][2]map[string][]int32{{g.countyFull, g.townFull}, {g.countyShort, g.townShort}} {
			for _, i := range tier[0][name] {
				if filter.match(&g.counties[i]) {
					add(g.countyPlace(i))
				}
			}
			for _, i := range tier[1][name] {
				if filter.match(&g.counties[g.townAt(i).county]) {
					add(g.townPlace(i))
				}
			}
			if len(found) > 0 {
				break
			}
		}
	}
	r := &Resolution{Text: name, Level: Town}
	switch {
	case len(found) == 1:
		r.Reason, r.Place = Resolved, found[0]
		if !r.Place.IsTown() {
			r.Level = County
		}
		return r
	case len(found) > 1:
		slices.SortFunc(found, func(a, b towndesk.Place) int { return strings.Compare(a.Code(), b.Code()) })
		if !slices.ContainsFunc(found, towndesk.Place.IsTown) {
			r.Level = County
		}
		return r.fail(Ambiguous, found, "“%s”有多个：%s。", name, placeList(found))
	case first != nil:
		return first
	}
	if strings.HasSuffix(name, "镇") || strings.HasSuffix(name, "乡") || strings.HasSuffix(name, "街道") || strings.HasSuffix(name, "苏木") {
		return r.fail(NotFound, nil, "没有找到乡镇（街道）“%s”。", name)
	}
	return g.resolveCounty(name, province)
}

// uniqueCounty returns the one county inside filter that name means, as
// resolveCounty finds it; false if none or several.
func (g *Gazetteer) uniqueCounty(name string, filter gzFilter) (int32, bool) {
	if _, in := g.countyMatches(name, filter); len(in) == 1 {
		return in[0], true
	}
	return -1, false
}

// indexTowns builds the maps of towns by full and short name.
func (g *Gazetteer) indexTowns() {
	g.townFull = make(map[string][]int32, 42000)
	g.townShort = make(map[string][]int32, 42000)
	g.eachTown(func(at int32, t gzTown) {
		g.townFull[t.name] = append(g.townFull[t.name], at)
		if s := ShortName(t.name); s != t.name {
			g.townShort[s] = append(g.townShort[s], at)
		}
	})
}

// placeList writes places for a message: 山东省枣庄市滕州市滨湖镇、…, at
// most maxCandidates, then how many in all.
func placeList(ps []towndesk.Place) string {
	var parts []string
	for k, p := range ps {
		if k == maxCandidates {
			parts = append(parts, fmt.Sprintf("等%d个", len(ps)))
			break
		}
		parts = append(parts, p.Province+p.City+p.County+p.Town)
	}
	return strings.Join(parts, "、")
}

func (g *Gazetteer) countyPlaces(ids []int32) []towndesk.Place {
	out := make([]towndesk.Place, len(ids))
	for k, i := range ids {
		out[k] = g.countyPlace(i)
	}
	return out
}

func (g *Gazetteer) townPlaces(ids []int32) []towndesk.Place {
	out := make([]towndesk.Place, len(ids))
	for k, i := range ids {
		out[k] = g.townPlace(i)
	}
	return out
}

// filterPlace returns the province (and city) f selects, as a place.
func (g *Gazetteer) filterPlace(f gzFilter) towndesk.Place {
	var p towndesk.Place
	if f.province >= 0 {
		p.Province = g.provinces[f.province].name
	}
	if f.city >= 0 {
		p.City = g.cities[f.city].name
	}
	return p
}
