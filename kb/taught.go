package kb

import (
	"cmp"
	"context"
	"slices"
	"sync"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/kb/internal/index"
	"github.com/towndesk/towndesk/kb/lexicon"
)

// TaughtSource gives the links list maintainers taught and looks items up
// for them; *storage.DB implements it.
type TaughtSource interface {
	// TaughtGeneration changes whenever a link is taught or retracted.
	TaughtGeneration(ctx context.Context) (string, error)
	// TaughtLinks returns every link, retracted ones included.
	TaughtLinks(ctx context.Context) ([]towndesk.TaughtLink, error)
	// ItemByCode returns an edition's row with code; ok is false if none.
	ItemByCode(ctx context.Context, editionID int64, code string) (towndesk.PowerItem, bool, error)
	// ItemsByName returns an edition's rows with the item name.
	ItemsByName(ctx context.Context, editionID int64, name string) ([]towndesk.PowerItem, error)
}

// taughtState is the KB's copy of the active taught links.
type taughtState struct {
	src TaughtSource

	mu    sync.Mutex
	gen   string
	links []towndesk.TaughtLink // active links only
}

// WithTaught makes k answer from the links in src before it searches (see
// Ask) and returns k. Call it before k answers anything.
func (k *KB) WithTaught(src TaughtSource) *KB {
	k.taught = &taughtState{src: src}
	return k
}

// activeLinks returns the active taught links, read again when they changed.
func (t *taughtState) activeLinks(ctx context.Context) ([]towndesk.TaughtLink, error) {
	gen, err := t.src.TaughtGeneration(ctx)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if gen == t.gen && t.links != nil {
		return t.links, nil
	}
	all, err := t.src.TaughtLinks(ctx)
	if err != nil {
		return nil, err
	}
	links := make([]towndesk.TaughtLink, 0, len(all))
	for _, l := range all {
		if l.Active() {
			links = append(links, l)
		}
	}
	t.links, t.gen = links, gen
	return links, nil
}

// Similarity of normalised forms: each word of a form is read as its
// synonym group (违建 and 乱搭乱建 are one word) and weighted as in
// scoring (a rare list word heavily, a word no list uses at Params.Unknown
// of a rare one, a single character at Params.SingleWeight); two forms are
// as similar as the weight of the words they share over the weight of all
// their words (weighted Jaccard). A taught link answers a question whose
// form is at least Params.TaughtSimilarity like the link's.

// formWeights returns the words of a normalised form, read as synonym
// groups, with their weights.
func (k *KB) formWeights(ctx context.Context, words []string) (map[string]float64, error) {
	keys := make([]string, 0, len(words))
	for _, w := range words {
		if lexicon.IsNumber(w) {
			continue
		}
		if official, ok := k.syn.Expand(w); ok && len(official) > 0 {
			w = official[0]
		}
		keys = append(keys, w)
	}
	docs, st, err := k.index.Stats(ctx, keys)
	if err != nil {
		return nil, err
	}
	rare := idf(index.TermStats{Name: 1}, docs)
	out := make(map[string]float64, len(keys))
	for _, w := range keys {
		wt := idf(st[w], docs)
		switch {
		case len([]rune(w)) == 1:
			wt = k.params.SingleWeight * max(wt, k.params.TaughtUnknown*rare)
		case wt == 0:
			wt = k.params.TaughtUnknown * rare
		}
		out[w] = wt
	}
	return out, nil
}

// similarity is the weighted Jaccard similarity of two weighted forms.
func similarity(a, b map[string]float64) float64 {
	var shared, all float64
	for w, wt := range a {
		all += wt
		if _, ok := b[w]; ok {
			shared += wt
		}
	}
	for w, wt := range b {
		if _, ok := a[w]; !ok {
			all += wt
		}
	}
	if all == 0 {
		return 0
	}
	return shared / all
}

// useTaught answers res from the taught link most like the question whose
// scope covers res.Place, if there is one and its item is in the asker's
// lists. It reports whether it answered.
func (k *KB) useTaught(ctx context.Context, res *towndesk.AskResult, p parsed, townList, countyList *towndesk.List) (bool, error) {
	if k.taught == nil || res.Place == nil {
		return false, nil
	}
	links, err := k.linksFor(ctx, p.matter, *res.Place)
	if err != nil {
		return false, err
	}
	for _, l := range links {
		ref := &towndesk.TaughtRef{ID: l.ID, By: l.By, At: l.At}
		if l.None {
			res.Status, res.Taught, res.TaughtNote = towndesk.StatusNotFound, ref, l.Note
			return true, nil
		}
		// A link whose item the asker's lists do not have is skipped for
		// the next.
		if ok, err := k.answerTaught(ctx, res, &l, ref, townList, countyList); ok || err != nil {
			return ok, err
		}
	}
	return false, nil
}

// TaughtFor returns the active taught links that answer a question with
// the normalised form matter about place, most similar first (see
// similarity); none if no list maintainer taught it.
func (k *KB) TaughtFor(ctx context.Context, matter []string, place towndesk.Place) ([]towndesk.TaughtLink, error) {
	if k.taught == nil {
		return nil, nil
	}
	return k.linksFor(ctx, matter, place)
}

func (k *KB) linksFor(ctx context.Context, matter []string, place towndesk.Place) ([]towndesk.TaughtLink, error) {
	near, err := k.similarLinks(ctx, matter, place, k.params.TaughtSimilarity)
	out := make([]towndesk.TaughtLink, len(near))
	for i, n := range near {
		out[i] = n.link
	}
	return out, err
}

// similarLink is a taught link and how like a question it is.
type similarLink struct {
	link towndesk.TaughtLink
	sim  float64
}

// similarLinks returns the active links covering place whose normalised
// form is at least min like matter, most similar first (among equals, the
// latest taught).
func (k *KB) similarLinks(ctx context.Context, matter []string, place towndesk.Place, min float64) ([]similarLink, error) {
	if k.taught == nil || len(matter) == 0 {
		return nil, nil
	}
	links, err := k.taught.activeLinks(ctx)
	if err != nil || len(links) == 0 {
		return nil, err
	}
	q, err := k.formWeights(ctx, matter)
	if err != nil {
		return nil, err
	}
	var out []similarLink
	for _, l := range links {
		if !l.Covers(place) {
			continue
		}
		lw, err := k.formWeights(ctx, l.Matter)
		if err != nil {
			return nil, err
		}
		if s := similarity(q, lw); s >= min {
			out = append(out, similarLink{l, s})
		}
	}
	slices.SortStableFunc(out, func(a, b similarLink) int {
		if a.sim != b.sim {
			return cmp.Compare(b.sim, a.sim)
		}
		return cmp.Compare(b.link.ID, a.link.ID)
	})
	return out, nil
}

// taughtWords is what links nearly like a question add to the rows of
// their items: the links' words, and the synonym group each stands for. A
// question word among them matches the row as a dictionary word would: the
// maintainer said such a question is about the item.
type taughtWords map[string]bool

// nearLinks returns, per item (code and name), the words of the active
// links covering place that are at least Params.TaughtNear like matter but
// not like enough to answer from (see useTaught).
func (k *KB) nearLinks(ctx context.Context, matter []string, place towndesk.Place) ([]similarLink, error) {
	near, err := k.similarLinks(ctx, matter, place, k.params.TaughtNear)
	if err != nil {
		return nil, err
	}
	out := near[:0]
	for _, n := range near {
		if !n.link.None && n.sim < k.params.TaughtSimilarity {
			out = append(out, n)
		}
	}
	return out, nil
}

// words returns the words of a link with the synonym groups they stand for.
func (k *KB) linkWords(l *towndesk.TaughtLink) taughtWords {
	out := taughtWords{}
	for _, w := range l.Matter {
		out[w] = true
		if official, ok := k.syn.Expand(w); ok && len(official) > 0 {
			out[official[0]] = true
		}
	}
	return out
}

// answerTaught answers res with the taught item from the asker's own
// lists: the town's row with the link's code, else the town's row of the
// same item name, else the county's likewise. A town row the town only
// assists with makes the county's row of the item the answer. It reports
// false when the lists have no such row (the link is stale here).
func (k *KB) answerTaught(ctx context.Context, res *towndesk.AskResult, l *towndesk.TaughtLink, ref *towndesk.TaughtRef, townList, countyList *towndesk.List) (bool, error) {
	src := k.taught.src
	find := func(list *towndesk.List) (towndesk.PowerItem, bool, error) {
		if list == nil {
			return towndesk.PowerItem{}, false, nil
		}
		if it, ok, err := src.ItemByCode(ctx, list.EditionID, l.Code); ok || err != nil {
			return it, ok, err
		}
		if l.ItemName == "" {
			return towndesk.PowerItem{}, false, nil
		}
		items, err := src.ItemsByName(ctx, list.EditionID, l.ItemName)
		if err != nil || len(items) == 0 {
			return towndesk.PowerItem{}, false, err
		}
		return items[0], true, nil
	}
	town, inTown, err := find(townList)
	if err != nil {
		return false, err
	}
	county, inCounty, err := find(countyList)
	if err != nil {
		return false, err
	}
	res.Matches = res.Matches[:0]
	switch {
	case inTown && town.Mode != towndesk.ModeAssist:
		res.Matches = append(res.Matches, towndesk.Match{Item: town, List: *townList, Score: 1, Role: towndesk.RoleTaught, Taught: ref})
	case inCounty:
		res.Matches = append(res.Matches, towndesk.Match{Item: county, List: *countyList, Score: 1, Role: towndesk.RoleTaught, Taught: ref})
		if inTown {
			res.Matches = append(res.Matches, towndesk.Match{Item: town, List: *townList, Score: 1, Role: towndesk.RoleAssist})
		}
		res.TownLacksPower = res.Place.IsTown() && townList != nil
	default:
		return false, nil
	}
	res.Status = towndesk.StatusAnswered
	return true, nil
}

// Stale reports whether no current list within a taught link's scope has
// its item (by code or name) any more: a re-import removed it, and the
// link answers nothing until it is taught again.
func (k *KB) Stale(ctx context.Context, l *towndesk.TaughtLink) (bool, error) {
	if l.None || k.taught == nil {
		return false, nil
	}
	ps, err := k.current(ctx)
	if err != nil {
		return false, err
	}
	for _, list := range ps.Lists() {
		in := l.Scope == towndesk.ScopeAll ||
			l.Scope == towndesk.ScopeCounty && list.Place.CountyCode == l.Place.CountyCode ||
			l.Scope == towndesk.ScopeTown && (list.Place.Code() == l.Place.TownCode || list.Place.Code() == l.Place.CountyCode)
		if !in {
			continue
		}
		if _, ok, err := k.taught.src.ItemByCode(ctx, list.EditionID, l.Code); ok || err != nil {
			return false, err
		}
		if l.ItemName != "" {
			items, err := k.taught.src.ItemsByName(ctx, list.EditionID, l.ItemName)
			if len(items) > 0 || err != nil {
				return false, err
			}
		}
	}
	return true, nil
}
