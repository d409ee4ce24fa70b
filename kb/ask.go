package kb

import (
	"context"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/gazetteer"
	"github.com/towndesk/towndesk/kb/internal/index"
	"github.com/towndesk/towndesk/kb/lexicon"
	"github.com/towndesk/towndesk/segment"
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
	src    ItemSource
	index  *Index
	gaz    *gazetteer.Gazetteer
	syn    *lexicon.Synonyms
	lex    *segment.Segmenter         // the general dictionary (places are added per generation)
	book   func() *lexicon.Phrasebook // frames, fillers, hints and synonym words (built in the background)
	params Params

	mu     sync.Mutex
	gen    string          // generation places was built for
	places *lexicon.Places // covered places; rebuilt when the lists change

	basis *index.Articles // articles cited by legal bases, for scoring
	names nameCache       // item names cut into words

	townMu   sync.Mutex
	townRows map[int64][]towndesk.PowerItem // rows of town editions, by edition

	taught *taughtState // links list maintainers taught; nil: none
}

// maxTownEditions bounds the town editions kept in memory.
const maxTownEditions = 64

// itemsOf returns the rows of an edition that are a taught link's item:
// with its code, else with its item name.
func (k *KB) itemsOf(ctx context.Context, editionID int64, l *towndesk.TaughtLink) ([]towndesk.PowerItem, error) {
	if k.taught == nil {
		return nil, nil
	}
	if it, ok, err := k.taught.src.ItemByCode(ctx, editionID, l.Code); ok || err != nil {
		return []towndesk.PowerItem{it}, err
	}
	if l.ItemName == "" {
		return nil, nil
	}
	return k.taught.src.ItemsByName(ctx, editionID, l.ItemName)
}

// townItems returns the rows of a town's edition, kept in memory: a town
// list has a few hundred rows at most, and editions never change.
func (k *KB) townItems(ctx context.Context, editionID int64) ([]towndesk.PowerItem, error) {
	k.townMu.Lock()
	items, ok := k.townRows[editionID]
	k.townMu.Unlock()
	if ok {
		return items, nil
	}
	items, err := k.src.EditionItems(ctx, editionID)
	if err != nil {
		return nil, err
	}
	k.townMu.Lock()
	if len(k.townRows) >= maxTownEditions {
		clear(k.townRows)
	}
	k.townRows[editionID] = items
	k.townMu.Unlock()
	return items, nil
}

// New returns a KB over src, searching idx, placing questions with gaz
// and reading colloquial words with syn, with DefaultParams.
//
// The phrasebook is built in the background (a cold process overlaps it
// with opening the lists); the first question waits for it if need be.
func New(src ItemSource, idx *Index, gaz *gazetteer.Gazetteer, syn *lexicon.Synonyms) *KB {
	book := sync.OnceValue(func() *lexicon.Phrasebook { return lexicon.NewPhrasebook(syn) })
	go book()
	return &KB{src: src, index: idx, gaz: gaz, syn: syn, lex: segment.New(nil), book: book, params: DefaultParams(),
		basis: index.NewArticles(), names: nameCache{m: map[string]cutName{}}, townRows: map[int64][]towndesk.PowerItem{}}
}

// WithParams sets the matcher's parameters (for calibration and tests) and
// returns k. Call it before k answers anything.
func (k *KB) WithParams(p Params) *KB {
	k.params = p
	return k
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
	// Pick is the code of a row a language model picked among the
	// question's Pool. If it is there, that row is the answer (the town's
	// own row of the same power, if the town has one); a code outside the
	// pool is ignored.
	Pick string
}

// PoolSize is how many rows Pool offers a language model to pick from.
const PoolSize = 10

// Ask answers q. It returns an error only for a default place that does
// not exist (EINVALID, ENOTFOUND) or when storage or the index fail; every
// outcome about the question itself is a status in the result.
func (k *KB) Ask(ctx context.Context, q Query) (*towndesk.AskResult, error) {
	res, rows, townList, err := k.gather(ctx, q)
	if err != nil || res.Status != "" {
		return res, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 5
	}
	if q.Pick != "" {
		for i := range pool(rows) {
			if rows[i].item.Code == q.Pick {
				k.answerWith(res, rows, &rows[i], townList, limit)
				return res, nil
			}
		}
	}
	k.decide(res, rows, townList, limit)
	return res, nil
}

// Pool returns the rows a language model may pick the answer from: the
// best PoolSize rows of the town's and the county's lists that match the
// question at all, best first, as candidates. It is empty when the question
// needs a place first or has nothing to search for.
func (k *KB) Pool(ctx context.Context, q Query) ([]towndesk.Match, error) {
	res, rows, _, err := k.gather(ctx, q)
	if err != nil || res.Status != "" {
		return nil, err
	}
	var out []towndesk.Match
	for _, r := range pool(rows) {
		out = append(out, towndesk.Match{Item: r.item, List: r.list, Score: clamp01(r.score), Role: towndesk.RoleCandidate})
	}
	return out, nil
}

// pool returns the first rows (best first) that may be picked.
func pool(rows []scoredRow) []scoredRow {
	n := 0
	for n < len(rows) && n < PoolSize && rows[n].qcov > 0 {
		n++
	}
	return rows[:n]
}

// answerWith makes a picked row the answer. The town's own row of the same
// power answers in its place. A picked assist row means the county's row
// of that power answers, with the assist row; a county row the town's list
// lacks says the town is not the enforcer.
func (k *KB) answerWith(res *towndesk.AskResult, rows []scoredRow, pick *scoredRow, townList *towndesk.List, limit int) {
	inTown := func(r *scoredRow) bool { return townList != nil && r.list.ID == townList.ID }
	find := func(keep func(*scoredRow) bool) *scoredRow {
		for i := range rows {
			if r := &rows[i]; samePower(r, pick) && keep(r) {
				return r
			}
		}
		return nil
	}
	answer, assist := pick, (*scoredRow)(nil)
	if !inTown(pick) || pick.item.Mode == towndesk.ModeAssist {
		if own := find(func(r *scoredRow) bool { return inTown(r) && r.item.Mode != towndesk.ModeAssist }); own != nil {
			answer = own
		} else {
			assist = find(func(r *scoredRow) bool { return inTown(r) && r.item.Mode == towndesk.ModeAssist })
			if inTown(pick) {
				// The town only assists: the county's row of the power answers.
				if answer = find(func(r *scoredRow) bool { return !inTown(r) }); answer == nil {
					k.candidates(res, rows, townList)
					return
				}
			}
		}
	}
	res.Status, res.Picked = towndesk.StatusAnswered, true
	res.Matches = res.Matches[:0]
	role := towndesk.RoleTown
	if !inTown(answer) {
		role = towndesk.RoleCounty
		res.TownLacksPower = res.Place.IsTown() && townList != nil
	}
	res.Matches = append(res.Matches, towndesk.Match{Item: answer.item, List: answer.list, Score: clamp01(answer.score), Role: role})
	if assist != nil {
		res.Matches = append(res.Matches, towndesk.Match{Item: assist.item, List: assist.list, Score: clamp01(assist.score), Role: towndesk.RoleAssist})
	}
	k.addRelated(res, rows, limit)
}

// addRelated adds the rows that also match the question well, up to limit
// matches in all.
func (k *KB) addRelated(res *towndesk.AskResult, rows []scoredRow, limit int) {
	for i := range rows {
		if len(res.Matches) >= limit {
			break
		}
		r := &rows[i]
		if r.score < k.params.Related || r.sure < k.params.AnswerCoverage {
			continue
		}
		dup := false
		for _, m := range res.Matches {
			dup = dup || m.List.EditionID == r.list.EditionID && m.Item.Code == r.item.Code
		}
		if !dup {
			res.Matches = append(res.Matches, towndesk.Match{Item: r.item, List: r.list, Score: clamp01(r.score), Role: towndesk.RoleRelated})
		}
	}
}

// gather reads the question, resolves its place and scores the rows of the
// place's lists. The result's status is set when the outcome is already
// known (a place to ask about, nothing to search for); otherwise decide
// sets it from the rows.
func (k *KB) gather(ctx context.Context, q Query) (*towndesk.AskResult, []scoredRow, *towndesk.List, error) {
	ps, err := k.current(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	res := &towndesk.AskResult{Question: q.Question, Places: []towndesk.Place{}, Matches: []towndesk.Match{},
		Terms: []string{}, Searched: []towndesk.List{}}
	text, tokens, ms := k.read(ps, q.Question)
	placeMs := ms
	if len(ms) == 0 && q.HintPlace != "" {
		placeMs = ps.Scan(ps.Seg().Cut(lexicon.NormText(q.HintPlace)))
	}
	p := k.understand(text, lexicon.Cut(tokens, ms))
	k.addHints(&p, q.HintTerms, q.HintCategory)
	if err := ctx.Err(); err != nil { // the caller's deadline bounds a question's work
		return nil, nil, nil, err
	}
	if err := k.weigh(ctx, &p); err != nil {
		return nil, nil, nil, err
	}
	res.Category, res.Intent, res.Matter = p.category, p.intent, p.matter
	for _, c := range p.concepts {
		switch {
		case c.weight > 0:
			res.Terms = append(res.Terms, c.surface)
		case c.outside:
			res.Outside = append(res.Outside, c.surface)
		}
	}
	place, cands, others, err := ps.Resolve(placeMs, q.County, q.Town)
	if err != nil {
		return nil, nil, nil, err
	}
	res.Alternatives = others
	switch {
	case len(cands) > 1:
		res.Status = towndesk.StatusAmbiguousPlace
		res.Places = cands
		return res, nil, nil, nil
	case place == nil && len(res.Terms) == 0 && len(res.Outside) == 0:
		// Nothing a list could hold is asked (收到，谢谢领导): there is
		// no place to ask for.
		res.Status = towndesk.StatusNotFound
		return res, nil, nil, nil
	case place == nil:
		res.Status = towndesk.StatusNeedPlace
		return res, nil, nil, nil
	}
	res.Place = place
	townList, countyList := ps.ListsFor(*place)
	if townList != nil {
		res.Searched = append(res.Searched, *townList)
	}
	if countyList != nil {
		res.Searched = append(res.Searched, *countyList)
	}
	// A question a maintainer taught is answered as taught. A link never
	// answers before the place is known (above), nor for a place outside
	// its scope.
	if ok, err := k.useTaught(ctx, res, p, townList, countyList); ok || err != nil {
		return res, nil, nil, err
	}
	if len(res.Terms) == 0 || len(res.Searched) == 0 || settingOnly(p) {
		res.Status = towndesk.StatusNotFound
		return res, nil, nil, nil
	}
	near, err := k.nearLinks(ctx, p.matter, *place)
	if err != nil {
		return nil, nil, nil, err
	}
	rows, err := k.retrieve(ctx, p, res.Searched, near)
	if err != nil {
		return nil, nil, nil, err
	}
	return res, rows, townList, nil
}

// settingOnly reports whether the only words of a question that lists use
// name only where something happens (placeOnly), and a word of two or more characters that
// no list or dictionary knows says what happens (超市缺斤短两, 车站门口黑车
// 拉客): the question is about that act, which no list has. Rows sharing
// only the setting are not candidates.
func settingOnly(p parsed) bool {
	setting, act := false, false
	for _, c := range p.concepts {
		switch {
		case c.weight > 0 && !placeOnly(c):
			return false
		case c.weight > 0:
			setting = true
		case !c.known && utf8.RuneCountInString(c.surface) >= 2 && !lexicon.IsQuantity(c.surface):
			act = true
		}
	}
	return setting && act
}

// placeOnly reports whether a concept names only where something happens:
// a setting word (lexicon.IsSetting) that the dictionary maps to no matter
// of its own, at most to the lists' word for such places (网吧 →
// 人员密集场所). A setting that is itself a matter (KTV → 社会生活噪声, 楼道 →
// 疏散通道, 河边 → 河道) is not only a place.
func placeOnly(c concept) bool {
	if !lexicon.IsSetting(c.surface) {
		return false
	}
	for _, f := range c.forms[1:] {
		if !lexicon.NamesPlaces(f.text) {
			return false
		}
	}
	return true
}

// Matter returns the normalised form of a question: its matter as words,
// without the place, the question frame, fillers and hints. Two wordings of
// one question that differ only in those have the same form.
func (k *KB) Matter(ctx context.Context, question string) ([]string, error) {
	ps, err := k.current(ctx)
	if err != nil {
		return nil, err
	}
	text, tokens, ms := k.read(ps, question)
	return k.understand(text, lexicon.Cut(tokens, ms)).matter, nil
}

// read normalises a question and cuts it into tokens, with the slips of a
// pinyin keyboard in the dictionary's words put right (城重墙 is read as
// 承重墙), and finds the places it names.
func (k *KB) read(ps *lexicon.Places, question string) (text string, tokens []string, ms []lexicon.Mention) {
	text = lexicon.DropDenied(lexicon.NormText(strings.TrimSpace(question)))
	tokens = lexicon.CutClauses(ps.Seg(), text)
	ms = ps.Scan(tokens)
	if fixed, words := k.book().Retype(ps.Seg(), text, tokens, ms); len(words) > 0 {
		text = fixed
		tokens = lexicon.CutClauses(ps.Seg(), text)
		ms = ps.Scan(tokens)
	}
	return text, tokens, ms
}

// current returns the covered places, rebuilding them (and refreshing the
// index) when the lists changed since the last question.
func (k *KB) current(ctx context.Context) (*lexicon.Places, error) {
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
	k.places, k.gen = lexicon.NewPlaces(lists, k.gaz, k.lex), gen
	return k.places, nil
}

// weigh sets the weight of every concept of p from how rare its wordings
// are in the lists. A word no list uses weighs 0.
func (k *KB) weigh(ctx context.Context, p *parsed) error {
	var terms []string
	for _, c := range p.concepts {
		for _, f := range c.forms {
			terms = append(terms, f.text)
		}
	}
	if len(terms) == 0 {
		return nil
	}
	docs, st, err := k.index.Stats(ctx, terms)
	if err != nil {
		return err
	}
	p.rareWeight = idf(index.TermStats{Name: 1}, docs)
	for i := range p.concepts {
		c := &p.concepts[i]
		c.weight = 0
		for j := range c.forms {
			c.forms[j].idf = idf(st[c.forms[j].text], docs)
			c.weight = max(c.weight, c.forms[j].idf)
		}
		if !c.known && len([]rune(c.surface)) == 1 {
			c.weight *= k.params.SingleWeight
		}
		if c.outside && c.weight == 0 && isHanWord(c.surface) {
			if p.outside == nil {
				p.outside = map[int]bool{}
			}
			p.outside[c.clause] = true
			p.absent += k.params.Absent * p.rareWeight
		}
	}
	return nil
}

// rowText reads a row for scoring: its name (with sub, its sub-item or
// "") as words, and the text beside it. A name that goes on to state the
// penalty (…的，责令改正，处以罚款) is read up to the act it names: the
// consequences are worded alike in every row of such a list and are not
// what a question asks about.
func (k *KB) rowText(it towndesk.PowerItem, sub string) rowText {
	name := lexicon.NormText(strings.TrimSpace(lexicon.ActName(it.Name) + " " + sub))
	toks, fine := k.names.cut(k.lex, name)
	return rowText{name: name, tokens: toks, fine: fine,
		rest: strings.Join([]string{it.Basis, it.Domain, it.Note, k.basis.Text(it.Basis)}, " ")}
}

// scoredRow is a retrieved row with its match score.
type scoredRow struct {
	item towndesk.PowerItem
	list towndesk.List
	key  string // the row's legal basis, normalised (大气污染防治法第一百一十九条第一款), or ""
	// taught is the taught link nearly like the question whose item this
	// row is (the most similar); nil for most rows.
	taught *towndesk.TaughtRef
	rowScore
}

// retrieve searches the lists for the concepts and scores each row found,
// best first.
func (k *KB) retrieve(ctx context.Context, p parsed, lists []towndesk.List, near []similarLink) ([]scoredRow, error) {
	var terms []index.Term
	for _, c := range p.concepts {
		if c.weight == 0 {
			continue
		}
		for i, f := range c.forms {
			if f.idf == 0 {
				continue
			}
			// Official wording is what lists are written in: all of it
			// must match. The question's own word may match in part.
			terms = append(terms, index.Term{Text: f.text, Boost: f.idf * f.credit, Exact: i > 0})
		}
	}
	byEdition := map[int64]towndesk.List{}
	ids := make([]int64, len(lists))
	for i, l := range lists {
		ids[i] = l.ID
		byEdition[l.EditionID] = l
	}
	hits, err := k.index.Search(ctx, terms, ids, k.params.Retrieve)
	if err != nil {
		return nil, err
	}
	seqs := map[int64][]int{}
	for _, h := range hits {
		seqs[h.Edition] = append(seqs[h.Edition], h.Seq)
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
	type found struct {
		item   towndesk.PowerItem
		list   towndesk.List
		text   rowText
		h      index.Hit
		taught *towndesk.TaughtRef
	}
	var rows []found
	var words []string
	var top float64
	for _, h := range hits {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		it, ok := items[h.Edition][h.Seq]
		if !ok {
			continue
		}
		rt := k.rowText(it, it.SubItem)
		words = append(words, rt.tokens...)
		rows = append(rows, found{item: it, list: byEdition[h.Edition], text: rt, h: h})
		top = max(top, h.Score)
	}
	// A town list names an item without the sub-items its county list
	// details: when a county row with a sub-item is found, the town's row
	// of the same item is scored too, found or not (see inheritSubItems).
	for _, town := range lists {
		if !town.Place.IsTown() {
			continue
		}
		want := map[string]bool{}
		for _, r := range rows {
			if r.list.ID != town.ID && r.item.SubItem != "" {
				want[r.item.Name] = true
			}
		}
		for _, r := range rows {
			if r.list.ID == town.ID {
				delete(want, r.item.Name)
			}
		}
		if len(want) == 0 {
			continue
		}
		items, err := k.townItems(ctx, town.EditionID)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if want[it.Name] && it.SubItem == "" {
				rt := k.rowText(it, "")
				words = append(words, rt.tokens...)
				rows = append(rows, found{item: it, list: town, text: rt})
			}
		}
	}
	// The items of taught links nearly like the question are scored with
	// the links' words, found by the index or not.
	for i := range near {
		l := &near[i].link
		lw := k.linkWords(l)
		for _, list := range lists {
			items, err := k.itemsOf(ctx, list.EditionID, l)
			if err != nil {
				return nil, err
			}
			for _, it := range items {
				at := -1
				for j, r := range rows {
					if r.list.ID == list.ID && r.item.Code == it.Code {
						at = j
					}
				}
				if at < 0 {
					rt := k.rowText(it, it.SubItem)
					words = append(words, rt.tokens...)
					rows = append(rows, found{item: it, list: list, text: rt})
					at = len(rows) - 1
				}
				if rows[at].taught == nil { // near is most similar first
					rows[at].taught = &towndesk.TaughtRef{ID: l.ID, By: l.By, At: l.At, Similar: true}
				}
				if rows[at].text.taught == nil {
					rows[at].text.taught = taughtWords{}
				}
				for w := range lw {
					rows[at].text.taught[w] = true
				}
			}
		}
	}
	docs, st, err := k.index.Stats(ctx, words)
	if err != nil {
		return nil, err
	}
	weight := func(w string) float64 { return idf(st[w], docs) }
	out := make([]scoredRow, 0, len(rows))
	for _, r := range rows {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rs := score(p, r.text, r.item, weight, k.params)
		if top > 0 {
			rs.score += 0.02 * r.h.Score / top // the index's ranking breaks ties
		}
		out = append(out, scoredRow{item: r.item, list: r.list, key: basisKey(r.item.Basis), taught: r.taught, rowScore: rs})
	}
	k.rankSubItems(p, out, weight)
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out, nil
}

// rankSubItems orders the sub-items of one item of a list, which share its
// name and so score alike, by how much of the question each sub-item's own
// words cover: each loses Params.SubItem times what it covers less than the
// best of them. Rows of other items are not touched.
func (k *KB) rankSubItems(p parsed, rows []scoredRow, weight func(string) float64) {
	type key struct {
		list int64
		name string
	}
	cov := make([]float64, len(rows))
	best := map[key]float64{}
	n := map[key]int{}
	for i, r := range rows {
		if r.item.SubItem == "" {
			continue
		}
		name := lexicon.NormText(r.item.SubItem)
		toks, fine := k.names.cut(k.lex, name)
		cov[i] = score(p, rowText{name: name, tokens: toks, fine: fine}, r.item, weight, k.params).qcov
		g := key{r.list.ID, r.item.Name}
		best[g] = max(best[g], cov[i])
		n[g]++
	}
	for i, r := range rows {
		if g := (key{r.list.ID, r.item.Name}); r.item.SubItem != "" && n[g] > 1 {
			rows[i].score -= k.params.SubItem * (best[g] - cov[i])
		}
	}
}

// basisKey normalises a legal basis for comparison: without book-title
// marks, "中华人民共和国", spaces and punctuation, so that a town list and its
// county's list that cite the same article and paragraph compare equal.
func basisKey(basis string) string {
	basis = strings.ReplaceAll(basis, "中华人民共和国", "")
	return strings.Map(func(r rune) rune {
		if lexicon.HasWordRune(string(r)) {
			return r
		}
		return -1
	}, basis)
}

// samePower reports whether two rows are the same power: the same item
// name, or the same kind of power on the same legal basis (article and
// paragraph). A town list names a power as its county list does, or in
// its own words.
func samePower(a, b *scoredRow) bool {
	if a == nil || b == nil {
		return false
	}
	return a.item.Name == b.item.Name || a.key != "" && a.key == b.key && a.item.Category == b.item.Category
}

// decide sets the outcome from the scored rows: the answer when one row is
// clearly it (the town's own row when the town holds the power, else the
// county's), candidates when some rows are plausible but none is certain,
// else not found.
func (k *KB) decide(res *towndesk.AskResult, rows []scoredRow, townList *towndesk.List, limit int) {
	P := k.params
	answerable := func(r *scoredRow) bool {
		return r.score >= P.Answer && r.sure >= P.AnswerCoverage && !r.wrongKind && !r.partsOnly
	}
	// A county answer says the town is not the enforcer. That is a guess
	// when the town's list has a row of the same power that is plausible
	// and close: then the reply is uncertain.
	inTown := func(r *scoredRow) bool { return townList != nil && r.list.ID == townList.ID }
	// The best answerable row the town itself acts on, the best answerable
	// assist row of the town, and the best answerable county row. Each
	// passes the thresholds on its own: no rule below promotes a row that
	// does not.
	inheritSubItems(rows, inTown)
	var town, assist, county *scoredRow
	for i := range rows {
		r := &rows[i]
		switch {
		case !answerable(r):
		case !inTown(r):
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
	// The town's row of the same power as the best county row answers, if
	// it is an answer on its own and about as good.
	if county != nil && (town == nil || town.score < county.score-P.TownMargin) {
		for i := range rows {
			r := &rows[i]
			if inTown(r) && r.item.Mode != towndesk.ModeAssist && samePower(r, county) && answerable(r) {
				town = r
				break
			}
		}
	}
	// beats: a town row answers when it matches about as well as the best
	// competing row (or is the same power).
	beats := func(r *scoredRow, others ...*scoredRow) bool {
		if r == nil {
			return false
		}
		for _, o := range others {
			if o != nil && r.score < o.score-P.TownMargin && !samePower(r, o) {
				return false
			}
		}
		return true
	}
	var answer *scoredRow
	lacks := false
	switch {
	case beats(town, county, assist):
		answer = town
	case beats(assist, county):
		// The town only assists: the county department enforces.
		answer = county
		lacks = true
	case county != nil:
		answer = county
		// Only a town with its own list can be said to lack the power; for
		// a town without one, the county list is simply all there is.
		lacks = res.Place.IsTown() && townList != nil
	}
	if answer != nil && lacks && k.townHasPlausible(rows, answer, townList) {
		answer = nil // the town's list may have it after all: not certain
	}
	if answer != nil && k.contested(rows, answer) {
		answer = nil
	}
	add := func(r *scoredRow, role towndesk.Role) {
		for _, m := range res.Matches {
			if m.List.EditionID == r.list.EditionID && m.Item.Code == r.item.Code {
				return
			}
		}
		res.Matches = append(res.Matches, towndesk.Match{Item: r.item, List: r.list, Score: clamp01(r.score), Role: role})
	}
	if answer == nil {
		k.candidates(res, rows, townList)
		// A question nearly like one a maintainer taught, whose first
		// candidate is the taught item, is answered as taught: the
		// teacher's word and the engine's reading agree.
		if res.Status == towndesk.StatusUncertain {
			for i := range rows {
				r := &rows[i]
				if r.taught != nil && !r.clash && !r.wrongKind && res.Matches[0].Item.Code == r.item.Code && res.Matches[0].List.ID == r.list.ID {
					k.answerWith(res, rows, r, townList, limit)
					res.Picked = false
					res.Matches[0].Role, res.Matches[0].Taught = towndesk.RoleTaught, r.taught
					break
				}
			}
		}
		return
	}
	res.Status = towndesk.StatusAnswered
	role := towndesk.RoleTown
	if !inTown(answer) {
		role = towndesk.RoleCounty
	}
	add(answer, role)
	if lacks && assist != nil {
		add(assist, towndesk.RoleAssist)
	}
	res.TownLacksPower = lacks
	k.addRelated(res, rows, limit)
}

// inheritSubItems scores a town's row as well as the best county row of
// the same item name that has a sub-item. Town lists name an item without
// its sub-items; the county list details them (对违反市容管理规定行为的处罚
// — 随地吐痰): a question about a sub-item is about the town's item too, and
// the town's row is scored as if it listed the sub-item.
func inheritSubItems(rows []scoredRow, inTown func(*scoredRow) bool) {
	best := map[string]rowScore{}
	for i := range rows {
		r := &rows[i]
		if !inTown(r) && r.item.SubItem != "" {
			if b, ok := best[r.item.Name]; !ok || r.score > b.score {
				best[r.item.Name] = r.rowScore
			}
		}
	}
	changed := false
	for i := range rows {
		r := &rows[i]
		if b, ok := best[r.item.Name]; ok && inTown(r) && r.item.SubItem == "" && b.score > r.score {
			r.rowScore = b
			changed = true
		}
	}
	if changed {
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].score > rows[j].score })
	}
}

// townHasPlausible reports whether the town's list has a row of the same
// power as a county answer that is plausible though not an answer on its
// own: then the town may hold the power, and saying it does not would be a
// guess.
func (k *KB) townHasPlausible(rows []scoredRow, answer *scoredRow, townList *towndesk.List) bool {
	if townList == nil {
		return false
	}
	for i := range rows {
		r := &rows[i]
		if r.list.ID == townList.ID && r.item.Mode != towndesk.ModeAssist && samePower(r, answer) &&
			r.score >= k.params.Candidate && r.score >= answer.score-k.params.TownDoubt {
			return true
		}
	}
	return false
}

// contested reports whether a row of another power, with another body,
// scores about as well as the answer: then the question could be about
// either, and the answer would be a guess.
func (k *KB) contested(rows []scoredRow, answer *scoredRow) bool {
	for i := range rows {
		r := &rows[i]
		if r.score < answer.score-k.params.Margin {
			break // rows are best first
		}
		if r == answer || samePower(r, answer) || r.item.InNameOf() == answer.item.InNameOf() {
			continue
		}
		return true
	}
	return false
}

// candidates makes res an uncertain reply with the plausible rows (one per
// power, the town's row of a power before the county's), or not found when
// none is plausible.
func (k *KB) candidates(res *towndesk.AskResult, rows []scoredRow, townList *towndesk.List) {
	var picked []*scoredRow
	for i := range rows {
		r := &rows[i]
		if r.score < k.params.Candidate {
			break
		}
		// A candidate covers enough of the question, and either enough of
		// its own name or a dictionary word's official term: a row that
		// shares one everyday word with a question (户口迁移 with 擅自迁移
		// 不可移动文物) is not shown, nor one that shares only single
		// characters with it (证 of 独生子女证 in 无木材运输证).
		// Nor is a row for a question about a matter no list holds,
		// unless it covers much of the question besides, or a matter
		// the question asks apart from it (装修把承重墙砸了，还欠工钱).
		if r.sure < k.params.CandidateCoverage || r.rcov < k.params.CandidateRowCoverage && !r.known || !r.worded || r.partsOnly ||
			r.absent && !r.apart && r.sure < k.params.AbsentCoverage {
			continue
		}
		dup := false
		for j, o := range picked {
			if samePower(r, o) {
				dup = true
				// The town's own row of a power names who acts in the
				// town; its assist row does not: the county's row does.
				inTown := func(x *scoredRow) bool { return townList != nil && x.list.ID == townList.ID }
				switch {
				case inTown(r) && !inTown(o) && r.item.Mode != towndesk.ModeAssist:
					picked[j] = r
				case inTown(o) && o.item.Mode == towndesk.ModeAssist && !inTown(r):
					picked[j] = r
				}
			}
		}
		// Once the candidates are full, a row may still take the place of
		// the town's assist row of its power (above), but adds none.
		if !dup && len(picked) < k.params.MaxCandidates {
			picked = append(picked, r)
		}
	}
	if len(picked) == 0 {
		res.Status = towndesk.StatusNotFound
		return
	}
	res.Status = towndesk.StatusUncertain
	// Asked where to apply, the rows that grant come before the rows that
	// enforce, whatever their scores: the penalty for lacking a
	// certificate is not where to get one.
	slices.SortStableFunc(picked, func(a, b *scoredRow) int {
		switch {
		case a.wrongKind == b.wrongKind:
			return 0
		case b.wrongKind:
			return -1
		}
		return 1
	})
	// Asked whether the town may act (镇上能罚吗), the town's own row comes
	// first when it is nearly as plausible as the best: that is the power
	// the question is about.
	if res.Intent == towndesk.IntentCan && townList != nil && len(picked) > 1 {
		for i, r := range picked[1:] {
			if r.list.ID == townList.ID && r.item.Mode != towndesk.ModeAssist && r.score >= picked[0].score-k.params.TownCan &&
				!(picked[0].list.ID == townList.ID && picked[0].item.Mode != towndesk.ModeAssist) {
				copy(picked[1:i+2], picked[:i+1])
				picked[0] = r
				break
			}
		}
	}
	for _, r := range picked {
		res.Matches = append(res.Matches, towndesk.Match{Item: r.item, List: r.list, Score: clamp01(r.score), Role: towndesk.RoleCandidate})
	}
}

func clamp01(f float64) float64 {
	return max(0, min(1, f))
}

// nameCache remembers item names cut into words: the same names recur in
// every town of a county and in every question about them.
type nameCache struct {
	mu sync.Mutex
	m  map[string]cutName
}

// cutName is a name cut into words, and the same with every compound of
// three or more characters cut into its parts (盗伐林木 → 盗伐 林木), so that
// a question's word matches a name that writes it inside a compound.
type cutName struct{ tokens, fine []string }

// maxNameCache bounds the cache; past it the cache starts over.
const maxNameCache = 50000

func (c *nameCache) cut(seg *segment.Segmenter, name string) (tokens, fine []string) {
	c.mu.Lock()
	cn, ok := c.m[name]
	c.mu.Unlock()
	if ok {
		return cn.tokens, cn.fine
	}
	cn.tokens = seg.Cut(name)
	for _, t := range cn.tokens {
		if parts := seg.Parts(t); len([]rune(t)) >= 3 && len(parts) > 1 {
			cn.fine = append(cn.fine, parts...)
		} else {
			cn.fine = append(cn.fine, t)
		}
	}
	c.mu.Lock()
	if len(c.m) >= maxNameCache {
		clear(c.m)
	}
	c.m[name] = cn
	c.mu.Unlock()
	return cn.tokens, cn.fine
}
