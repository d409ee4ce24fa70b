package kb

import (
	"context"
	"sort"
	"strings"
	"sync"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/gazetteer"
)

// ItemSource reads single rows back for the hits of a search; *storage.DB
// implements it together with Source.
type ItemSource interface {
	Source
	// Items returns the given rows of an edition by sequence number;
	// rows that do not exist are left out.
	Items(ctx context.Context, editionID int64, seqs []int) (map[int]towndesk.PowerItem, error)
}

// KB answers questions from the power lists.
type KB struct {
	src   ItemSource
	index *Index
	gaz   *gazetteer.Gazetteer
	syn   *Synonyms

	mu     sync.Mutex
	gen    string  // generation places was built for
	places *places // covered places; rebuilt when the lists change

	basis *basisTexts // article texts of legal bases, for scoring
}

// New returns a KB over src, searching index, placing questions with gaz
// and reading colloquial words with syn.
func New(src ItemSource, index *Index, gaz *gazetteer.Gazetteer, syn *Synonyms) *KB {
	return &KB{src: src, index: index, gaz: gaz, syn: syn, basis: newBasisTexts()}
}

// Query is one question and the asker's default place.
type Query struct {
	Question string
	// Town and County are the asker's default place (--town/--county, or
	// the channel's place): used when the question names none, and to
	// choose among same-named towns.
	Town, County string
	// Limit caps the number of matches; 0 means 5.
	Limit int
	// Hints come from a language model's reading of the question. They add
	// to the rule-based reading, never replace it: HintTerms are searched
	// as extra dictionary-strength concepts, HintCategory is used only when
	// the question itself gives no category, and HintPlace is scanned for
	// place names only when the question names none.
	HintTerms    []string
	HintCategory string
	HintPlace    string
}

// Thresholds of the matcher. A row is only an answer when it covers the
// matter of the question well; a wrong enforcement body is worse than an
// honest "not found".
const (
	minKnownCoverage = 0.5  // share of dictionary words a row must match
	minScore         = 0.55 // overall score of an answer
	relatedFloor     = 0.45 // score below which other rows are not shown
	retrieveSize     = 60
	// townMargin: the town's row wins over the county's when it scores at
	// least this close. The same item in both lists scores nearly the same;
	// a town row that matches clearly worse is a different power.
	townMargin = 0.03
)

// Ask answers q. It returns an error only for a default place that does
// not exist (EINVALID, ENOTFOUND) or when storage or the index fail; every
// outcome about the question itself is a status in the result.
func (k *KB) Ask(ctx context.Context, q Query) (*towndesk.AskResult, error) {
	ps, err := k.current(ctx)
	if err != nil {
		return nil, err
	}
	res := &towndesk.AskResult{Question: q.Question, Places: []towndesk.Place{}, Matches: []towndesk.Match{}}
	question := strings.TrimSpace(q.Question)
	ms := ps.scan(normText(question))
	placeMs := ms
	if len(ms) == 0 && q.HintPlace != "" {
		placeMs = ps.scan(normText(q.HintPlace))
	}
	place, cands, err := k.resolvePlace(ps, placeMs, q)
	if err != nil {
		return nil, err
	}
	switch {
	case len(cands) > 1:
		res.Status = towndesk.StatusAmbiguousPlace
		res.Places = cands
		return res, nil
	case place == nil:
		res.Status = towndesk.StatusNeedPlace
		return res, nil
	}
	res.Place = place
	p := understand(cut(normText(question), ms), k.syn)
	p.addHints(q.HintTerms, q.HintCategory, k.syn)
	if err := k.weighPlainWords(&p); err != nil {
		return nil, err
	}
	res.Category = p.category
	for _, c := range p.concepts {
		res.Terms = append(res.Terms, c.surface)
	}
	townList, countyList := ps.listsFor(*place)
	if townList != nil {
		res.Searched = append(res.Searched, *townList)
	}
	if countyList != nil {
		res.Searched = append(res.Searched, *countyList)
	}
	if len(p.concepts) == 0 || len(res.Searched) == 0 {
		res.Status = towndesk.StatusNotFound
		return res, nil
	}
	scored, err := k.retrieve(ctx, p, res.Searched)
	if err != nil {
		return nil, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 5
	}
	k.decide(res, scored, townList, limit)
	return res, nil
}

// current returns the covered places, rebuilding them (and refreshing the
// index) when the lists changed since the last question.
func (k *KB) current(ctx context.Context) (*places, error) {
	gen, err := k.src.Generation(ctx)
	if err != nil {
		return nil, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.places != nil && gen == k.gen {
		return k.places, nil
	}
	if err := k.index.Refresh(ctx, k.src); err != nil {
		return nil, err
	}
	lists, err := k.src.Lists(ctx)
	if err != nil {
		return nil, err
	}
	k.places, k.gen = newPlaces(lists, k.gaz), gen
	return k.places, nil
}

// scoredRow is a retrieved row with its match score.
type scoredRow struct {
	item  towndesk.PowerItem
	list  towndesk.List
	score float64
	known float64 // share of dictionary concepts matched
}

// retrieve searches the lists for the concepts and scores each row found.
func (k *KB) retrieve(ctx context.Context, p parsed, lists []towndesk.List) ([]scoredRow, error) {
	var terms []term
	for _, c := range p.concepts {
		for i, a := range c.alts {
			if i == 0 {
				terms = append(terms, term{a, c.weight, false})
				continue
			}
			// Official wording is what lists are written in: all of it
			// must match, and it weighs more.
			terms = append(terms, term{a, 1.2 * c.weight, true})
		}
	}
	byEdition := map[int64]towndesk.List{}
	ids := make([]int64, len(lists))
	for i, l := range lists {
		ids[i] = l.ID
		byEdition[l.EditionID] = l
	}
	hits, err := k.index.search(ctx, terms, ids, retrieveSize)
	if err != nil {
		return nil, err
	}
	var top float64
	for _, h := range hits {
		top = max(top, h.score)
	}
	seqs := map[int64][]int{}
	for _, h := range hits {
		seqs[h.edition] = append(seqs[h.edition], h.seq)
	}
	items := map[int64]map[int]towndesk.PowerItem{}
	for e, ss := range seqs {
		if _, ok := byEdition[e]; !ok {
			continue // an edition replaced since the index was read
		}
		if items[e], err = k.src.Items(ctx, e, ss); err != nil {
			return nil, err
		}
	}
	out := make([]scoredRow, 0, len(hits))
	for _, h := range hits {
		it, ok := items[h.edition][h.seq]
		if !ok {
			continue
		}
		l := byEdition[h.edition]
		s, known := score(p, it, k.basis.text(it.Basis))
		s += 0.02 * h.score / top // the index's ranking breaks ties
		out = append(out, scoredRow{item: it, list: l, score: s, known: known})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out, nil
}

// decide picks the answer among the scored rows: the town's own row when
// the town holds the power, else the county's, else not found.
func (k *KB) decide(res *towndesk.AskResult, rows []scoredRow, townList *towndesk.List, limit int) {
	ok := func(r scoredRow) bool { return r.score >= minScore && r.known >= minKnownCoverage }
	// The best row the town itself acts on, the best assist row of the
	// town, and the best county row.
	var town, assist, county *scoredRow
	for i := range rows {
		r := &rows[i]
		switch {
		case !ok(*r):
		case townList == nil || r.list.ID != townList.ID:
			if county == nil {
				county = r
			}
		case r.item.Mode == towndesk.ModeAssist:
			if assist == nil {
				assist = r
			}
		case town == nil:
			town = r
		}
	}
	// A county row that wins on its sub-item (对违反市容管理规定行为的处罚
	// — 随地吐痰) is the same power as the town's row of the same name
	// without the sub-item: the town holds it.
	sameName := func(a, b *scoredRow) bool { return a != nil && b != nil && a.item.Name == b.item.Name }
	if county != nil && townList != nil && (town == nil || town.score < county.score-townMargin) {
		for i := range rows {
			r := &rows[i]
			if r.list.ID == townList.ID && r.item.Mode != towndesk.ModeAssist && r.item.Name == county.item.Name && r.known >= minKnownCoverage {
				town = r
				break
			}
		}
	}
	// beats: a town row answers when it matches about as well as the best
	// competing row (or is the same item by name).
	beats := func(r *scoredRow, others ...*scoredRow) bool {
		if r == nil {
			return false
		}
		for _, o := range others {
			if o != nil && r.score < o.score-townMargin && !sameName(r, o) {
				return false
			}
		}
		return true
	}
	add := func(r *scoredRow, role towndesk.Role) {
		for _, m := range res.Matches {
			if m.List.EditionID == r.list.EditionID && m.Item.Code == r.item.Code {
				return
			}
		}
		res.Matches = append(res.Matches, towndesk.Match{Item: r.item, List: r.list, Score: clamp01(r.score), Role: role})
	}
	switch {
	case beats(town, county, assist):
		add(town, towndesk.RoleTown)
	case beats(assist, county):
		// The town only assists: the county department enforces.
		if county != nil {
			add(county, towndesk.RoleCounty)
		}
		add(assist, towndesk.RoleAssist)
		res.TownLacksPower = true
	case county != nil:
		add(county, towndesk.RoleCounty)
		// Only a town with its own list can be said to lack the power; for
		// a town without one, the county list is simply all there is.
		res.TownLacksPower = res.Place.IsTown() && townList != nil
	default:
		res.Status = towndesk.StatusNotFound
		return
	}
	res.Status = towndesk.StatusAnswered
	for i := range rows {
		if len(res.Matches) >= limit {
			break
		}
		if rows[i].score >= relatedFloor && rows[i].known >= minKnownCoverage {
			add(&rows[i], towndesk.RoleRelated)
		}
	}
}

func clamp01(f float64) float64 {
	return max(0, min(1, f))
}
