package kb

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/towndesk/towndesk"
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
	gaz   *Gazetteer
	syn   *Synonyms

	mu     sync.Mutex
	gen    string  // generation places was built for
	places *places // covered places; rebuilt when the lists change

	basis *basisTexts // article texts of legal bases, for scoring
}

// New returns a KB over src, searching index, placing questions with gaz
// and reading colloquial words with syn.
func New(src ItemSource, index *Index, gaz *Gazetteer, syn *Synonyms) *KB {
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

// resolvePlace decides which place the question is about. It returns the
// place, or several candidates when it cannot choose, or neither when the
// question names none and there is no default.
func (k *KB) resolvePlace(ps *places, ms []mention, q Query) (*towndesk.Place, []towndesk.Place, error) {
	def, err := k.defaultPlace(ps, q)
	if err != nil {
		return nil, nil, err
	}
	var counties []towndesk.Place
	var towns []towndesk.Place
	for _, m := range ms {
		if m.form.county {
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
		cands := ps.coveredTowns(towns, countyCode)
		if len(cands) > 1 && def != nil {
			var inDef []towndesk.Place
			for _, c := range cands {
				if c.CountyCode == def.CountyCode {
					inDef = append(inDef, c)
				}
			}
			if len(inDef) > 0 {
				cands = inDef
			}
		}
		switch len(cands) {
		case 0:
			// A town named together with a county that does not have it, or
			// an uncovered county: answer about the county, which will have
			// no list, so the reply says so honestly.
			if len(counties) > 0 {
				return &counties[0], nil, nil
			}
			return nil, nil, nil
		case 1:
			return &cands[0], nil, nil
		}
		return nil, cands, nil
	case len(counties) > 0:
		// Same-named counties in different provinces: prefer covered ones.
		var covered []towndesk.Place
		for _, c := range counties {
			if _, ok := ps.lists[c.CountyCode]; ok && !slices.Contains(covered, c) {
				covered = append(covered, c)
			}
		}
		switch {
		case len(covered) == 1:
			return &covered[0], nil, nil
		case len(covered) > 1:
			sortPlaces(covered)
			return nil, covered, nil
		}
		return &counties[0], nil, nil
	}
	return def, nil, nil
}

// defaultPlace resolves the asker's default place. A town named without a
// county is looked up among the covered towns.
func (k *KB) defaultPlace(ps *places, q Query) (*towndesk.Place, error) {
	var county *towndesk.Place
	if q.County != "" {
		c, err := k.gaz.ResolveCounty(q.County, "")
		if err != nil {
			return nil, err
		}
		county = &c
	}
	if q.Town == "" {
		return county, nil
	}
	if county != nil {
		t, err := k.gaz.ResolveTown(*county, q.Town)
		if err != nil {
			return nil, err
		}
		return &t, nil
	}
	f := ps.forms[normText(q.Town)]
	if f != nil && !f.county {
		if ts := ps.coveredTowns(f.places, ""); len(ts) == 1 {
			return &ts[0], nil
		} else if len(ts) > 1 {
			var names []string
			for _, t := range ts {
				names = append(names, t.String())
			}
			return nil, towndesk.Errorf(towndesk.EINVALID, "默认乡镇“%s”有多个：%s，请同时指定县（--county）", q.Town, strings.Join(names, "、"))
		}
	}
	return nil, towndesk.Errorf(towndesk.ENOTFOUND, "已导入的清单中没有乡镇“%s”，请同时指定县（--county）", q.Town)
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

// score rates how well a row matches the question, in 0..1 (plus small
// bonuses), and the share of dictionary concepts it matches.
func score(p parsed, it towndesk.PowerItem, articles string) (float64, float64) {
	name := it.Name + " " + it.SubItem
	rest := strings.Join([]string{it.Basis, it.Domain, it.Note, articles}, " ")
	// Every concept counts: dictionary words fully, plain words the lists
	// use and words no list uses at unknownWeight each (they match nothing,
	// so they pull every row down alike: a question mostly about something
	// the lists lack is not answered by a row matching its one familiar word).
	//
	// Dictionary words: a question often has one word for the matter and
	// others for its setting (楼道 消防通道, 地里 烧秸秆), so a row is rated
	// half by its best dictionary word and half by their mean.
	var knownSum, knownMax, knownN, sum, n float64
	for _, c := range p.concepts {
		switch {
		case c.unknownPairs > 0:
			n += unknownWeight
		case c.known:
			m := conceptMatch(c, name, rest)
			knownSum += m
			knownMax = max(knownMax, m)
			knownN++
			n++
		default:
			sum += c.weight * plainWeight * plainMatch(c, name, rest)
			n += c.weight * plainWeight
		}
	}
	known := 0.0
	if knownN > 0 {
		known = 0.5*knownMax + 0.5*knownSum/knownN
		sum += knownN * known
	}
	s := 0.0
	if n > 0 {
		s = sum / n
	}
	if knownN == 0 {
		known = s
	}
	// Category: a hint that matches helps; one that contradicts hurts. With
	// no hint, "who manages X" is about enforcing: prefer penalties.
	switch {
	case p.category != "" && it.Category == p.category:
		s += 0.08
	case p.category != "" && it.Category != "":
		s -= 0.12
	case p.category == "" && it.Category == "行政处罚":
		s += 0.03
	case p.category == "" && it.Category == "行政强制":
		s += 0.01
	}
	// Among equals, the shorter name is the more specific match.
	s -= float64(len([]rune(name))) / 20000
	return s, known
}

// conceptMatch rates a dictionary word against a row, in 0..1: 0.75 when
// the name contains the question's word or one of its official terms, plus
// up to 0.25 for how much of all of them the name has (the question's own
// word counts double): the more of them, the more specific the row. A word
// found only in the basis, domain, note or cited article text counts 0.5;
// partial words count less.
func conceptMatch(c concept, name, rest string) float64 {
	full, credit, inRest := 0, 0.0, false
	for i, a := range c.alts {
		switch {
		case strings.Contains(name, a):
			full++
			credit++
			if i == 0 {
				credit++ // the question's own word
			}
		case strings.Contains(rest, a):
			inRest = true
		default:
			credit += 0.5 * pairShare(a, name)
		}
	}
	switch {
	case full > 0:
		return 0.75 + 0.25*credit/float64(len(c.alts)+1)
	case inRest:
		return 0.5
	}
	return 0.7 * credit / float64(len(c.alts)+1)
}

// plainMatch rates a plain word (a run of pairs the lists use) against a
// row: 1 when the name contains it, else the share of its pairs found in
// the name (0.8 a pair) or anywhere in the row (0.5 a pair).
func plainMatch(c concept, name, rest string) float64 {
	if strings.Contains(name, c.surface) {
		return 1
	}
	inName, inRest := 0, 0
	for _, g := range c.grams {
		switch {
		case strings.Contains(name, g):
			inName++
		case strings.Contains(rest, g):
			inRest++
		}
	}
	n := float64(max(len(c.grams), 1))
	return max(0.8*float64(inName)/n, 0.5*float64(inName+inRest)/n)
}

// pairShare is the share of a word's character pairs found in s.
func pairShare(w, s string) float64 {
	rs := []rune(w)
	if len(rs) < 3 {
		return 0
	}
	found := 0
	for i := 0; i+1 < len(rs); i++ {
		if strings.Contains(s, string(rs[i:i+2])) {
			found++
		}
	}
	return float64(found) / float64(len(rs)-1)
}

// weighPlainWords reads the question's plain words against the lists'
// vocabulary. Each word is cut into runs of consecutive character pairs
// that occur somewhere in the lists ("吐痰乱扔烟头" → 吐痰, 乱扔, 烟头);
// each run is matched on its own, and the pairs between runs, which no
// list uses, are kept as a count: they weigh against a match only when the
// question has no dictionary word at all. A single character is kept only
// when the question has nothing else to go by ("滨湖 砂").
func (k *KB) weighPlainWords(p *parsed) error {
	var terms []string
	for _, c := range p.concepts {
		if !c.known {
			terms = append(terms, pairs(c.surface)...)
		}
	}
	if len(terms) == 0 {
		return nil
	}
	vocab, err := k.index.vocabulary(terms)
	if err != nil {
		return err
	}
	var out []concept
	for _, c := range p.concepts {
		if c.known {
			out = append(out, c)
			continue
		}
		rs := []rune(c.surface)
		if len(rs) == 1 {
			if vocab[c.surface] {
				c.grams = []string{c.surface}
				out = append(out, c)
			}
			continue
		}
		unknown := 0
		start := -1 // first rune of the current run
		for i := 0; i+1 < len(rs); i++ {
			known := vocab[string(rs[i:i+2])]
			if known && start < 0 {
				start = i
			}
			if !known {
				unknown++
				if start >= 0 {
					out = append(out, plainRun(rs[start:i+1]))
					start = -1
				}
			}
		}
		if start >= 0 {
			out = append(out, plainRun(rs[start:]))
		}
		if unknown > 0 {
			// The unknown pairs of the word, as one concept that nothing
			// matches: it weighs 0.5 a pair where it counts at all.
			out = append(out, concept{surface: c.surface, weight: 1, unknownPairs: unknown})
		}
	}
	// A single character is the matter only when it is all the question
	// has ("滨湖 砂"); several stray characters are debris of a question
	// the lists do not speak to.
	lone := len(p.concepts) == 1
	p.concepts = p.concepts[:0]
	for _, c := range out {
		if !c.known && c.unknownPairs == 0 && len([]rune(c.surface)) == 1 && !lone {
			continue
		}
		p.concepts = append(p.concepts, c)
	}
	return nil
}

// Weights of plain words relative to a dictionary word.
const (
	plainWeight   = 0.4  // a run of pairs the lists use
	unknownWeight = 0.45 // a word none of whose pairs any list uses
)

func plainRun(rs []rune) concept {
	w := string(rs)
	return concept{surface: w, alts: []string{w}, weight: 1, grams: pairs(w)}
}

// pairs returns a word's character pairs, or the word itself if it has
// one character.
func pairs(w string) []string {
	rs := []rune(w)
	if len(rs) < 2 {
		return []string{w}
	}
	out := make([]string, 0, len(rs)-1)
	for i := 0; i+1 < len(rs); i++ {
		out = append(out, string(rs[i:i+2]))
	}
	return out
}

// decide picks the answer among the scored rows: the town's own row when
// the town holds the power, else the county's, else not found.
func (k *KB) decide(res *towndesk.AskResult, rows []scoredRow, townList *towndesk.List, limit int) {
	ok := func(r scoredRow) bool { return r.score >= minScore && r.known >= minKnownCoverage }
	var bestTown, bestCounty *scoredRow
	for i := range rows {
		r := &rows[i]
		if !ok(*r) {
			continue
		}
		if townList != nil && r.list.ID == townList.ID {
			if bestTown == nil {
				bestTown = r
			}
		} else if bestCounty == nil {
			bestCounty = r
		}
	}
	add := func(r *scoredRow, role towndesk.Role) {
		for _, m := range res.Matches {
			if m.List.EditionID == r.list.EditionID && m.Item.Code == r.item.Code {
				return
			}
		}
		res.Matches = append(res.Matches, towndesk.Match{Item: r.item, List: r.list, Score: clamp01(r.score), Role: role})
	}
	onTown := res.Place.IsTown()
	// A county row that wins on its sub-item (对违反市容管理规定行为的处罚
	// — 随地吐痰) is the same power as the town's row of the same name
	// without the sub-item: the town holds it.
	if bestCounty != nil && townList != nil && (bestTown == nil || bestTown.score < bestCounty.score-townMargin) {
		for i := range rows {
			r := &rows[i]
			if r.list.ID == townList.ID && r.item.Name == bestCounty.item.Name && r.known >= minKnownCoverage {
				bestTown = r
				break
			}
		}
	}
	switch {
	case bestTown != nil && (bestCounty == nil || bestTown.score >= bestCounty.score-townMargin || bestTown.item.Name == bestCounty.item.Name) && bestTown.item.Mode != towndesk.ModeAssist:
		add(bestTown, towndesk.RoleTown)
	case bestTown != nil && bestTown.item.Mode == towndesk.ModeAssist && (bestCounty == nil || bestTown.score >= bestCounty.score-townMargin || bestTown.item.Name == bestCounty.item.Name):
		// The town only assists: the county department enforces.
		if bestCounty != nil {
			add(bestCounty, towndesk.RoleCounty)
		}
		add(bestTown, towndesk.RoleAssist)
		res.TownLacksPower = true
	case bestCounty != nil:
		add(bestCounty, towndesk.RoleCounty)
		// Only a town with its own list can be said to lack the power; for
		// a town without one, the county list is simply all there is.
		res.TownLacksPower = onTown && townList != nil
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

// String is for debugging a scored row.
func (r scoredRow) String() string {
	return fmt.Sprintf("%.3f %s %s (%s)", r.score, r.item.Code, r.item.Name, r.list.Place.Short())
}
