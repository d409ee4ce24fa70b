package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/storage/internal/sqldb"
)

// staleError is what a change made against an old version of a request gets.
func staleError() error {
	return towndesk.Errorf(towndesk.ECONFLICT, "该代办已被他人修改，请刷新后重试")
}

func notFound(id string) error {
	return towndesk.Errorf(towndesk.ENOTFOUND, "没有编号为 %s 的代办", id)
}

// CreateRequest stores a new request: it numbers it (YYYY-NNNN, the next
// number of the current year in China, without gaps: a failed creation uses
// no number), sets Version 1, status received, the creation time, and
// records the creation event, all in one transaction. It returns the
// EINVALID error of r.Validate, or EINTERNAL.
func (db *DB) CreateRequest(ctx context.Context, r *towndesk.Request) error {
	_, err := db.CreateRequestOnce(ctx, r, Intake{})
	return err
}

// Intake is what the creation of a request records with it, in the same
// transaction.
type Intake struct {
	// Key is the idempotency key of the submission (a form's ID), "" for
	// none: a request created under a key is never created again under it.
	Key string
	// Notice, if set, returns the notice (the card and the first line of
	// its timeline, sent through the outbox) of the new request, which by
	// then has its number; nil for none.
	Notice func(r *towndesk.Request) *Notice
}

// CreateRequestOnce creates r as CreateRequest does, recording in.Key and
// the outbox entries of in.Notice in the same transaction, so that a crash
// leaves either all of them or none. If a request was created under
// in.Key before, nothing is stored: r is filled with that request and
// created is false. Errors as CreateRequest.
func (db *DB) CreateRequestOnce(ctx context.Context, r *towndesk.Request, in Intake) (created bool, err error) {
	r.Status = towndesk.StatusReceived
	if err := r.Validate(); err != nil {
		return false, err
	}
	var made towndesk.Request
	err = db.write(ctx, "create request", func(tx *sqldb.Tx) error {
		now := db.now()
		if in.Key != "" {
			var id string
			err := tx.QueryRowContext(ctx, `SELECT result FROM chat_keys WHERE key = ? AND done = 1`, in.Key).Scan(&id)
			switch {
			case err == nil:
				first, err := scanRequest(tx.QueryRowContext(ctx, `SELECT `+requestColumns+` FROM requests WHERE id = ?`, id))
				if err != nil {
					return internal("read request "+id, err)
				}
				made = *first
				return nil // a repeat: the first submission's request
			case !errors.Is(err, sql.ErrNoRows):
				return internal("read key", err)
			}
		}
		id, err := nextRequestID(ctx, tx, now.In(towndesk.ChinaTime).Year())
		if err != nil {
			return err
		}
		materials, _ := json.Marshal(nonNil(r.Materials))
		if _, err := tx.ExecContext(ctx, `INSERT INTO requests (id, version, province, city, county, county_code,
			town, town_code, village, citizen, phone, id_number, kind, promised_days, matter, materials, item_code,
			assignee, status, created_by, created_at, updated_at)
			VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, r.Town.Province, r.Town.City, r.Town.County, r.Town.CountyCode, r.Town.Town, r.Town.TownCode,
			r.Village, r.Citizen, r.Phone, r.IDNumber, r.Kind, r.PromisedDays, r.Matter, string(materials), r.ItemCode,
			r.Assignee, string(r.Status), r.CreatedBy, timeText(now), timeText(now)); err != nil {
			return internal("insert request", err)
		}
		ev := towndesk.Event{RequestID: id, At: now, By: r.CreatedBy, Type: towndesk.EventCreated, To: string(r.Status)}
		if err := insertEvents(ctx, tx, now, []towndesk.Event{ev}); err != nil {
			return err
		}
		if in.Key != "" {
			// A claim left by an older version's two-step intake is taken over.
			if _, err := tx.ExecContext(ctx, `INSERT INTO chat_keys (key, result, done, claimed_at) VALUES (?, ?, 1, ?)
				ON CONFLICT (key) DO UPDATE SET result = excluded.result, done = 1, claimed_at = excluded.claimed_at`,
				in.Key, id, timeText(now)); err != nil {
				return internal("record key", err)
			}
		}
		made = *r
		made.ID, made.Version, made.CreatedAt, made.UpdatedAt = id, 1, now, now
		created = true
		if in.Notice != nil {
			if n := in.Notice(&made); n != nil {
				return insertPosts(ctx, tx, now, n.posts(id))
			}
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	*r = made
	return created, nil
}

// nextRequestID takes the next number of year from the counter. It runs in
// the creating transaction, so a rollback gives the number back.
func nextRequestID(ctx context.Context, tx *sqldb.Tx, year int) (string, error) {
	var n int
	err := tx.QueryRowContext(ctx, `INSERT INTO request_counters (year, last) VALUES (?, 1)
		ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last`, year).Scan(&n)
	if err != nil {
		return "", internal("next request number", err)
	}
	return fmt.Sprintf("%d-%04d", year, n), nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// RequestChange is one change to a request, saved as a whole or not at all.
type RequestChange struct {
	// Request is the request as it should be after the change. Its
	// Version is the version the change was made against.
	Request *towndesk.Request
	// Was, if set, is the request as it was read at that version, so that
	// only the columns that differ are written without reading it again.
	// It must not share a Materials slice that the change modified.
	Was *towndesk.Request
	// Events record the change; their RequestID is filled in, and a zero
	// At becomes the time of saving.
	Events []towndesk.Event
	// Entries are ledger entries the change adds, filled in like Events.
	Entries []towndesk.LedgerEntry
	// Notice, if set, is stored in the outbox with the change. A Notice
	// without a Channel follows the request's card: it is stored for the
	// card's channel when the request has a card, posted or still waiting
	// in the outbox, and not at all otherwise.
	Notice *Notice
}

// UpdateRequest saves c if the stored request still has the version c was
// made against, then bumps the version (c.Request.Version and UpdatedAt are
// updated). It returns ECONFLICT "该代办已被他人修改，请刷新后重试" if
// someone changed the request since, ENOTFOUND if there is no such request,
// EINVALID for an entry that fails Validate, or EINTERNAL.
func (db *DB) UpdateRequest(ctx context.Context, c RequestChange) error {
	r := c.Request
	for i := range c.Entries {
		if err := c.Entries[i].Validate(); err != nil {
			return err
		}
	}
	tx, err := db.conn.BeginWrite(ctx)
	if err != nil {
		return internal("begin update request", err)
	}
	defer tx.Rollback()
	// Read the clock holding the write turn: changes are stamped in the
	// order they are written.
	now := db.now()

	was := c.Was
	if was == nil {
		if was, err = scanRequest(tx.QueryRowContext(ctx, `SELECT `+requestColumns+` FROM requests WHERE id = ?`, r.ID)); errors.Is(err, sql.ErrNoRows) {
			return notFound(r.ID)
		} else if err != nil {
			return internal("read request "+r.ID, err)
		}
	}
	// Only the columns that change are set, so that only the indexes on
	// them are rewritten.
	set, args := `version = version + 1, updated_at = ?`, []any{timeText(now)}
	old := mutableValues(was)
	for i, v := range mutableValues(r) {
		if v != old[i] {
			set += `, ` + mutableColumns[i] + ` = ?`
			args = append(args, v)
		}
	}
	res, err := tx.ExecContext(ctx, `UPDATE requests SET `+set+` WHERE id = ? AND version = ?`, append(args, r.ID, r.Version)...)
	if err != nil {
		if isConstraint(err) {
			return towndesk.Errorf(towndesk.EINVALID, "代办状态「%s」无效", r.Status)
		}
		return internal("update request", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var exists bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM requests WHERE id = ?)`, r.ID).Scan(&exists); err != nil {
			return internal("check request", err)
		}
		if !exists {
			return notFound(r.ID)
		}
		return staleError()
	}
	for i := range c.Events {
		c.Events[i].RequestID = r.ID
	}
	if err := insertEvents(ctx, tx, now, c.Events); err != nil {
		return err
	}
	for i := range c.Entries {
		c.Entries[i].RequestID = r.ID
	}
	if err := insertEntries(ctx, tx, now, c.Entries); err != nil {
		return err
	}
	if n := c.Notice; n != nil {
		if n.Channel == "" {
			// Follow the request's card, if it has one (posted, or still
			// waiting in the outbox), in this transaction.
			ch := *n
			err := tx.QueryRowContext(ctx, `SELECT channel FROM request_cards WHERE request_id = ?
				UNION ALL SELECT channel FROM outbox WHERE request_id = ? AND kind = 'card' LIMIT 1`, r.ID, r.ID).Scan(&ch.Channel)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				n = nil
			case err != nil:
				return internal("find request card", err)
			default:
				n = &ch
			}
		}
		if n != nil {
			if err := insertPosts(ctx, tx, now, n.posts(r.ID)); err != nil {
				return err
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return internal("commit update request", err)
	}
	r.Version++
	r.UpdatedAt = now
	return nil
}

// mutableColumns are the columns of requests a change may set, in the order
// of mutableValues. The town and the creation never change.
var mutableColumns = []string{"village", "citizen", "phone", "id_number", "kind", "promised_days", "matter",
	"materials", "item_code", "assignee", "status", "due", "late_due", "waiting_since", "result", "reason",
	"follow_up", "follow_up_note", "reopened", "accepted_at", "done_at", "followed_up_at", "ended_at"}

func mutableValues(r *towndesk.Request) []any {
	materials, _ := json.Marshal(nonNil(r.Materials))
	return []any{r.Village, r.Citizen, r.Phone, r.IDNumber, r.Kind, r.PromisedDays, r.Matter,
		string(materials), r.ItemCode, r.Assignee, string(r.Status), string(r.Due), string(r.LateDue()),
		optTime(r.WaitingSince), r.Result, r.Reason, string(r.FollowUp), r.FollowUpNote, r.Reopened,
		optTime(r.AcceptedAt), optTime(r.DoneAt), optTime(r.FollowedUpAt), optTime(r.EndedAt)}
}

// AppendEvents records events that change nothing about their requests
// (someone viewed personal data unmasked), so versions stay as they are. It
// returns ENOTFOUND if a request does not exist, or EINTERNAL.
func (db *DB) AppendEvents(ctx context.Context, events ...towndesk.Event) error {
	return db.write(ctx, "append events", func(tx *sqldb.Tx) error { return insertEvents(ctx, tx, db.now(), events) })
}

func insertEvents(ctx context.Context, tx *sqldb.Tx, now time.Time, events []towndesk.Event) error {
	for i := range events {
		e := &events[i]
		if e.At.IsZero() {
			e.At = now
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO request_events
			(request_id, at, actor, type, from_value, to_value, note) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			e.RequestID, timeText(e.At), e.By, string(e.Type), e.From, e.To, e.Note)
		if isForeignKey(err) {
			return notFound(e.RequestID)
		}
		if err != nil {
			return internal("insert event", err)
		}
		e.ID, _ = res.LastInsertId()
	}
	return nil
}

func insertEntries(ctx context.Context, tx *sqldb.Tx, now time.Time, entries []towndesk.LedgerEntry) error {
	for i := range entries {
		e := &entries[i]
		if e.At.IsZero() {
			e.At = now
		}
		var reverses any
		if e.Reverses != 0 {
			reverses = e.Reverses
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO request_ledger (request_id, type, amount, receipt, note, actor, at, reverses)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			e.RequestID, string(e.Type), int64(e.Amount), e.Receipt, e.Note, e.By, timeText(e.At), reverses)
		switch {
		case e.Reverses != 0 && isConstraint(err):
			// The domain checks this first; the database has the last word.
			return towndesk.Errorf(towndesk.ECONFLICT, "收支 #%d 已被冲正或不能冲正，请刷新后重试", e.Reverses)
		case err != nil:
			return internal("insert ledger entry", err)
		}
		e.ID, _ = res.LastInsertId()
	}
	return nil
}

// isForeignKey reports whether err is a FOREIGN KEY constraint violation.
func isForeignKey(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// optTime stores an optional time: the empty string for the zero time.
func optTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return timeText(t)
}

func parseOptTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	return parseTime(s)
}

const requestColumns = `id, version, province, city, county, county_code, town, town_code, village, citizen,
	phone, id_number, kind, promised_days, matter, materials, item_code, assignee, status, due, waiting_since,
	result, reason, follow_up, follow_up_note, reopened, created_by, created_at, updated_at, accepted_at,
	done_at, followed_up_at, ended_at`

type scanner interface{ Scan(dest ...any) error }

func scanRequest(s scanner) (*towndesk.Request, error) {
	var r towndesk.Request
	var materials, status, due, waitingSince, followUp, createdAt, updatedAt string
	var acceptedAt, doneAt, followedUpAt, endedAt string
	err := s.Scan(&r.ID, &r.Version, &r.Town.Province, &r.Town.City, &r.Town.County, &r.Town.CountyCode,
		&r.Town.Town, &r.Town.TownCode, &r.Village, &r.Citizen, &r.Phone, &r.IDNumber, &r.Kind, &r.PromisedDays,
		&r.Matter, &materials, &r.ItemCode, &r.Assignee, &status, &due, &waitingSince, &r.Result, &r.Reason,
		&followUp, &r.FollowUpNote, &r.Reopened, &r.CreatedBy, &createdAt, &updatedAt, &acceptedAt, &doneAt,
		&followedUpAt, &endedAt)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(materials), &r.Materials); err != nil {
		return nil, fmt.Errorf("request %s materials: %w", r.ID, err)
	}
	if len(r.Materials) == 0 {
		r.Materials = nil
	}
	r.Status, r.Due, r.FollowUp = towndesk.Status(status), towndesk.Date(due), towndesk.Satisfaction(followUp)
	r.WaitingSince = parseOptTime(waitingSince)
	r.CreatedAt, r.UpdatedAt = parseTime(createdAt), parseTime(updatedAt)
	r.AcceptedAt, r.DoneAt = parseOptTime(acceptedAt), parseOptTime(doneAt)
	r.FollowedUpAt, r.EndedAt = parseOptTime(followedUpAt), parseOptTime(endedAt)
	return &r, nil
}

// Request returns the request with the given id, ENOTFOUND if there is
// none, or EINTERNAL.
func (db *DB) Request(ctx context.Context, id string) (*towndesk.Request, error) {
	r, err := scanRequest(db.conn.QueryRowContext(ctx, `SELECT `+requestColumns+` FROM requests WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound(id)
	}
	if err != nil {
		return nil, internal("read request "+id, err)
	}
	return r, nil
}

// beginFiltered validates f and begins the read-only transaction that reads
// what f selects. It is deferred: it takes a snapshot without the write
// lock, so everything read in it agrees. It returns EINVALID for a bad
// filter, or EINTERNAL naming what was to be read.
func (db *DB) beginFiltered(ctx context.Context, f towndesk.RequestFilter, what string) (*sqldb.Tx, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	tx, err := db.conn.BeginRead(ctx)
	if err != nil {
		return nil, internal("begin "+what, err)
	}
	return tx, nil
}

// Requests returns the requests f selects, newest first, and how many there
// are in all (ignoring f.Limit and f.Offset). It returns EINVALID for a bad
// filter, or EINTERNAL.
func (db *DB) Requests(ctx context.Context, f towndesk.RequestFilter) ([]*towndesk.Request, int, error) {
	// One snapshot, so the page and the count agree.
	tx, err := db.beginFiltered(ctx, f, "list requests")
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	rs, err := findRequests(ctx, tx, f)
	if err != nil {
		return nil, 0, err
	}
	n := len(rs) + f.Offset
	if (f.Limit > 0 && len(rs) == f.Limit) || (f.Offset > 0 && len(rs) == 0) {
		where, args := requestWhere(f)
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM requests`+where, args...).Scan(&n); err != nil {
			return nil, 0, internal("count requests", err)
		}
	}
	return rs, n, nil
}

func findRequests(ctx context.Context, tx *sqldb.Tx, f towndesk.RequestFilter) ([]*towndesk.Request, error) {
	where, args := requestWhere(f)
	q := `SELECT ` + requestColumns + ` FROM requests` + where + ` ORDER BY created_at DESC, n DESC`
	if f.Limit > 0 || f.Offset > 0 {
		limit := f.Limit
		if limit == 0 {
			limit = -1
		}
		q += ` LIMIT ? OFFSET ?`
		args = append(args, limit, f.Offset)
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	return collect(rows, err, "list requests", scanRequest)
}

// requestWhere renders f as a WHERE clause (with a leading space, or
// empty) and its arguments.
func requestWhere(f towndesk.RequestFilter) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, a ...any) {
		conds = append(conds, cond)
		args = append(args, a...)
	}
	// Without statistics the planner may walk any index with an equality
	// on it; a unary + hides an index from it. With --overdue, the few
	// overdue requests are best found through requests_late. Otherwise a
	// town or an assignee narrows best, and their indexes hold the status
	// too; kinds are few, so their index is the last resort.
	plain, broad := "", ""
	switch {
	case f.OverdueOn != nil:
		plain, broad = "+", "+"
	case f.TownCode != nil || f.Assignee != nil:
		broad = "+"
	}
	if f.Status != nil {
		add(broad+`status = ?`, string(*f.Status))
	}
	if f.TownCode != nil {
		add(plain+`town_code = ?`, *f.TownCode)
	}
	if f.CountyCode != nil {
		add(`county_code = ?`, *f.CountyCode)
	}
	if f.Assignee != nil {
		add(plain+`assignee = ?`, *f.Assignee)
	}
	if f.Kind != nil {
		add(broad+`kind = ?`, *f.Kind)
	}
	if f.Since != nil {
		add(`created_at >= ?`, timeText(*f.Since))
	}
	if f.Until != nil {
		add(`created_at < ?`, timeText(*f.Until))
	}
	if f.OverdueOn != nil {
		add(`late_due <> '' AND late_due < ?`, string(*f.OverdueOn))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return ` WHERE ` + strings.Join(conds, ` AND `), args
}

// Ledger returns the money entries of request id in the order they were
// made; none (and no error) for a request without money or no such request.
// It returns EINTERNAL on failure.
func (db *DB) Ledger(ctx context.Context, id string) ([]towndesk.LedgerEntry, error) {
	return queryEntries(ctx, db.conn, `WHERE request_id = ?`, id)
}

// Events returns the history of request id, oldest first; none (and no
// error) for no such request. It returns EINTERNAL on failure.
func (db *DB) Events(ctx context.Context, id string) ([]towndesk.Event, error) {
	return queryEvents(ctx, db.conn, `WHERE request_id = ?`, id)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func queryEntries(ctx context.Context, q querier, where string, args ...any) ([]towndesk.LedgerEntry, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, request_id, type, amount, receipt, note, actor, at, coalesce(reverses, 0)
		FROM request_ledger `+where+` ORDER BY id`, args...)
	return collect(rows, err, "read ledger", func(sc scanner) (e towndesk.LedgerEntry, err error) {
		var typ, at string
		err = sc.Scan(&e.ID, &e.RequestID, &typ, &e.Amount, &e.Receipt, &e.Note, &e.By, &at, &e.Reverses)
		e.Type, e.At = towndesk.EntryType(typ), parseTime(at)
		return e, err
	})
}

func queryEvents(ctx context.Context, q querier, where string, args ...any) ([]towndesk.Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, request_id, at, actor, type, from_value, to_value, note
		FROM request_events `+where+` ORDER BY id`, args...)
	return collect(rows, err, "read events", func(sc scanner) (e towndesk.Event, err error) {
		var typ, at string
		err = sc.Scan(&e.ID, &e.RequestID, &at, &e.By, &typ, &e.From, &e.To, &e.Note)
		e.Type, e.At = towndesk.EventType(typ), parseTime(at)
		return e, err
	})
}

// RequestBook is the ledger book (台账) of a set of requests: the requests,
// their money entries and their history.
type RequestBook struct {
	Requests []*towndesk.Request
	Entries  []towndesk.LedgerEntry
	Events   []towndesk.Event
}

// RequestBook returns every request f selects (f.Limit and f.Offset are
// ignored), oldest first, with their ledger entries and events, all read from
// one snapshot. It returns EINVALID for a bad filter, or EINTERNAL.
func (db *DB) RequestBook(ctx context.Context, f towndesk.RequestFilter) (*RequestBook, error) {
	f.Limit, f.Offset = 0, 0
	tx, err := db.beginFiltered(ctx, f, "request book")
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var b RequestBook
	if b.Requests, err = findRequests(ctx, tx, f); err != nil {
		return nil, err
	}
	for i, j := 0, len(b.Requests)-1; i < j; i, j = i+1, j-1 {
		b.Requests[i], b.Requests[j] = b.Requests[j], b.Requests[i]
	}
	where, args := requestWhere(f)
	sub := `WHERE request_id IN (SELECT id FROM requests` + where + `)`
	if b.Entries, err = queryEntries(ctx, tx, sub, args...); err != nil {
		return nil, err
	}
	if b.Events, err = queryEvents(ctx, tx, sub, args...); err != nil {
		return nil, err
	}
	return &b, nil
}

// ItemExists reports whether code is the code of an item in the current
// edition of any power list. It returns EINTERNAL on failure.
func (db *DB) ItemExists(ctx context.Context, code string) (bool, error) {
	var ok bool
	err := db.conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM lists l
		JOIN items i ON i.edition_id = l.current_edition_id AND i.code = ?)`, code).Scan(&ok)
	if err != nil {
		return false, internal("look up item "+code, err)
	}
	return ok, nil
}
