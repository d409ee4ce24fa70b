// Package testenv opens the real things towndesk's tests run against: a
// fresh SQLite file, the gazetteer, an on-disk search index over the
// database, a holiday calendar. It is imported by tests only; every helper
// fails the test on error and closes what it opened when the test ends.
package testenv

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/gazetteer"
	"github.com/towndesk/towndesk/kb"
	"github.com/towndesk/towndesk/kb/lexicon"
	"github.com/towndesk/towndesk/storage"
)

// DB opens a fresh database file in dir ("" for a new temporary
// directory).
func DB(t testing.TB, dir string) *storage.DB {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	db, err := storage.Open(filepath.Join(dir, "towndesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Gazetteer loads the national gazetteer.
func Gazetteer(t testing.TB) *gazetteer.Gazetteer {
	t.Helper()
	gaz, err := gazetteer.Load()
	if err != nil {
		t.Fatal(err)
	}
	return gaz
}

// Place resolves county in gaz and, unless town is "", the town in it
// (Place(t, gaz, "滕州市", "滨湖镇")). It fails the test if the gazetteer
// has no such place.
func Place(t testing.TB, gaz *gazetteer.Gazetteer, county, town string) towndesk.Place {
	t.Helper()
	p, err := gaz.ResolveCounty(county, "")
	if err != nil {
		t.Fatal(err)
	}
	if town != "" {
		if p, err = gaz.ResolveTown(p, town); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// Tengzhou opens a fresh database file, with the gazetteer and the county
// 滕州市 (山东) that the desk and summary tests work in.
func Tengzhou(t testing.TB) (*storage.DB, *gazetteer.Gazetteer, towndesk.Place) {
	t.Helper()
	db, gaz := DB(t, ""), Gazetteer(t)
	return db, gaz, Place(t, gaz, "滕州市", "")
}

// Search opens a fresh data directory as the CLI does: a database file
// and a real on-disk index under it, with the gazetteer and the shipped
// synonyms. The index is closed before the database.
func Search(t testing.TB) (*storage.DB, *kb.KB, *kb.Index, *gazetteer.Gazetteer) {
	t.Helper()
	dir := t.TempDir()
	db, gaz := DB(t, dir), Gazetteer(t)
	idx, err := kb.OpenIndex(context.Background(), filepath.Join(dir, "index"), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	return db, kb.New(db, idx, gaz, lexicon.DefaultSynonyms()), idx, gaz
}

// Calendar parses a holidays file's text (towndesk.HolidaysExample for
// the example 2026 holidays).
func Calendar(t testing.TB, text string) *towndesk.Calendar {
	t.Helper()
	cal, err := towndesk.ParseCalendar(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

// OutboxDrained waits until db's outbox holds nothing (every post sent,
// or dropped) and fails the test if it still holds posts after timeout.
func OutboxDrained(t testing.TB, db *storage.DB, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		posts, err := db.Posts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(posts) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox not drained after %s: %d posts left, first %+v", timeout, len(posts), posts[0])
		}
		time.Sleep(20 * time.Millisecond)
	}
}
