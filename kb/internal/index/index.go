// Package index is kb's full-text index over the current edition of every
// power list: the bleve mapping and analyzers (cjk bigrams, plus unigrams
// of item names for one-character questions), opening, building and
// updating the on-disk index from the source of truth, the term
// statistics the matcher weighs words by, and retrieval. The index is
// derived data: it is rebuilt from the Source whenever it is missing,
// stale, unreadable or of an older format.
//
// Only kb and this package import bleve; no bleve type appears in the
// exported API. kb turns questions into Terms and scores the Hits.
package index

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

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/towndesk/towndesk"
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
// It is derived data: Open rebuilds or updates it from the Source
// whenever it is missing, stale or unreadable.
type Index struct {
	bi  bleve.Index
	dir string // "" for an in-memory index
	// editions maps list id → the edition currently indexed for it.
	editions map[int64]indexedEdition
	gen      string

	statsMu    sync.Mutex
	statsCache map[string]TermStats // term → stats; cleared when the index changes
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

// Open opens the index in dir and brings it up to date with src:
// lists whose current edition changed are re-indexed; an index that is
// missing or cannot be read is rebuilt from scratch. An empty dir gives an
// in-memory index (for tests and one-off use).
//
// If another process holds the index (towndesk serve), Open builds a
// private in-memory index instead of waiting. It returns an error only if
// the Source cannot be read or the index cannot be built at all.
func Open(ctx context.Context, dir string, src Source) (*Index, error) {
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
		x := &Index{bi: bi, dir: dir, editions: map[int64]indexedEdition{}, statsCache: map[string]TermStats{}}
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

// Update brings the on-disk index in dir up to date with src and
// closes it. If another process holds the index it returns nil: that
// process refreshes the index itself before its next search.
func Update(ctx context.Context, dir string, src Source) error {
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
	return &Index{bi: bi, dir: dir, editions: map[int64]indexedEdition{}, statsCache: map[string]TermStats{}}, nil
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
	basis := NewArticles()
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
			if err := b.Index(docID(l.EditionID, seq), itemDoc(it, list, basis.Text(it.Basis))); err != nil {
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
// (an import by another process). It is cheap when nothing changed; it
// fails if src cannot be read or the index cannot be written.
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

// Close closes the index; closing it again does nothing.
func (x *Index) Close() error {
	x.closeOnce.Do(func() { x.closeErr = x.bi.Close() })
	return x.closeErr
}
