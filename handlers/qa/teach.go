package qa

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/kb"
	"github.com/towndesk/towndesk/storage"
)

// List maintainers teach the bot: a wording of a question that the
// engine got wrong, or was not sure of, is linked to the right item (or to
// "no list has this"), and later questions like it are answered as taught
// (see kb.KB.WithTaught). Links are recorded with who taught them and
// when, can be listed, retracted, exported and imported, and never answer
// before the place is known or for a place outside their scope.

// TeachInput is one correction.
type TeachInput struct {
	Question string
	// Town and County are the asker's default place: the place the
	// question is about when it names none.
	Town, County string
	// Scope is how far the link reaches; "" means the town when the
	// question is about a town, else the county.
	Scope towndesk.Scope
	// Code is the right item's code; or None with a Note.
	Code string
	None bool
	Note string
	By   string
	// QuestionID is the logged chat question taught from, if any.
	QuestionID int64
}

// TeachReply says what was learned and for which place.
type TeachReply struct {
	Link towndesk.TaughtLink
	// Item and List are the taught item and the list it was found in
	// (zero for a "none" link).
	Item towndesk.PowerItem
	List towndesk.List
}

// Teach records a correction. The question's place must be known (in the
// question or the default place), and Code must be in a current list of
// that place (its town's or its county's). It returns EINVALID for a
// question over towndesk.MaxQuestion characters or with control
// characters (checked before it is read), one the matcher could not read
// in time, one without a place or matter, a bad scope or a missing field;
// ENOTFOUND for a code the place's lists do not have.
func (l *Lists) Teach(ctx context.Context, in TeachInput) (*TeachReply, error) {
	if err := towndesk.CheckQuestion(in.Question); err != nil {
		return nil, err
	}
	if err := l.ready(ctx); err != nil {
		return nil, err
	}
	res, err := match(ctx, l.newBudget(), func(ctx context.Context) (*towndesk.AskResult, error) {
		return l.kb.Ask(ctx, kb.Query{Question: in.Question, Town: in.Town, County: in.County})
	})
	if err != nil {
		return nil, err
	}
	switch res.Status {
	case towndesk.StatusNeedPlace:
		return nil, towndesk.Invalidf("place", "这个问法没有写地点，请指定乡镇或县（问题里写明，或用 --town/--county）")
	case towndesk.StatusAmbiguousPlace:
		return nil, towndesk.Invalidf("place", "这个问法的地点不唯一（%s），请指定县", placeNames(res.Places))
	}
	place := *res.Place
	link := towndesk.TaughtLink{Question: in.Question, Matter: res.Matter, Scope: in.Scope, QuestionID: in.QuestionID,
		None: in.None, Note: strings.TrimSpace(in.Note), Code: strings.TrimSpace(in.Code), By: strings.TrimSpace(in.By)}
	if link.Scope == "" {
		link.Scope = towndesk.ScopeCounty
		if place.IsTown() {
			link.Scope = towndesk.ScopeTown
		}
	}
	switch link.Scope {
	case towndesk.ScopeTown:
		link.Place = place
	case towndesk.ScopeCounty:
		link.Place = place.CountyPlace()
	}
	reply := &TeachReply{}
	if !link.None && link.Code != "" {
		it, list, err := l.findItem(ctx, place, link.Code, "")
		if err != nil {
			return nil, err
		}
		link.ItemName, reply.Item, reply.List = it.Name, it, list
	}
	if err := l.db.Teach(ctx, &link); err != nil {
		return nil, err
	}
	reply.Link = link
	return reply, nil
}

func placeNames(ps []towndesk.Place) string {
	var names []string
	for _, p := range ps {
		names = append(names, p.Province+p.Short())
	}
	return strings.Join(names, "、")
}

// findItem finds an item of place's current lists (the town's, then the
// county's) by code, or failing that by name. It returns ENOTFOUND naming
// the lists searched.
func (l *Lists) findItem(ctx context.Context, place towndesk.Place, code, name string) (towndesk.PowerItem, towndesk.List, error) {
	lists, err := l.placeLists(ctx, place)
	if err != nil {
		return towndesk.PowerItem{}, towndesk.List{}, err
	}
	for _, byName := range []bool{false, true} {
		for _, list := range lists {
			switch {
			case !byName:
				it, ok, err := l.db.ItemByCode(ctx, list.EditionID, code)
				if ok || err != nil {
					return it, list, err
				}
			case name != "":
				items, err := l.db.ItemsByName(ctx, list.EditionID, name)
				if len(items) > 0 || err != nil {
					return first(items), list, err
				}
			}
		}
	}
	var names []string
	for _, list := range lists {
		names = append(names, ListName(list))
	}
	if len(names) == 0 {
		return towndesk.PowerItem{}, towndesk.List{}, towndesk.Errorf(towndesk.ENOTFOUND, "%s还没有导入权力清单", place.Short())
	}
	return towndesk.PowerItem{}, towndesk.List{}, &towndesk.Error{Code: towndesk.ENOTFOUND, Field: "code",
		Message: fmt.Sprintf("%s 不在%s的现行清单中（已查：%s）", towndesk.ItemCode(code), place.Short(), strings.Join(names, "、"))}
}

func first(items []towndesk.PowerItem) towndesk.PowerItem {
	if len(items) == 0 {
		return towndesk.PowerItem{}
	}
	return items[0]
}

// placeLists returns the current lists that speak for place: the town's
// own, then its county's.
func (l *Lists) placeLists(ctx context.Context, place towndesk.Place) ([]towndesk.List, error) {
	all, err := l.db.Lists(ctx)
	if err != nil {
		return nil, err
	}
	var town, county []towndesk.List
	for _, list := range all {
		switch {
		case place.IsTown() && list.Place.IsTown() && list.Place.TownCode == place.TownCode:
			town = append(town, list)
		case !list.Place.IsTown() && list.Place.CountyCode == place.CountyCode:
			county = append(county, list)
		}
	}
	return append(town, county...), nil
}

// codeLike matches what could be an item code rather than words.
func codeLike(s string) bool {
	if len(s) < 4 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// Search returns up to kb.PoolSize items of the current lists of the
// place in.Town/in.County (or the place in.Question names) that match
// in.Question: the item with that code, or the rows that match its words
// best. It is the search box of the teaching form: no threshold applies.
func (l *Lists) Search(ctx context.Context, in AskInput) ([]towndesk.Match, error) {
	text := strings.TrimSpace(in.Question)
	if text == "" {
		return nil, nil
	}
	if err := towndesk.CheckQuestion(text); err != nil {
		return nil, err
	}
	if err := l.ready(ctx); err != nil {
		return nil, err
	}
	if codeLike(text) && in.County != "" {
		c, err := l.resolve("", in.County, in.Town)
		if err != nil {
			return nil, err
		}
		it, list, err := l.findItem(ctx, c, text, "")
		if towndesk.ErrorCode(err) == towndesk.ENOTFOUND {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return []towndesk.Match{{Item: it, List: list, Role: towndesk.RoleCandidate}}, nil
	}
	return match(ctx, l.newBudget(), func(ctx context.Context) ([]towndesk.Match, error) {
		return l.kb.Pool(ctx, kb.Query{Question: text, Town: in.Town, County: in.County})
	})
}

// Untaught retracts taught link id. It returns ENOTFOUND for an unknown
// link and ECONFLICT for one already retracted.
func (l *Lists) Untaught(ctx context.Context, id int64, by, reason string) (*towndesk.TaughtLink, error) {
	if err := l.db.Retract(ctx, id, strings.TrimSpace(by), strings.TrimSpace(reason)); err != nil {
		return nil, err
	}
	return l.db.TaughtLink(ctx, id)
}

// TaughtView is a taught link as listed: Stale when a re-import removed
// its item from every list of its scope (it answers nothing then).
type TaughtView struct {
	towndesk.TaughtLink
	Stale bool `json:"stale"`
}

// Taught returns every taught link, retracted ones included, oldest
// first, with stale ones marked.
func (l *Lists) Taught(ctx context.Context) ([]TaughtView, error) {
	if _, err := l.LoadSample(ctx); err != nil {
		return nil, err
	}
	links, err := l.db.TaughtLinks(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]TaughtView, len(links))
	for i := range links {
		out[i].TaughtLink = links[i]
		if links[i].Active() {
			if out[i].Stale, err = l.kb.Stale(ctx, &links[i]); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// ExportTaught writes the active links as JSON lines, one per link, for
// TeachFile in another data directory.
func (l *Lists) ExportTaught(ctx context.Context, w io.Writer) (int, error) {
	links, err := l.db.TaughtLinks(ctx)
	if err != nil {
		return 0, err
	}
	enc := json.NewEncoder(w)
	n := 0
	for _, link := range links {
		if !link.Active() {
			continue
		}
		link.ID = 0
		if err := enc.Encode(link); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// maxTaughtFile caps a file of links.
const maxTaughtFile = 10000

// TeachFile imports links written by ExportTaught. Each keeps its teacher
// and time. With a place (county, and town for town-scoped links) the
// links are moved there: a town link to that town, a county link to that
// county; without one they keep their own. Every link's item must be in a
// current list of its place, by code or by item name. All lines are
// checked first; on any problem nothing is stored and the error lists
// every line (NAME:LINE: …).
func (l *Lists) TeachFile(ctx context.Context, r io.Reader, name string, county, town string) ([]towndesk.TaughtLink, error) {
	if _, err := l.LoadSample(ctx); err != nil {
		return nil, err
	}
	var target *towndesk.Place
	if county != "" || town != "" {
		p, err := l.resolve("", county, town)
		if err != nil {
			return nil, err
		}
		target = &p
	}
	var links []towndesk.TaughtLink
	var problems []string
	errTooMany := towndesk.Errorf(towndesk.EINVALID, "%s: 超过 %d 条纠正，请分成几个文件导入", name, maxTaughtFile)
	err := towndesk.EachLine(r, name, func(n int, line string) error {
		if len(links)+len(problems) >= maxTaughtFile {
			return errTooMany
		}
		var link towndesk.TaughtLink
		if err := json.Unmarshal([]byte(line), &link); err != nil {
			problems = append(problems, fmt.Sprintf("%s:%d: 不是有效的纠正记录（%v）", name, n, err))
			return nil
		}
		link.ID, link.Retracted = 0, nil
		if target != nil {
			switch link.Scope {
			case towndesk.ScopeTown:
				if !target.IsTown() {
					problems = append(problems, fmt.Sprintf("%s:%d: 这条纠正只用于乡镇（%s），请用 --town 指定新的乡镇", name, n, link.Place.Short()))
					return nil
				}
				link.Place = *target
			case towndesk.ScopeCounty:
				link.Place = target.CountyPlace()
			}
		}
		if err := link.Validate(); err != nil {
			problems = append(problems, fmt.Sprintf("%s:%d: %s", name, n, towndesk.ErrorMessage(err)))
			return nil
		}
		if !link.None {
			where := link.Place
			if link.Scope == towndesk.ScopeAll && target != nil {
				where = *target
			}
			if where.CountyCode != "" {
				it, _, err := l.findItem(ctx, where, link.Code, link.ItemName)
				if err != nil {
					problems = append(problems, fmt.Sprintf("%s:%d: %s", name, n, towndesk.ErrorMessage(err)))
					return nil
				}
				link.Code, link.ItemName = it.Code, it.Name
			}
		}
		links = append(links, link)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, towndesk.Errorf(towndesk.EINVALID, "%s 有 %d 处问题，没有导入任何纠正：\n%s", name, len(problems), strings.Join(problems, "\n"))
	}
	if err := l.db.TeachAll(ctx, links); err != nil {
		return nil, err
	}
	return links, nil
}

// ReviewItem is one entry of the maintainers' queue: a normalised form of
// questions that got no answer, an uncertain one, or a 没用.
type ReviewItem struct {
	Matter     []string         `json:"matter"`
	Example    string           `json:"example"` // the latest wording (masked)
	Count      int              `json:"count"`
	Last       time.Time        `json:"last"`
	Places     []towndesk.Place `json:"places"`
	Statuses   []string         `json:"statuses"`
	Candidates []string         `json:"candidates"` // codes shown as candidates
	NotUseful  int              `json:"not_useful"`
}

// Review returns the maintainers' queue, most asked first: questions
// since the given time (zero: all) that got not_found or uncertain, or a
// 没用, grouped by normalised form. Forms a maintainer already taught for
// the place drop out.
func (l *Lists) Review(ctx context.Context, since time.Time) ([]ReviewItem, error) {
	f := storage.ReviewFilter{}
	if !since.IsZero() {
		f.Since = &since
	}
	qs, err := l.db.ReviewQuestions(ctx, f)
	if err != nil {
		return nil, err
	}
	byForm := map[string]*ReviewItem{}
	var order []string
	for _, q := range qs {
		if len(q.Matter) == 0 {
			continue
		}
		if links, err := l.kb.TaughtFor(ctx, q.Matter, q.Place); err != nil {
			return nil, err
		} else if len(links) > 0 && q.Place.CountyCode != "" {
			continue // taught since
		}
		key := strings.Join(q.Matter, " ")
		it := byForm[key]
		if it == nil {
			it = &ReviewItem{Matter: q.Matter}
			byForm[key] = it
			order = append(order, key)
		}
		it.Count++
		it.Example, it.Last = q.Text, q.AskedAt
		if q.Place.CountyCode != "" && !slices.Contains(it.Places, q.Place) {
			it.Places = append(it.Places, q.Place)
		}
		status := string(q.Status)
		if q.NotUseful > 0 {
			status = "没用"
			it.NotUseful++
		}
		if !slices.Contains(it.Statuses, status) {
			it.Statuses = append(it.Statuses, status)
		}
		for _, c := range q.Candidates {
			if !slices.Contains(it.Candidates, c) {
				it.Candidates = append(it.Candidates, c)
			}
		}
	}
	out := make([]ReviewItem, 0, len(order))
	for _, k := range order {
		out = append(out, *byForm[k])
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Last.After(out[j].Last)
	})
	return out, nil
}

// TeachingFigures returns the figures of teaching for a weekly summary of
// scope (a town, a county, or the zero place for everything): the queue's
// size, the links taught in [since, until) by teacher, and the stale
// links.
func (l *Lists) TeachingFigures(ctx context.Context, scope towndesk.Place, since, until time.Time) (towndesk.TeachingFigures, error) {
	var f towndesk.TeachingFigures
	in := func(p towndesk.Place) bool {
		switch {
		case scope.CountyCode == "":
			return true
		case scope.IsTown():
			return p.TownCode == scope.TownCode
		}
		return p.CountyCode == scope.CountyCode
	}
	queue, err := l.Review(ctx, time.Time{})
	if err != nil {
		return f, err
	}
	for _, it := range queue {
		for _, p := range it.Places {
			if in(p) {
				f.Queue++
				break
			}
		}
	}
	views, err := l.Taught(ctx)
	if err != nil {
		return f, err
	}
	byTeacher := map[string]int{}
	for _, v := range views {
		// A link for everywhere, or for a county, counts in the summaries
		// of the places it covers.
		covers := v.Scope == towndesk.ScopeAll || in(v.Place) || scope.IsTown() && v.Covers(scope)
		if !covers {
			continue
		}
		if !v.At.Before(since) && v.At.Before(until) {
			byTeacher[v.By]++
		}
		if v.Active() && v.Stale {
			f.Stale++
		}
	}
	for by, n := range byTeacher {
		f.Taught = append(f.Taught, towndesk.TaughtCount{By: by, Count: n})
	}
	sort.Slice(f.Taught, func(i, j int) bool {
		if f.Taught[i].Count != f.Taught[j].Count {
			return f.Taught[i].Count > f.Taught[j].Count
		}
		return f.Taught[i].By < f.Taught[j].By
	})
	return f, nil
}

// Chosen returns the reply text for the row with code among the current
// lists of place, which the asker picked among an uncertain reply's
// candidates: the row as an answer would show it (who acts and in whose
// name, or where to apply for a licence; the handling unit, the basis and
// the list), introduced as the asker's choice rather than as towndesk's
// answer. It returns ENOTFOUND when no current list of place has code.
func (l *Lists) Chosen(ctx context.Context, place towndesk.Place, code string) (string, error) {
	it, list, err := l.findItem(ctx, place, code, "")
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("你选的事项：")
	writeRow(&b, towndesk.Match{Item: it, List: list}, place, grant(it))
	return towndesk.MaskText(b.String()), nil
}
