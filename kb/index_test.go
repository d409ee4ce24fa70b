package kb_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/internal/testenv"
	"github.com/towndesk/towndesk/kb"
	"github.com/towndesk/towndesk/kb/lexicon"
	"github.com/towndesk/towndesk/storage"
)

// countingSource is the real database, counting how many editions the
// index reads (a full rebuild reads all of them).
type countingSource struct {
	*storage.DB
	reads int
}

func (c *countingSource) EditionItems(ctx context.Context, id int64) ([]towndesk.PowerItem, error) {
	c.reads++
	return c.DB.EditionItems(ctx, id)
}

func importList(t *testing.T, db *storage.DB, town, edition string, items ...towndesk.PowerItem) {
	t.Helper()
	p := testenv.Place(t, testenv.Gazetteer(t), "滕州市", town)
	if _, err := db.ImportEdition(t.Context(), storage.EditionInput{Place: p, Edition: edition, Items: items}); err != nil {
		t.Fatal(err)
	}
}

func item(code, name string) towndesk.PowerItem {
	return towndesk.PowerItem{Code: code, Name: name, Body: "某部门", Mode: towndesk.ModeRetained, Category: "行政处罚"}
}

// openKB indexes db in memory and returns the KB answering from it, with
// the gazetteer and the shipped synonyms. The index is closed when the
// test ends.
func openKB(t *testing.T, db *storage.DB) *kb.KB {
	t.Helper()
	x, err := kb.OpenIndex(t.Context(), "", db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return kb.New(db, x, testenv.Gazetteer(t), lexicon.DefaultSynonyms())
}

func ask(t *testing.T, x *kb.Index, db *storage.DB, q string) *towndesk.AskResult {
	t.Helper()
	res, err := kb.New(db, x, testenv.Gazetteer(t), lexicon.DefaultSynonyms()).Ask(t.Context(), kb.Query{Question: q})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestIndexIsDerived(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	db := testenv.DB(t, dir)
	importList(t, db, "", "1", item("C-1", "对露天焚烧秸秆的处罚"))
	importList(t, db, "滨湖镇", "1", item("T-1", "对燃放烟花爆竹的处罚"))
	src := &countingSource{DB: db}
	idxDir := filepath.Join(dir, "index")

	x, err := kb.OpenIndex(ctx, idxDir, src)
	if err != nil {
		t.Fatal(err)
	}
	x.Close()
	if src.reads != 2 {
		t.Errorf("first open read %d editions, want 2 (a full build)", src.reads)
	}

	// Up to date: nothing is read.
	src.reads = 0
	x, err = kb.OpenIndex(ctx, idxDir, src)
	if err != nil {
		t.Fatal(err)
	}
	x.Close()
	if src.reads != 0 {
		t.Errorf("reopening a fresh index read %d editions, want 0", src.reads)
	}

	// Stale: only the changed list is re-indexed, and the old rows vanish.
	importList(t, db, "", "2", item("C-2", "对随意倾倒生活垃圾的处罚"))
	src.reads = 0
	x, err = kb.OpenIndex(ctx, idxDir, src)
	if err != nil {
		t.Fatal(err)
	}
	if src.reads != 1 {
		t.Errorf("a stale index read %d editions, want 1", src.reads)
	}
	if res := ask(t, x, db, "滕州市谁管乱倒垃圾"); res.Status != towndesk.StatusAnswered || res.Matches[0].Item.Code != "C-2" {
		t.Errorf("after the new edition, answer = %+v, want C-2", res.Matches)
	}
	if res := ask(t, x, db, "滕州市谁管烧秸秆"); res.Status != towndesk.StatusNotFound {
		t.Errorf("a row of the replaced edition was still found: %+v", res.Matches)
	}
	x.Close()

	// Unreadable: junk over the index files is rebuilt from SQLite.
	filepath.Walk(idxDir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			os.WriteFile(p, []byte("junk"), 0o644)
		}
		return nil
	})
	src.reads = 0
	x, err = kb.OpenIndex(ctx, idxDir, src)
	if err != nil {
		t.Fatalf("OpenIndex on a broken index: %v", err)
	}
	defer x.Close()
	if src.reads != 2 {
		t.Errorf("a broken index read %d editions, want 2 (a full rebuild)", src.reads)
	}
	if res := ask(t, x, db, "滨湖镇放鞭炮谁管"); res.Status != towndesk.StatusAnswered || res.Matches[0].Item.Code != "T-1" {
		t.Errorf("after the rebuild, answer = %+v, want T-1", res.Matches)
	}
}

func TestIndexHeldByAnotherProcess(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	db := testenv.DB(t, dir)
	importList(t, db, "", "1", item("C-1", "对露天焚烧秸秆的处罚"))
	held, err := kb.OpenIndex(ctx, filepath.Join(dir, "index"), db)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()

	start := time.Now()
	x, err := kb.OpenIndex(ctx, filepath.Join(dir, "index"), db)
	if err != nil {
		t.Fatalf("OpenIndex while held: %v", err)
	}
	defer x.Close()
	if waited := time.Since(start); waited > 5*time.Second {
		t.Errorf("OpenIndex waited %v for the lock, want a quick fallback", waited)
	}
	if res := ask(t, x, db, "滕州市谁管烧秸秆"); res.Status != towndesk.StatusAnswered {
		t.Errorf("answer from the fallback index = %s, want answered", res.Status)
	}
	if err := kb.UpdateIndex(ctx, filepath.Join(dir, "index"), db); err != nil {
		t.Errorf("UpdateIndex while held = %v, want nil (the holder refreshes)", err)
	}
}
