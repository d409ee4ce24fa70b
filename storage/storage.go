// Package storage keeps towndesk's source of truth in one SQLite file
// (modernc.org/sqlite, pure Go): power lists and their editions, proxy-service
// requests with their events and money, the question log and delivery records.
//
// It and its sub-packages are the only ones that import database/sql.
// Schema changes are numbered .sql files in package migration, applied by
// Open.
package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/storage/internal/sqldb"
	"github.com/towndesk/towndesk/storage/migration"
)

// DB is an open towndesk database.
type DB struct {
	conn *sqldb.DB
	path string

	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// Open opens (creating if needed) the SQLite database at path and applies
// any pending migrations. It returns an error if the file cannot be opened or
// a migration fails; a failed migration leaves the schema as it was.
func Open(path string) (*DB, error) {
	if err := private(path); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	conn, err := sqldb.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db := &DB{conn: conn, path: path, Now: time.Now}
	if err := migration.Apply(context.Background(), conn.SQL, db.now()); err != nil {
		conn.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	return db, nil
}

// private makes the database file at path readable by its owner only: it
// holds citizens' names, phone and ID numbers. A new file is created 0600
// before SQLite opens it, and SQLite gives its -wal and -shm files the
// database file's permissions; an existing file open to others (as
// earlier versions created it, 0644) is narrowed, if this user may.
func private(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		return f.Close()
	}
	if !errors.Is(err, fs.ErrExist) {
		return err
	}
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o077 != 0 {
		os.Chmod(path, st.Mode().Perm()&0o700) // best effort: the file may be someone else's
	}
	return nil
}

// Close closes the database and its prepared statements.
func (db *DB) Close() error { return db.conn.Close() }

// Path returns the file the database lives in.
func (db *DB) Path() string { return db.path }

func (db *DB) now() time.Time { return db.Now().UTC() }

// isConstraint reports whether err is a SQLite constraint violation (UNIQUE,
// PRIMARY KEY, FOREIGN KEY, CHECK), judged by the driver's error code.
func isConstraint(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT
	}
	return false
}

// internal wraps an unexpected driver error as an EINTERNAL towndesk error.
func internal(op string, err error) error {
	if err == nil {
		return nil
	}
	var te *towndesk.Error
	if errors.As(err, &te) {
		return err
	}
	return &towndesk.Error{Code: towndesk.EINTERNAL, Err: fmt.Errorf("%s: %w", op, err)}
}

// eachRow calls scan for every row of rows, the result of a query that
// failed with err or not, and closes them. Errors are EINTERNAL, naming op.
func eachRow(rows *sql.Rows, err error, op string, scan func(*sql.Rows) error) error {
	if err != nil {
		return internal(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return internal(op, err)
		}
	}
	return internal(op, rows.Err())
}

// collect returns every row of rows as scan reads it (see eachRow).
func collect[T any](rows *sql.Rows, err error, op string, scan func(scanner) (T, error)) ([]T, error) {
	var out []T
	err = eachRow(rows, err, op, func(r *sql.Rows) error {
		v, err := scan(r)
		if err == nil {
			out = append(out, v)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// write runs fn in a write transaction, and commits it if fn returns nil.
// It returns fn's error, or EINTERNAL naming op.
func (db *DB) write(ctx context.Context, op string, fn func(tx *sqldb.Tx) error) error {
	tx, err := db.conn.BeginWrite(ctx)
	if err != nil {
		return internal("begin "+op, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return internal("commit "+op, tx.Commit())
}

// timeText formats t for storage: UTC, RFC 3339 with nanoseconds, so that
// text order is time order.
func timeText(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}
