// Package storage keeps towndesk's source of truth in one SQLite file
// (modernc.org/sqlite, pure Go): power lists and their editions, proxy-service
// requests with their events and money, the question log and delivery records.
//
// It is the only package that imports database/sql. Schema changes are
// numbered .sql files in migration/, embedded and applied in order, each in
// its own transaction and recorded in the migrations table.
package storage

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/towndesk/towndesk"
)

//go:embed migration/*.sql
var migrationFS embed.FS

// DB is an open towndesk database.
type DB struct {
	db   *sql.DB
	path string

	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt
	writer chan struct{} // a token per writer turn; capacity 1

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
	// Pragmas go in the DSN so that every pooled connection gets them.
	// _txlock=immediate makes read-then-write transactions take the write
	// lock up front, so concurrent writers wait (busy_timeout) instead of
	// failing with SQLITE_BUSY halfway through.
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)&_txlock=immediate"
	sdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db := &DB{db: sdb, path: path, Now: time.Now, stmts: map[string]*sql.Stmt{}, writer: make(chan struct{}, 1)}
	if err := db.migrate(context.Background()); err != nil {
		sdb.Close()
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
func (db *DB) Close() error {
	db.stmtMu.Lock()
	for _, s := range db.stmts {
		s.Close()
	}
	db.stmts = map[string]*sql.Stmt{}
	db.stmtMu.Unlock()
	return db.db.Close()
}

// Path returns the file the database lives in.
func (db *DB) Path() string { return db.path }

func (db *DB) now() time.Time { return db.Now().UTC() }

func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (
		name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	names, err := fs.Glob(migrationFS, "migration/*.sql")
	if err != nil {
		return err
	}
	sort.Slice(names, func(i, j int) bool { return migrationNumber(names[i]) < migrationNumber(names[j]) })
	for _, name := range names {
		if err := db.applyMigration(ctx, name); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

func migrationNumber(name string) int {
	base := strings.TrimPrefix(name, "migration/")
	n, _ := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
	return n
}

func (db *DB) applyMigration(ctx context.Context, name string) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	body, err := migrationFS.ReadFile(name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES (?, ?)`,
		name, db.now().Format(time.RFC3339)); err != nil {
		return err
	}
	return tx.Commit()
}

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

// timeText formats t for storage: UTC, RFC 3339 with nanoseconds, so that
// text order is time order.
func timeText(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// Statements are prepared once per database and reused: SQLite spends a
// good share of a small transaction parsing its SQL. Queries built with a
// variable number of arguments are cached too, up to maxStmts.
const maxStmts = 512

// stmt returns the prepared statement for query, preparing it on first
// use. It returns nil (and no error) when the cache is full, so the caller
// runs the query unprepared.
func (db *DB) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	db.stmtMu.Lock()
	defer db.stmtMu.Unlock()
	if s, ok := db.stmts[query]; ok {
		return s, nil
	}
	if len(db.stmts) >= maxStmts {
		return nil, nil
	}
	s, err := db.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	db.stmts[query] = s
	return s, nil
}

// conn runs statements unprepared: the *sql.DB, a *sql.Tx, or a cached
// prepared statement (cachedStmt).
type conn interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// cachedStmt runs a statement from the cache; the query it is given again
// is the one it was prepared from.
type cachedStmt struct{ s *sql.Stmt }

func (c cachedStmt) ExecContext(ctx context.Context, _ string, args ...any) (sql.Result, error) {
	return c.s.ExecContext(ctx, args...)
}

func (c cachedStmt) QueryContext(ctx context.Context, _ string, args ...any) (*sql.Rows, error) {
	return c.s.QueryContext(ctx, args...)
}

func (c cachedStmt) QueryRowContext(ctx context.Context, _ string, args ...any) *sql.Row {
	return c.s.QueryRowContext(ctx, args...)
}

// runner runs statements through the DB's statement cache, outside a
// transaction (tx nil) or in tx.
type runner struct {
	db *DB
	tx *sql.Tx
}

// on returns what runs query: its prepared statement, or the database or
// transaction itself when the cache is full.
func (r runner) on(ctx context.Context, query string) (conn, error) {
	s, err := r.db.stmt(ctx, query)
	switch {
	case err != nil:
		return nil, err
	case s == nil:
		return r.direct(), nil
	case r.tx != nil:
		s = r.tx.StmtContext(ctx, s)
	}
	return cachedStmt{s}, nil
}

// direct is what runs statements unprepared.
func (r runner) direct() conn {
	if r.tx != nil {
		return r.tx
	}
	return r.db.db
}

// ExecContext runs a statement.
func (r runner) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	c, err := r.on(ctx, query)
	if err != nil {
		return nil, err
	}
	return c.ExecContext(ctx, query, args...)
}

// QueryContext runs a query.
func (r runner) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c, err := r.on(ctx, query)
	if err != nil {
		return nil, err
	}
	return c.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a one-row query. A query that cannot be prepared
// runs unprepared and fails the same way, with the error on Scan.
func (r runner) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	c, err := r.on(ctx, query)
	if err != nil {
		c = r.direct()
	}
	return c.QueryRowContext(ctx, query, args...)
}

// exec runs a statement that writes, outside a transaction. Writers take
// turns in the process (see beginWrite) rather than spin on SQLite's lock.
func (db *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	release, err := db.lockWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	return runner{db: db}.ExecContext(ctx, query, args...)
}

// query runs a read outside a transaction.
func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return runner{db: db}.QueryContext(ctx, query, args...)
}

// queryRow runs a one-row read outside a transaction.
func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return runner{db: db}.QueryRowContext(ctx, query, args...)
}

// lockWrite waits for this process's turn to write. SQLite allows one
// writer at a time; waiting here is a channel receive, while waiting in
// SQLite (busy_timeout) polls with sleeps of a millisecond or more. Other
// processes still meet at SQLite's lock.
func (db *DB) lockWrite(ctx context.Context) (release func(), err error) {
	select {
	case db.writer <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-db.writer }) }, nil
	case <-ctx.Done():
		return nil, internal("wait to write", ctx.Err())
	}
}

// Tx is a transaction whose statements come from the DB's cache: its
// ExecContext, QueryContext and QueryRowContext are runner's.
type Tx struct {
	runner
	release func()
}

// beginWrite starts a write transaction (BEGIN IMMEDIATE, see Open),
// taking this process's write turn for its duration.
func (db *DB) beginWrite(ctx context.Context) (*Tx, error) {
	release, err := db.lockWrite(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		release()
		return nil, err
	}
	return &Tx{runner: runner{db: db, tx: tx}, release: release}, nil
}

// beginRead starts a read-only transaction: a consistent snapshot for
// reads that take several queries.
func (db *DB) beginRead(ctx context.Context) (*Tx, error) {
	tx, err := db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	return &Tx{runner: runner{db: db, tx: tx}, release: func() {}}, nil
}

// PrepareContext prepares a statement for repeated use in the transaction.
func (t *Tx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return t.tx.PrepareContext(ctx, query)
}

// Commit commits the transaction and gives up the write turn.
func (t *Tx) Commit() error {
	defer t.release()
	return t.tx.Commit()
}

// Rollback aborts the transaction (a no-op after Commit) and gives up the
// write turn.
func (t *Tx) Rollback() error {
	defer t.release()
	return t.tx.Rollback()
}
