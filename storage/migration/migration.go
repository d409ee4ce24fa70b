// Package migration holds towndesk's schema as numbered .sql files
// (0001_lists.sql, 0002_…), embedded in the binary, and applies them to a
// database in number order, each in its own transaction, recording each
// in the migrations table.
//
// Only storage uses it: it is storage's schema, kept apart from storage's
// queries.
package migration

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed *.sql
var files embed.FS

// Apply applies every embedded migration that db's migrations table does
// not record yet, in number order, stamping each with now. It stops at
// the first that fails and returns its error naming the file; that
// migration leaves the schema as it was, the ones before it stay applied.
func Apply(ctx context.Context, db *sql.DB, now time.Time) error {
	return apply(ctx, db, files, now)
}

// apply applies the .sql files of fsys (see Apply).
func apply(ctx context.Context, db *sql.DB, fsys fs.FS, now time.Time) error {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return err
	}
	sort.Slice(names, func(i, j int) bool { return number(names[i]) < number(names[j]) })
	// A database that records every migration needs nothing: one read
	// says so, where checking each in its own transaction took the write
	// lock once per migration (waiting for any writer, such as an import)
	// every time a process opened the database. Anything else, a missing
	// table included, goes the careful way below.
	if all, err := recordsAll(ctx, db, names); err == nil && all {
		return nil
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (
		name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	for _, name := range names {
		if err := applyOne(ctx, db, fsys, name, now); err != nil {
			return fmt.Errorf("migration/%s: %w", name, err)
		}
	}
	return nil
}

// recordsAll reports whether db's migrations table records every one of
// names.
func recordsAll(ctx context.Context, db *sql.DB, names []string) (bool, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM migrations`)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return false, err
		}
		have[n] = true
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	for _, name := range names {
		if !have[recordedName(name)] {
			return false, nil
		}
	}
	return true, nil
}

func number(name string) int {
	n, _ := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
	return n
}

func applyOne(ctx context.Context, db *sql.DB, fsys fs.FS, name string, now time.Time) error {
	recorded := recordedName(name)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM migrations WHERE name = ?`, recorded).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	body, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES (?, ?)`,
		recorded, now.Format(time.RFC3339)); err != nil {
		return err
	}
	return tx.Commit()
}

// recordedName is how the migrations table records a migration: by its
// path in the storage package, as earlier versions embedded it there.
func recordedName(name string) string { return "migration/" + name }
