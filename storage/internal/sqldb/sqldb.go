// Package sqldb is storage's handle on one SQLite file: the pragmas every
// pooled connection gets, a cache of prepared statements, and one writer
// at a time in the process. It knows nothing of towndesk's tables.
package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"sync"

	_ "modernc.org/sqlite" // the "sqlite" driver
)

// DB is an open SQLite database.
type DB struct {
	// SQL is the pool itself, for statements that bypass the cache and the
	// write turns (migrations, reads that need no snapshot).
	SQL *sql.DB

	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt
	writer chan struct{} // a token per writer turn; capacity 1
}

// Open opens (creating if needed) the SQLite database at path. It returns
// the driver's error if it cannot.
func Open(path string) (*DB, error) {
	// Pragmas go in the DSN so that every pooled connection gets them.
	// _txlock=immediate makes read-then-write transactions take the write
	// lock up front, so concurrent writers wait (busy_timeout) instead of
	// failing with SQLITE_BUSY halfway through. cache_size lets each
	// connection keep up to 32 MiB of pages (SQLite's default is 2 MiB,
	// which a 100,000-row import outgrows at once and then spills to the
	// WAL page by page: 5% of the import's time); pages are cached as
	// they are read, so a small database uses little of it.
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)&_pragma=cache_size(-32768)&_txlock=immediate"
	sdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	return &DB{SQL: sdb, stmts: map[string]*sql.Stmt{}, writer: make(chan struct{}, 1)}, nil
}

// Close closes the database and its prepared statements.
func (db *DB) Close() error {
	db.stmtMu.Lock()
	for _, s := range db.stmts {
		s.Close()
	}
	db.stmts = map[string]*sql.Stmt{}
	db.stmtMu.Unlock()
	return db.SQL.Close()
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
	s, err := db.SQL.PrepareContext(ctx, query)
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
	return r.db.SQL
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

// ExecContext runs a statement that writes, outside a transaction.
// Writers take turns in the process (see BeginWrite) rather than spin on
// SQLite's lock.
func (db *DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	release, err := db.lockWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	return runner{db: db}.ExecContext(ctx, query, args...)
}

// QueryContext runs a read outside a transaction.
func (db *DB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return runner{db: db}.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a one-row read outside a transaction.
func (db *DB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
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
		return nil, fmt.Errorf("wait to write: %w", ctx.Err())
	}
}

// Tx is a transaction whose statements come from the DB's cache: its
// ExecContext, QueryContext and QueryRowContext are runner's.
type Tx struct {
	runner
	release func()
}

// BeginWrite starts a write transaction (BEGIN IMMEDIATE, see Open),
// taking this process's write turn for its duration.
func (db *DB) BeginWrite(ctx context.Context) (*Tx, error) {
	release, err := db.lockWrite(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		release()
		return nil, err
	}
	return &Tx{runner: runner{db: db, tx: tx}, release: release}, nil
}

// BeginRead starts a read-only transaction: a consistent snapshot for
// reads that take several queries.
func (db *DB) BeginRead(ctx context.Context) (*Tx, error) {
	tx, err := db.SQL.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
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
