package migration

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	_ "modernc.org/sqlite"
)

func openDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "m.db")+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func recorded(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT name FROM migrations ORDER BY applied_at, name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	return names
}

// TestApplyInNumberOrderOnce: migrations run by number (10 after 9), each
// is recorded under its storage path, and a second Apply runs none again.
func TestApplyInNumberOrderOnce(t *testing.T) {
	ctx := t.Context()
	db := openDB(t)
	fsys := fstest.MapFS{
		"10_b.sql": {Data: []byte(`INSERT INTO t (v) VALUES ('ten');`)},
		"9_a.sql":  {Data: []byte(`CREATE TABLE t (v TEXT NOT NULL);`)},
	}
	for range 2 {
		if err := apply(ctx, db, fsys, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("after two Applies t has %d rows, want 1", n)
	}
	if got := strings.Join(recorded(t, db), " "); got != "migration/10_b.sql migration/9_a.sql" {
		t.Errorf("recorded migrations = %s, want both under migration/", got)
	}
}

// TestFailedMigrationLeavesSchema: a migration that fails halfway is
// rolled back whole, not recorded, and named in the error; the ones
// before it stay applied.
func TestFailedMigrationLeavesSchema(t *testing.T) {
	ctx := t.Context()
	db := openDB(t)
	fsys := fstest.MapFS{
		"1_ok.sql":  {Data: []byte(`CREATE TABLE a (v TEXT);`)},
		"2_bad.sql": {Data: []byte(`CREATE TABLE b (v TEXT); INSERT INTO nowhere VALUES (1);`)},
	}
	err := apply(ctx, db, fsys, time.Now())
	if err == nil || !strings.Contains(err.Error(), "migration/2_bad.sql") {
		t.Fatalf("apply = %v, want an error naming migration/2_bad.sql", err)
	}
	var tables string
	if err := db.QueryRow(`SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master
		WHERE type = 'table' ORDER BY name)`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != "a migrations" {
		t.Errorf("tables after a failed migration = %q, want %q", tables, "a migrations")
	}
	if got := strings.Join(recorded(t, db), " "); got != "migration/1_ok.sql" {
		t.Errorf("recorded migrations = %q, want only migration/1_ok.sql", got)
	}
}

// TestEmbeddedSchemaApplies: the real migrations apply to an empty
// database, under the names earlier versions recorded.
func TestEmbeddedSchemaApplies(t *testing.T) {
	db := openDB(t)
	if err := Apply(t.Context(), db, time.Now()); err != nil {
		t.Fatal(err)
	}
	names := recorded(t, db)
	if len(names) == 0 || names[0] != "migration/0001_lists.sql" {
		t.Errorf("recorded migrations = %v, want migration/0001_lists.sql first", names)
	}
}

// TestUpToDateTakesNoWriteLock: opening a database that has every
// migration only reads, so it neither waits for nor fails on a writer
// holding the lock (an import under way); one that lacks a new migration
// gets it.
func TestUpToDateTakesNoWriteLock(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "m.db")
	open := func() *sql.DB {
		// As storage opens it: WAL, and transactions that take the write
		// lock when they begin; a writer is waited for 200 ms at most.
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(200)&_txlock=immediate")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	fsys := fstest.MapFS{"1_a.sql": {Data: []byte(`CREATE TABLE a (v TEXT);`)}}
	db := open()
	if err := apply(ctx, db, fsys, time.Now()); err != nil {
		t.Fatal(err)
	}
	writer := open()
	tx, err := writer.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO a (v) VALUES ('x')`); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := apply(ctx, open(), fsys, time.Now()); err != nil {
		t.Errorf("apply on an up-to-date database while another connection writes = %v, want nil", err)
	}
	if d := time.Since(start); d > 150*time.Millisecond {
		t.Errorf("apply on an up-to-date database waited %v for the writer", d)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	fsys["2_b.sql"] = &fstest.MapFile{Data: []byte(`CREATE TABLE b (v TEXT);`)}
	if err := apply(ctx, db, fsys, time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recorded(t, db), " "); got != "migration/1_a.sql migration/2_b.sql" {
		t.Errorf("recorded migrations = %q, want the new one too", got)
	}
}
