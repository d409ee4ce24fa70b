package kb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/law"
)

// Source is the source of truth the index is derived from; *storage.DB
// implements it.
type Source interface {
	// Generation changes whenever any list's current edition changes.
	Generation(ctx context.Context) (string, error)
	// Lists returns every list with its current edition.
	Lists(ctx context.Context) ([]towndesk.List, error)
	// EditionItems returns the rows of one edition in order.
	EditionItems(ctx context.Context, editionID int64) ([]towndesk.PowerItem, error)
}

// Index is the full-text index over the current edition of every list.
// It is derived data: OpenIndex rebuilds or updates it from the Source
// whenever it is missing, stale or unreadable.
type Index struct {
	bi  bleve.Index
	dir string // "" for an in-memory index
	// editions maps list id → the edition currently indexed for it.
	editions map[int64]indexedEdition
	gen      string

	statsMu    sync.Mutex
	statsCache map[string]termStats // term → stats; cleared when the index changes
	docs       int                  // rows indexed; 0 = not counted yet

	closeOnce sync.Once
	closeErr  error
}

type indexedEdition struct {
	Edition int64 `json:"e"`
	Rows    int   `json:"n"`
}

// indexFormat changes whenever what a document holds changes, so that
// indexes built by an older towndesk are rebuilt.
const indexFormat = "2"

const (
	internalGen      = "towndesk_generation"
	internalEditions = "towndesk_editions"
	unigramAnalyzer  = "towndesk_unigram"
	batchSize        = 1000
)

// doc is what the index stores for one row. Only the search fields are
// indexed; the row itself is read back from the Source by its id.
type doc struct {
	Name string `json:"name"`
	Text string `json:"text"`
	List string `json:"list"`
}

func indexMapping() (mapping.IndexMapping, error) {
	m := bleve.NewIndexMapping()
	// Unigrams beside the cjk bigrams: a one-character question ("砂")
	// produces no bigram and would otherwise find nothing.
	if err := m.AddCustomAnalyzer(unigramAnalyzer, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicodetok.Name,
		"token_filters": []string{cjk.WidthName, lowercase.Name},
	}); err != nil {
		return nil, err
	}
	text := func(analyzer string) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	name := text(cjk.AnalyzerName)
	nameUni := text(unigramAnalyzer)
	nameUni.Name = "name_uni"
	kw := bleve.NewKeywordFieldMapping()
	kw.Store = false
	kw.IncludeInAll = false
	kw.IncludeTermVectors = false
	kw.DocValues = false

	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt("name", name, nameUni)
	dm.AddFieldMappingsAt("text", text(cjk.AnalyzerName))
	dm.AddFieldMappingsAt("list", kw)
	m.DefaultMapping = dm
	m.DefaultAnalyzer = cjk.AnalyzerName
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m, nil
}

// OpenIndex opens the index in dir and brings it up to date with src:
// lists whose current edition changed are re-indexed; an index that is
// missing or cannot be read is rebuilt from scratch. An empty dir gives an
// in-memory index (for tests and one-off use).
//
// If another process holds the index (towndesk serve), OpenIndex builds a
// private in-memory index instead of waiting. It returns an error only if
// the Source cannot be read or the index cannot be built at all.
func OpenIndex(ctx context.Context, dir string, src Source) (*Index, error) {
	gen, err := generation(ctx, src)
	if err != nil {
		return nil, err
	}
	x, err := openOrCreate(dir)
	if errors.Is(err, errIndexBusy) {
		// Another process (the bot) has the index open; answer from a
		// private copy rather than wait for it.
		x, err = newIndex("")
	}
	if err != nil {
		return nil, err
	}
	if x.gen == gen {
		return x, nil
	}
	if err := x.sync(ctx, src, gen); err != nil {
		x.Close()
		return nil, err
	}
	return x, nil
}

func openOrCreate(dir string) (*Index, error) {
	if dir == "" {
		return newIndex("")
	}
	bi, err := bleve.OpenUsing(dir, map[string]any{"bolt_timeout": "1s"})
	switch {
	case err == nil:
		x := &Index{bi: bi, dir: dir, editions: map[int64]indexedEdition{}, statsCache: map[string]termStats{}}
		if err := x.loadState(); err == nil {
			return x, nil
		}
		bi.Close() // unreadable state: rebuild below
	case isLockTimeout(err):
		return nil, errIndexBusy
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, fmt.Errorf("remove broken index %s: %w", dir, err)
	}
	return newIndex(dir)
}

// errIndexBusy means another process holds the on-disk index.
var errIndexBusy = errors.New("index is in use by another process")

// UpdateIndex brings the on-disk index in dir up to date with src and
// closes it. If another process holds the index it returns nil: that
// process refreshes the index itself before its next search.
func UpdateIndex(ctx context.Context, dir string, src Source) error {
	gen, err := generation(ctx, src)
	if err != nil {
		return err
	}
	x, err := openOrCreate(dir)
	if errors.Is(err, errIndexBusy) {
		return nil
	}
	if err != nil {
		return err
	}
	defer x.Close()
	if x.gen == gen {
		return nil
	}
	return x.sync(ctx, src, gen)
}

// generation is the source's generation qualified by the index format.
func generation(ctx context.Context, src Source) (string, error) {
	g, err := src.Generation(ctx)
	return indexFormat + "/" + g, err
}

// isLockTimeout reports whether opening the index failed because another
// process holds its lock (bolt's timeout), as opposed to a broken index.
func isLockTimeout(err error) bool {
	return errors.Is(err, bolterrors.ErrTimeout)
}

func newIndex(dir string) (*Index, error) {
	m, err := indexMapping()
	if err != nil {
		return nil, err
	}
	var bi bleve.Index
	if dir == "" {
		bi, err = bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	} else {
		if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
			return nil, fmt.Errorf("create index dir: %w", err)
		}
		bi, err = bleve.NewUsing(dir, m, scorch.Name, scorch.Name, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	if dir != "" {
		// The index holds the lists' text, and bleve creates its
		// directories 0700 and its store 0600 but its metadata file 0666
		// less the umask: owner only, like the rest of the data directory.
		if err := os.Chmod(filepath.Join(dir, "index_meta.json"), 0o600); err != nil && !os.IsNotExist(err) {
			bi.Close()
			return nil, fmt.Errorf("create index %s: %w", dir, err)
		}
	}
	return &Index{bi: bi, dir: dir, editions: map[int64]indexedEdition{}, statsCache: map[string]termStats{}}, nil
}

func (x *Index) loadState() error {
	g, err := x.bi.GetInternal([]byte(internalGen))
	if err != nil {
		return err
	}
	e, err := x.bi.GetInternal([]byte(internalEditions))
	if err != nil {
		return err
	}
	if g == nil || e == nil {
		return errors.New("index has no state")
	}
	x.gen = string(g)
	if !strings.HasPrefix(x.gen, indexFormat+"/") {
		// Built by another version of towndesk, maybe with another
		// mapping: rebuild rather than mix documents of two formats.
		return errors.New("index has another format")
	}
	return json.Unmarshal(e, &x.editions)
}

// sync re-indexes the lists whose current edition differs from what the
// index holds, then records gen. The generation is written last: a crash
// halfway leaves a stale generation, and the next open finishes the job.
func (x *Index) sync(ctx context.Context, src Source, gen string) error {
	lists, err := src.Lists(ctx)
	if err != nil {
		return err
	}
	want := map[int64]towndesk.List{}
	for _, l := range lists {
		want[l.ID] = l
	}

	// Work on a copy: if anything fails halfway, x.editions still says
	// what the index held before, and the next sync redoes the work
	// (including deletions that were batched but never applied).
	editions := make(map[int64]indexedEdition, len(x.editions))
	for k, v := range x.editions {
		editions[k] = v
	}
	basis := newBasisTexts()
	b := x.bi.NewBatch()
	flush := func(force bool) error {
		if b.Size() == 0 || (!force && b.Size() < batchSize) {
			return nil
		}
		if err := x.bi.Batch(b); err != nil {
			return fmt.Errorf("index batch: %w", err)
		}
		b.Reset()
		return nil
	}
	// Drop editions that are no longer current.
	for listID, have := range editions {
		if l, ok := want[listID]; ok && l.EditionID == have.Edition {
			continue
		}
		for seq := 0; seq < have.Rows; seq++ {
			b.Delete(docID(have.Edition, seq))
			if err := flush(false); err != nil {
				return err
			}
		}
		delete(editions, listID)
	}
	for _, l := range lists {
		if have, ok := editions[l.ID]; ok && have.Edition == l.EditionID {
			continue
		}
		items, err := src.EditionItems(ctx, l.EditionID)
		if err != nil {
			return err
		}
		list := strconv.FormatInt(l.ID, 10)
		for seq, it := range items {
			if err := b.Index(docID(l.EditionID, seq), itemDoc(it, list, basis.text(it.Basis))); err != nil {
				return fmt.Errorf("index row: %w", err)
			}
			if err := flush(false); err != nil {
				return err
			}
		}
		editions[l.ID] = indexedEdition{Edition: l.EditionID, Rows: len(items)}
	}
	if err := flush(true); err != nil {
		return err
	}
	state, err := json.Marshal(editions)
	if err != nil {
		return err
	}
	if err := x.bi.SetInternal([]byte(internalEditions), state); err != nil {
		return fmt.Errorf("record index state: %w", err)
	}
	if err := x.bi.SetInternal([]byte(internalGen), []byte(gen)); err != nil {
		return fmt.Errorf("record index generation: %w", err)
	}
	x.editions, x.gen = editions, gen
	x.statsMu.Lock()
	clear(x.statsCache)
	x.docs = 0
	x.statsMu.Unlock()
	return nil
}

// Refresh brings the index up to date if src changed since it was built
// (an import by another process). It is cheap when nothing changed.
func (x *Index) Refresh(ctx context.Context, src Source) error {
	gen, err := generation(ctx, src)
	if err != nil {
		return err
	}
	if gen == x.gen {
		return nil
	}
	return x.sync(ctx, src, gen)
}

// itemDoc is the document of one row. Its text field holds, besides the
// basis, domain and note, the text of the articles the basis cites: the
// law describes the behaviour in the words of the statute (堤防, 葬坟 …),
// which is often closer to how people ask than the item name is.
func itemDoc(it towndesk.PowerItem, list, articles string) doc {
	return doc{
		Name: it.Name + " " + it.SubItem,
		Text: strings.Join([]string{it.Basis, it.Domain, it.Category, it.Note, articles}, " "),
		List: list,
	}
}

// basisTexts turns legal bases into the articles they cite, remembering
// each basis (lists repeat a few bases many times). The laws are loaded on
// first use. It is safe for concurrent use.
type basisTexts struct {
	mu   sync.Mutex
	laws *law.Laws
	err  error
	memo map[string]cited
}

// cited is what a basis cites: the articles' text, and a key naming them
// (城乡规划法65) that is the same however a list writes the basis.
type cited struct{ text, key string }

func newBasisTexts() *basisTexts { return &basisTexts{memo: map[string]cited{}} }

// text returns the cited articles' text, or "" if none is known.
func (b *basisTexts) text(basis string) string { return b.cite(basis).text }

// cite returns what basis cites; empty if towndesk has none of it.
func (b *basisTexts) cite(basis string) cited {
	if basis == "" {
		return cited{}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if c, ok := b.memo[basis]; ok {
		return c
	}
	if b.laws == nil && b.err == nil {
		b.laws, b.err = law.Load()
	}
	if b.err != nil {
		return cited{}
	}
	var texts, keys []string
	for _, a := range b.laws.Cite(basis) {
		texts = append(texts, a.Text)
		keys = append(keys, a.Short+strconv.Itoa(a.Number))
	}
	c := cited{text: strings.Join(texts, "\n"), key: strings.Join(keys, "+")}
	if len(b.memo) < 10000 {
		b.memo[basis] = c
	}
	return c
}

func docID(edition int64, seq int) string {
	return strconv.FormatInt(edition, 10) + ":" + strconv.Itoa(seq)
}

func parseDocID(id string) (edition int64, seq int, ok bool) {
	e, s, found := strings.Cut(id, ":")
	if !found {
		return 0, 0, false
	}
	edition, err1 := strconv.ParseInt(e, 10, 64)
	seq, err2 := strconv.Atoi(s)
	return edition, seq, err1 == nil && err2 == nil
}

// termStats says how many indexed rows use a term: in their name or
// sub-item, and in their other text (basis, domain, note, cited articles).
type termStats struct{ name, text int }

// maxStatsCache bounds the remembered stats; past it the memory is cleared.
const maxStatsCache = 200000

// stats returns the number of indexed rows and the stats of each term. A
// term of two or more Han characters counts by its rarest character pair
// (the index holds pairs), which bounds the rows that contain the whole
// term; a single character counts by the names that have it. Stats are
// remembered until the index changes.
func (x *Index) stats(ctx context.Context, terms []string) (int, map[string]termStats, error) {
	out := make(map[string]termStats, len(terms))
	x.statsMu.Lock()
	docs := x.docs
	var missing []string
	for _, t := range terms {
		if st, ok := x.statsCache[t]; ok {
			out[t] = st
		} else if _, dup := out[t]; !dup {
			missing = append(missing, t)
			out[t] = termStats{}
		}
	}
	x.statsMu.Unlock()
	if len(missing) == 0 && docs > 0 {
		return docs, out, nil
	}
	adv, err := x.bi.Advanced()
	if err != nil {
		return 0, nil, fmt.Errorf("index reader: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return 0, nil, fmt.Errorf("index reader: %w", err)
	}
	defer r.Close()
	if docs == 0 {
		n, err := r.DocCount()
		if err != nil {
			return 0, nil, fmt.Errorf("index doc count: %w", err)
		}
		docs = int(n)
	}
	count := func(term, field string) (int, error) {
		tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
		if err != nil {
			return 0, fmt.Errorf("index term %q: %w", term, err)
		}
		defer tfr.Close()
		return int(tfr.Count()), nil
	}
	for _, t := range missing {
		if err := ctx.Err(); err != nil {
			return 0, nil, err
		}
		var st termStats
		grams, field := indexTerms(t)
		for i, g := range grams {
			n, err := count(g, field)
			if err != nil {
				return 0, nil, err
			}
			if i == 0 || n < st.name {
				st.name = n
			}
			if field == "name_uni" {
				continue
			}
			if n, err = count(g, "text"); err != nil {
				return 0, nil, err
			}
			if i == 0 || n < st.text {
				st.text = n
			}
		}
		out[t] = st
	}
	x.statsMu.Lock()
	if len(x.statsCache) > maxStatsCache {
		clear(x.statsCache)
	}
	x.docs = docs
	for _, t := range missing {
		x.statsCache[t] = out[t]
	}
	x.statsMu.Unlock()
	return docs, out, nil
}

// indexTerms returns what the index holds of a term, and in which name
// field: the character pairs of a Han word, its one character, or a word
// of letters and digits lowercased.
func indexTerms(t string) ([]string, string) {
	rs := []rune(strings.ToLower(t))
	han := true
	for _, r := range rs {
		han = han && unicode.Is(unicode.Han, r)
	}
	switch {
	case !han:
		return []string{string(rs)}, "name"
	case len(rs) == 1:
		return []string{string(rs)}, "name_uni"
	}
	return pairs(string(rs)), "name"
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

// Close closes the index; closing it again does nothing.
func (x *Index) Close() error {
	x.closeOnce.Do(func() { x.closeErr = x.bi.Close() })
	return x.closeErr
}

// term is one search term with its weight. An exact term must match all
// its character pairs (official wording); others match any (partial recall).
type term struct {
	text  string
	boost float64
	exact bool
}

// hit is one retrieved row.
type hit struct {
	edition int64
	seq     int
	score   float64
}

// search retrieves up to size rows of the given lists that match any of
// the terms. Terms are analysed, never parsed as query syntax, so chat text
// cannot inject operators.
func (x *Index) search(ctx context.Context, terms []term, lists []int64, size int) ([]hit, error) {
	if len(terms) == 0 || len(lists) == 0 {
		return nil, nil
	}
	var should []query.Query
	for _, t := range terms {
		n := len([]rune(t.text))
		if n >= 2 {
			mq := bleve.NewMatchQuery(t.text)
			mq.SetField("name")
			mq.SetBoost(2 * t.boost)
			tq := bleve.NewMatchQuery(t.text)
			tq.SetField("text")
			tq.SetBoost(0.5 * t.boost)
			if t.exact {
				mq.Operator = query.MatchQueryOperatorAnd
				tq.Operator = query.MatchQueryOperatorAnd
			}
			should = append(should, mq, tq)
		}
		if n == 1 {
			// Only one-character terms need the unigram field; for longer
			// ones the bigrams are more precise, and unigrams of common
			// characters would match most of a large list.
			uq := bleve.NewMatchQuery(t.text)
			uq.SetField("name_uni")
			uq.SetBoost(t.boost)
			should = append(should, uq)
		}
	}
	var listQ []query.Query
	for _, id := range lists {
		tq := bleve.NewTermQuery(strconv.FormatInt(id, 10))
		tq.SetField("list")
		listQ = append(listQ, tq)
	}
	q := bleve.NewConjunctionQuery(bleve.NewDisjunctionQuery(should...), bleve.NewDisjunctionQuery(listQ...))
	req := bleve.NewSearchRequestOptions(q, size, 0, false)
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	res, err := x.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	out := make([]hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		e, s, ok := parseDocID(h.ID)
		if !ok {
			continue
		}
		out = append(out, hit{edition: e, seq: s, score: h.Score})
	}
	return out, nil
}
