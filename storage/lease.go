package storage

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/towndesk/towndesk/storage/internal/sqldb"
)

// The chat inbox and the outbox hold work that a running instance takes
// for itself: a row's owner holds it until lease_until, renews the lease
// while it works, and gives it back when it stops. Whoever claims next
// takes the rows that nobody holds.

// claimLeased runs claim, an UPDATE … RETURNING that sets the owner and
// lease of the rows it takes, in a write transaction, and returns the rows
// as scan reads them, by id. Errors are EINTERNAL, naming op.
func claimLeased[T any](ctx context.Context, db *DB, op, claim string, args []any, scan func(scanner) (T, error), id func(T) int64) ([]T, error) {
	var out []T
	err := db.write(ctx, op, func(tx *sqldb.Tx) error {
		rows, err := tx.QueryContext(ctx, claim, args...)
		out, err = collect(rows, err, op, scan)
		return err
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return id(out[i]) < id(out[j]) })
	return out, nil
}

// renewLeases extends owner's hold on its rows of table to lease from
// now: all of them, or those in ids when ids is not nil.
func (db *DB) renewLeases(ctx context.Context, table, owner string, lease time.Duration, ids []int64) error {
	renew := `UPDATE ` + table + ` SET lease_until = ? WHERE owner = ?`
	args := []any{timeText(db.now().Add(lease)), owner}
	if ids != nil {
		if len(ids) == 0 {
			return nil
		}
		renew += ` AND id IN (?` + strings.Repeat(", ?", len(ids)-1) + `)`
		for _, id := range ids {
			args = append(args, id)
		}
	}
	_, err := db.conn.ExecContext(ctx, renew, args...)
	return internal("renew "+table, err)
}

// releaseLeases gives up owner's hold on its rows of table: all of them,
// or those in ids when some are given.
func (db *DB) releaseLeases(ctx context.Context, table, owner string, ids []int64) error {
	release := `UPDATE ` + table + ` SET owner = '', lease_until = '' WHERE owner = ?`
	if len(ids) == 0 {
		_, err := db.conn.ExecContext(ctx, release, owner)
		return internal("release "+table, err)
	}
	args := []any{owner}
	for _, id := range ids {
		args = append(args, id)
	}
	_, err := db.conn.ExecContext(ctx, release+` AND id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, args...)
	return internal("release "+table, err)
}
