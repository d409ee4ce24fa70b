package sqldb

import (
	"fmt"
	"path/filepath"
	"testing"
)

// TestStatementCache: statements run prepared from the cache and, once the
// cache is full, unprepared, outside and inside a transaction, with the same
// results; a query that cannot be prepared fails with its error either way.
func TestStatementCache(t *testing.T) {
	ctx := t.Context()
	db, err := Open(filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Each step's queries end in a comment naming the step, so that a step
	// after the cache is full runs new (unprepared) statements.
	count := func(c conn, where string) int {
		t.Helper()
		var n int
		if err := c.QueryRowContext(ctx, `SELECT count(*) FROM probe -- `+where).Scan(&n); err != nil {
			t.Fatalf("%s: count: %v", where, err)
		}
		return n
	}
	insert := func(c conn, where string, n int) {
		t.Helper()
		if _, err := c.ExecContext(ctx, `INSERT INTO probe (n) VALUES (?) -- `+where, n); err != nil {
			t.Fatalf("%s: insert: %v", where, err)
		}
		rows, err := c.QueryContext(ctx, `SELECT n FROM probe WHERE n = ? -- `+where, n)
		if err != nil {
			t.Fatalf("%s: query: %v", where, err)
		}
		defer rows.Close()
		var got []int
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				t.Fatalf("%s: scan: %v", where, err)
			}
			got = append(got, v)
		}
		if len(got) != 1 || got[0] != n {
			t.Errorf("%s: rows with n = %d: %v, want [%d]", where, n, got, n)
		}
	}
	// inTx inserts n in a write transaction; rows are numbered 1, 2, …, so
	// there are n of them afterwards.
	inTx := func(where string, n int) {
		t.Helper()
		tx, err := db.BeginWrite(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		insert(tx, where, n)
		if got := count(tx, where); got != n {
			t.Errorf("%s: count in the transaction = %d, want %d", where, got, n)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	outside := runner{db: db}
	wantPrepareError := func(c conn, where string) {
		t.Helper()
		var n int
		if err := c.QueryRowContext(ctx, `SELEKT 1`).Scan(&n); err == nil {
			t.Errorf("%s: QueryRowContext(SELEKT 1).Scan: no error", where)
		}
		if _, err := c.QueryContext(ctx, `SELEKT 1`); err == nil {
			t.Errorf("%s: QueryContext(SELEKT 1): no error", where)
		}
	}

	if _, err := db.ExecContext(ctx, `CREATE TABLE probe (n INTEGER)`); err != nil {
		t.Fatal(err)
	}
	insert(outside, "prepared", 1)
	inTx("prepared in a transaction", 2)
	wantPrepareError(outside, "prepared")

	for i := 0; len(db.stmts) < maxStmts; i++ {
		var v int
		if err := db.QueryRowContext(ctx, fmt.Sprintf(`SELECT %d`, i)).Scan(&v); err != nil || v != i {
			t.Fatalf("SELECT %d = %d, %v", i, v, err)
		}
	}
	insert(outside, "cache full", 3)
	inTx("cache full, in a transaction", 4)
	wantPrepareError(outside, "cache full")
	if got := count(outside, "cache full"); got != 4 {
		t.Errorf("count = %d, want 4", got)
	}
	if n := len(db.stmts); n != maxStmts {
		t.Errorf("%d cached statements, want at most %d", n, maxStmts)
	}
}
