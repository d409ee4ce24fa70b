// Package testenv opens the real things towndesk's tests run against: a
// fresh SQLite file, the gazetteer, an on-disk search index over the
// database, a holiday calendar, and a clock the test moves. It is imported
// by tests only; every helper fails the test on error and closes what it
// opened when the test ends.
package testenv

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/gazetteer"
	"github.com/towndesk/towndesk/kb"
	"github.com/towndesk/towndesk/storage"
)

// Clock is a clock a test sets; its Now is safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the time the clock was set to.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// At sets the clock to a whole hour of a day (2026-02-13) in China. It
// panics on a malformed day: that is a mistake in the test.
func (c *Clock) At(day string, hour int) {
	t, err := time.ParseInLocation("2006-01-02", day, towndesk.ChinaTime)
	if err != nil {
		panic(err)
	}
	c.Set(t.Add(time.Duration(hour) * time.Hour))
}

// Set sets the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Add moves the clock on by d.
func (c *Clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

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

// Tengzhou opens a fresh database file, with the gazetteer and the county
// 滕州市 (山东) that the desk and summary tests work in.
func Tengzhou(t testing.TB) (*storage.DB, *gazetteer.Gazetteer, towndesk.Place) {
	t.Helper()
	db, gaz := DB(t, ""), Gazetteer(t)
	county, err := gaz.ResolveCounty("滕州市", "山东")
	if err != nil {
		t.Fatal(err)
	}
	return db, gaz, county
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
	return db, kb.New(db, idx, gaz, kb.DefaultSynonyms()), idx, gaz
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
