package storage

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/storage/internal/sqldb"
)

// SummaryScope selects what a weekly summary covers: one town, one county,
// or (both codes empty) everything.
type SummaryScope struct {
	TownCode   string // a town: requests and questions of this town
	CountyCode string // a county (when TownCode is empty)
	// Channel, if set, also counts the questions asked in that channel,
	// whatever place they were answered for (a question the bot could not
	// place has none).
	Channel string
}

// SummaryQuery asks for the figures of one week and the week before it.
type SummaryQuery struct {
	Scope SummaryScope
	// Since and Until bound the week: [Since, Until).
	Since, Until time.Time
	// PrevSince and PrevUntil bound the week before, for 环比.
	PrevSince, PrevUntil time.Time
	// Today is the day overdue requests are counted on.
	Today towndesk.Date
	// Top caps the village and matter lists (0: 10).
	Top int
}

// SummaryData is the raw material of a weekly summary, read from one
// snapshot of the database. It holds no phone or ID numbers.
type SummaryData struct {
	// This and Prev are the week's and the week before's request counts.
	This, Prev WeekRequests
	// Overdue are the requests overdue on Today, oldest id first.
	Overdue []OverdueRequest
	// FollowUps counts the week's follow-up calls by result: every call
	// recorded during the week, also of a request called again later.
	FollowUps map[towndesk.Satisfaction]int
	// Reopened are the ids of requests reopened after a 不满意 follow-up
	// during the week.
	Reopened []string
	// Money sums the week's ledger entries by type, a reversal (冲正)
	// taking away what it cancels.
	Money towndesk.Balance
	// Reversals are the week's reversing entries, oldest first.
	Reversals []towndesk.LedgerEntry
	// Unbalanced are the requests whose whole ledger does not balance.
	Unbalanced []towndesk.UnbalancedRequest
	// Villages are the villages with most new requests, most first.
	Villages []towndesk.VillageCount
	// Questions groups the week's questions by exact text and status.
	Questions []QuestionGroup
	// Matters are the power-list items answered most often, most first.
	Matters []towndesk.MatterCount
}

// WeekRequests counts what happened to requests during one week.
type WeekRequests struct {
	New, Accepted, Rejected, Cancelled int
	// Finished are the requests finished (办结) during the week.
	Finished []FinishedRequest
}

// FinishedRequest is a request finished during the week.
type FinishedRequest struct {
	ID, Kind   string
	AcceptedAt time.Time
	DoneAt     time.Time
	Due        towndesk.Date
}

// OverdueRequest is an overdue request, without personal data.
type OverdueRequest struct {
	ID, Kind, Town, Village, Assignee string
	Status                            towndesk.Status
	Due                               towndesk.Date
	WaitingSince                      time.Time
}

// QuestionGroup is how often one exact question text was asked with one
// outcome, and how it was judged.
type QuestionGroup struct {
	Text   string // masked
	Status towndesk.AskStatus
	Asked  int
	// NotUsefulAsks counts the asks someone marked 没用; NotUsefulVotes
	// counts the 没用 votes.
	NotUsefulAsks, NotUsefulVotes int
}

// Summary reads the figures of a weekly summary in one read-only
// transaction. It returns EINVALID for an empty week, EINTERNAL otherwise.
func (db *DB) Summary(ctx context.Context, q SummaryQuery) (*SummaryData, error) {
	if !q.Until.After(q.Since) || !q.PrevUntil.After(q.PrevSince) {
		return nil, towndesk.Errorf(towndesk.EINVALID, "周报的时间范围为空")
	}
	if q.Top <= 0 {
		q.Top = 10
	}
	tx, err := db.conn.BeginRead(ctx)
	if err != nil {
		return nil, internal("begin summary", err)
	}
	defer tx.Rollback()
	s := summaryReader{ctx: ctx, tx: tx, q: q}
	d := &SummaryData{FollowUps: map[towndesk.Satisfaction]int{}}
	if d.This, err = s.week(q.Since, q.Until); err != nil {
		return nil, err
	}
	if d.Prev, err = s.week(q.PrevSince, q.PrevUntil); err != nil {
		return nil, err
	}
	for _, step := range []func(*SummaryData) error{s.overdue, s.followUps, s.money, s.reversals, s.unbalanced, s.villages, s.questions, s.matters} {
		if err := step(d); err != nil {
			return nil, err
		}
	}
	return d, nil
}

type summaryReader struct {
	ctx context.Context
	tx  *sqldb.Tx
	q   SummaryQuery
}

// requestScope returns the scope as an AND term on requests (alias r.),
// with its arguments. ranged hides the town index from the planner (unary
// +) where the query has a narrow time range on an index of its own.
func (s *summaryReader) requestScope(ranged bool) (string, []any) {
	plus := ""
	if ranged {
		plus = "+"
	}
	switch {
	case s.q.Scope.TownCode != "":
		return " AND " + plus + "r.town_code = ?", []any{s.q.Scope.TownCode}
	case s.q.Scope.CountyCode != "":
		return " AND r.county_code = ?", []any{s.q.Scope.CountyCode}
	}
	return "", nil
}

// questionScope returns the scope as an AND term on questions (alias q.).
func (s *summaryReader) questionScope() (string, []any) {
	sc := s.q.Scope
	var place string
	var code string
	switch {
	case sc.TownCode != "":
		place, code = "q.town_code = ?", sc.TownCode
	case sc.CountyCode != "":
		place, code = "q.county_code = ?", sc.CountyCode
	default:
		return "", nil
	}
	if sc.Channel == "" {
		return " AND " + place, []any{code}
	}
	return " AND (" + place + " OR q.channel = ?)", []any{code, sc.Channel}
}

func (s *summaryReader) rows(op, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := s.tx.QueryContext(s.ctx, query, args...)
	return eachRow(rows, err, op, scan)
}

func (s *summaryReader) week(since, until time.Time) (WeekRequests, error) {
	var w WeekRequests
	from, to := timeText(since), timeText(until)
	scope, sargs := s.requestScope(false)
	if err := s.tx.QueryRowContext(s.ctx, `SELECT count(*) FROM requests r
		WHERE r.created_at >= ? AND r.created_at < ?`+scope, append([]any{from, to}, sargs...)...).Scan(&w.New); err != nil {
		return w, internal("count new requests", err)
	}
	scope, sargs = s.requestScope(true)
	args := append([]any{from, to}, sargs...)
	if err := s.tx.QueryRowContext(s.ctx, `SELECT count(*) FROM requests r
		WHERE r.accepted_at <> '' AND r.accepted_at >= ? AND r.accepted_at < ?`+scope, args...).Scan(&w.Accepted); err != nil {
		return w, internal("count accepted requests", err)
	}
	err := s.rows("count ended requests", `SELECT r.status, count(*) FROM requests r
		WHERE r.ended_at <> '' AND r.ended_at >= ? AND r.ended_at < ? AND r.status IN ('rejected', 'cancelled')`+scope+`
		GROUP BY r.status`, args, func(rows *sql.Rows) error {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return err
		}
		if towndesk.Status(st) == towndesk.StatusRejected {
			w.Rejected = n
		} else {
			w.Cancelled = n
		}
		return nil
	})
	if err != nil {
		return w, err
	}
	err = s.rows("read finished requests", `SELECT r.id, r.kind, r.accepted_at, r.done_at, r.due FROM requests r
		WHERE r.done_at <> '' AND r.done_at >= ? AND r.done_at < ?`+scope+` ORDER BY r.n`, args, func(rows *sql.Rows) error {
		var f FinishedRequest
		var accepted, done, due string
		if err := rows.Scan(&f.ID, &f.Kind, &accepted, &done, &due); err != nil {
			return err
		}
		f.AcceptedAt, f.DoneAt, f.Due = parseOptTime(accepted), parseTime(done), towndesk.Date(due)
		w.Finished = append(w.Finished, f)
		return nil
	})
	return w, err
}

func (s *summaryReader) overdue(d *SummaryData) error {
	scope, sargs := s.requestScope(true)
	return s.rows("read overdue requests", `SELECT r.id, r.kind, r.town, r.village, r.assignee, r.status, r.due, r.waiting_since
		FROM requests r WHERE r.late_due <> '' AND r.late_due < ?`+scope+` ORDER BY r.n`,
		append([]any{string(s.q.Today)}, sargs...), func(rows *sql.Rows) error {
			var o OverdueRequest
			var st, due, waiting string
			if err := rows.Scan(&o.ID, &o.Kind, &o.Town, &o.Village, &o.Assignee, &st, &due, &waiting); err != nil {
				return err
			}
			o.Status, o.Due, o.WaitingSince = towndesk.Status(st), towndesk.Date(due), parseOptTime(waiting)
			d.Overdue = append(d.Overdue, o)
			return nil
		})
}

// followUps counts the follow-up calls from their events (the literal
// type lets SQLite use the partial index on them): a request's
// columns keep only its latest call, and a 不满意 call followed by a
// satisfied one in the same week would vanish from them.
func (s *summaryReader) followUps(d *SummaryData) error {
	scope, sargs := s.requestScope(true)
	reopened := map[string]bool{}
	return s.rows("count follow-ups", `SELECT r.id, e.to_value FROM request_events e JOIN requests r ON r.id = e.request_id
		WHERE e.type = 'followed_up' AND e.at >= ? AND e.at < ?`+scope+` ORDER BY e.id`,
		append([]any{timeText(s.q.Since), timeText(s.q.Until)}, sargs...), func(rows *sql.Rows) error {
			var id, res string
			if err := rows.Scan(&id, &res); err != nil {
				return err
			}
			sat := towndesk.Satisfaction(res)
			d.FollowUps[sat]++
			if sat == towndesk.Dissatisfied && !reopened[id] {
				reopened[id] = true
				d.Reopened = append(d.Reopened, id)
			}
			return nil
		})
}

func (s *summaryReader) money(d *SummaryData) error {
	scope, sargs := s.requestScope(true)
	return s.rows("sum ledger", `SELECT l.type, sum(`+signedAmount+`) FROM request_ledger l JOIN requests r ON r.id = l.request_id
		WHERE l.at >= ? AND l.at < ?`+scope+` GROUP BY l.type`,
		append([]any{timeText(s.q.Since), timeText(s.q.Until)}, sargs...), func(rows *sql.Rows) error {
			var typ string
			var m towndesk.Money
			if err := rows.Scan(&typ, &m); err != nil {
				return err
			}
			d.Money.Add(towndesk.EntryType(typ), m)
			return nil
		})
}

// signedAmount is a ledger entry's amount as it counts in the balance: a
// reversal (冲正) takes away what it cancels.
const signedAmount = `CASE WHEN l.reverses IS NULL THEN l.amount ELSE -l.amount END`

func (s *summaryReader) reversals(d *SummaryData) error {
	scope, sargs := s.requestScope(true)
	return s.rows("read reversals", `SELECT l.id, l.request_id, l.type, l.amount, l.reverses, l.actor, l.at
		FROM request_ledger l JOIN requests r ON r.id = l.request_id
		WHERE l.reverses IS NOT NULL AND l.at >= ? AND l.at < ?`+scope+` ORDER BY l.id`,
		append([]any{timeText(s.q.Since), timeText(s.q.Until)}, sargs...), func(rows *sql.Rows) error {
			var e towndesk.LedgerEntry
			var typ, at string
			if err := rows.Scan(&e.ID, &e.RequestID, &typ, &e.Amount, &e.Reverses, &e.By, &at); err != nil {
				return err
			}
			e.Type, e.At = towndesk.EntryType(typ), parseTime(at)
			d.Reversals = append(d.Reversals, e)
			return nil
		})
}

func (s *summaryReader) unbalanced(d *SummaryData) error {
	scope, sargs := s.requestScope(false)
	return s.rows("find unbalanced ledgers", `SELECT r.id, r.status,
		sum(CASE l.type WHEN '收取' THEN `+signedAmount+` ELSE 0 END) AS received,
		sum(CASE l.type WHEN '支付' THEN `+signedAmount+` ELSE 0 END) AS paid,
		sum(CASE l.type WHEN '领取' THEN `+signedAmount+` ELSE 0 END) AS collected,
		sum(CASE l.type WHEN '交付' THEN `+signedAmount+` ELSE 0 END) AS handed
		FROM request_ledger l JOIN requests r ON r.id = l.request_id WHERE 1 = 1`+scope+`
		GROUP BY l.request_id HAVING received <> paid OR collected <> handed ORDER BY min(r.n)`, sargs,
		func(rows *sql.Rows) error {
			var u towndesk.UnbalancedRequest
			var st string
			if err := rows.Scan(&u.ID, &st, &u.Balance.Received, &u.Balance.Paid, &u.Balance.Collected, &u.Balance.Handed); err != nil {
				return err
			}
			u.Status = towndesk.Status(st)
			d.Unbalanced = append(d.Unbalanced, u)
			return nil
		})
}

func (s *summaryReader) villages(d *SummaryData) error {
	scope, sargs := s.requestScope(false)
	args := append([]any{timeText(s.q.Since), timeText(s.q.Until)}, sargs...)
	return s.rows("count villages", `SELECT min(r.town), r.village, count(*) AS c FROM requests r
		WHERE r.created_at >= ? AND r.created_at < ? AND r.village <> ''`+scope+`
		GROUP BY r.town_code, r.village ORDER BY c DESC, r.town_code, r.village LIMIT ?`, append(args, s.q.Top),
		func(rows *sql.Rows) error {
			var v towndesk.VillageCount
			if err := rows.Scan(&v.Town, &v.Village, &v.Count); err != nil {
				return err
			}
			d.Villages = append(d.Villages, v)
			return nil
		})
}

func (s *summaryReader) questions(d *SummaryData) error {
	scope, sargs := s.questionScope()
	return s.rows("group questions", `SELECT q.question, q.status, count(*), count(f.n), coalesce(sum(f.n), 0)
		FROM questions q LEFT JOIN (SELECT question_id, count(*) AS n FROM question_feedback WHERE useful = 0
			GROUP BY question_id) f ON f.question_id = q.id
		WHERE q.asked_at >= ? AND q.asked_at < ?`+scope+`
		GROUP BY q.question, q.status ORDER BY q.question, q.status`,
		append([]any{timeText(s.q.Since), timeText(s.q.Until)}, sargs...), func(rows *sql.Rows) error {
			var g QuestionGroup
			var st string
			if err := rows.Scan(&g.Text, &st, &g.Asked, &g.NotUsefulAsks, &g.NotUsefulVotes); err != nil {
				return err
			}
			g.Status = towndesk.AskStatus(st)
			d.Questions = append(d.Questions, g)
			return nil
		})
}

func (s *summaryReader) matters(d *SummaryData) error {
	scope, sargs := s.questionScope()
	args := append([]any{timeText(s.q.Since), timeText(s.q.Until), string(towndesk.StatusAnswered)}, sargs...)
	return s.rows("count matters", `SELECT g.code, g.c, coalesce((SELECT min(i.name) FROM lists l
			JOIN items i ON i.edition_id = l.current_edition_id AND i.code = g.code), '')
		FROM (SELECT q.top_code AS code, count(*) AS c FROM questions q
			WHERE q.asked_at >= ? AND q.asked_at < ? AND q.status = ? AND q.top_code <> ''`+scope+`
			GROUP BY q.top_code ORDER BY c DESC, q.top_code LIMIT ?) g
		ORDER BY g.c DESC, g.code`, append(args, s.q.Top), func(rows *sql.Rows) error {
		var m towndesk.MatterCount
		if err := rows.Scan(&m.Code, &m.Count, &m.Name); err != nil {
			return err
		}
		d.Matters = append(d.Matters, m)
		return nil
	})
}

// ClaimState is where a (channel, week) summary delivery stands for the
// one asking to claim it.
type ClaimState string

// The outcomes of ClaimSummary.
const (
	ClaimTaken  ClaimState = "taken"  // the caller holds the claim and should post
	ClaimHeld   ClaimState = "held"   // another poster holds an unexpired claim
	ClaimPosted ClaimState = "posted" // the summary was posted already
)

// SummaryClaim is the state of one (channel, week) delivery.
type SummaryClaim struct {
	State ClaimState
	// Owner is the poster holding the claim, or the one that posted.
	Owner string
	// Attempts counts the claims taken, this one included: more than one
	// means an earlier attempt may have reached Slack.
	Attempts   int
	FirstClaim time.Time
	LeaseUntil time.Time
	PostedAt   time.Time
	TS         string // the posted message's ts
	LastError  string
}

// ClaimSummary claims the delivery of the summary of week to channel for
// owner, for lease. The claim is taken if the slot is new, already held by
// owner (a retry renews the lease), or held by someone whose lease ran
// out (a crashed or stopped poster); it is held if another owner's lease
// is running, and posted if the summary was posted. It returns EINTERNAL
// on failure. Two callers never both get ClaimTaken while a lease runs.
func (db *DB) ClaimSummary(ctx context.Context, channel, week, owner string, lease time.Duration) (SummaryClaim, error) {
	now := db.now()
	tx, err := db.conn.BeginWrite(ctx) // immediate: the read and the write are one step
	if err != nil {
		return SummaryClaim{}, internal("begin claim summary", err)
	}
	defer tx.Rollback()
	c, err := readClaim(ctx, tx, channel, week)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		c = SummaryClaim{State: ClaimTaken, Owner: owner, Attempts: 1, FirstClaim: now, LeaseUntil: now.Add(lease)}
		if _, err := tx.ExecContext(ctx, `INSERT INTO summary_deliveries (channel, week, state, owner, attempts,
			first_claim, lease_until) VALUES (?, ?, 'claimed', ?, 1, ?, ?)`,
			channel, week, owner, timeText(now), timeText(c.LeaseUntil)); err != nil {
			return SummaryClaim{}, internal("insert summary claim", err)
		}
	case err != nil:
		return SummaryClaim{}, internal("read summary claim", err)
	case c.State == ClaimPosted:
		return c, nil
	case c.Owner != owner && c.LeaseUntil.After(now):
		c.State = ClaimHeld
		return c, nil
	default:
		c.State, c.Owner, c.LeaseUntil = ClaimTaken, owner, now.Add(lease)
		c.Attempts++
		if _, err := tx.ExecContext(ctx, `UPDATE summary_deliveries SET owner = ?, attempts = ?, lease_until = ?
			WHERE channel = ? AND week = ?`, owner, c.Attempts, timeText(c.LeaseUntil), channel, week); err != nil {
			return SummaryClaim{}, internal("renew summary claim", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return SummaryClaim{}, internal("commit summary claim", err)
	}
	return c, nil
}

func readClaim(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, channel, week string) (SummaryClaim, error) {
	var c SummaryClaim
	var state, first, lease, posted string
	err := q.QueryRowContext(ctx, `SELECT state, owner, attempts, first_claim, lease_until, posted_at, ts, last_error
		FROM summary_deliveries WHERE channel = ? AND week = ?`, channel, week).
		Scan(&state, &c.Owner, &c.Attempts, &first, &lease, &posted, &c.TS, &c.LastError)
	if err != nil {
		return c, err
	}
	c.State = ClaimTaken
	if state == "posted" {
		c.State = ClaimPosted
	}
	c.FirstClaim, c.LeaseUntil, c.PostedAt = parseTime(first), parseTime(lease), parseOptTime(posted)
	return c, nil
}

// SummaryDelivery returns the state of the delivery of week to channel
// (State ClaimTaken for a claim in progress, whoever holds it), ENOTFOUND
// if it was never claimed, or EINTERNAL.
func (db *DB) SummaryDelivery(ctx context.Context, channel, week string) (SummaryClaim, error) {
	c, err := readClaim(ctx, db.conn, channel, week)
	if errors.Is(err, sql.ErrNoRows) {
		return c, towndesk.Errorf(towndesk.ENOTFOUND, "频道 %s 的 %s 周报尚未发送", channel, week)
	}
	return c, internal("read summary delivery", err)
}

// FinishSummary records that owner posted the summary of week to channel
// as message ts. It returns ECONFLICT if the slot was already recorded as
// posted (by anyone), ENOTFOUND if it was never claimed, EINTERNAL
// otherwise.
func (db *DB) FinishSummary(ctx context.Context, channel, week, owner, ts string) error {
	now := db.now()
	res, err := db.conn.ExecContext(ctx, `UPDATE summary_deliveries SET state = 'posted', owner = ?, posted_at = ?,
		ts = ?, last_error = '' WHERE channel = ? AND week = ? AND state = 'claimed'`,
		owner, timeText(now), ts, channel, week)
	if err != nil {
		return internal("record summary posted", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	c, err := db.SummaryDelivery(ctx, channel, week)
	if err != nil {
		return err
	}
	return towndesk.Errorf(towndesk.ECONFLICT, "频道 %s 的 %s 周报已由 %s 于 %s 发送", channel, week, c.Owner,
		c.PostedAt.In(towndesk.ChinaTime).Format("2006-01-02 15:04"))
}

// FailSummary records why owner's attempt to post the summary failed,
// keeping the claim (owner retries it). It returns EINTERNAL on failure.
func (db *DB) FailSummary(ctx context.Context, channel, week, owner, problem string) error {
	_, err := db.conn.ExecContext(ctx, `UPDATE summary_deliveries SET last_error = ?
		WHERE channel = ? AND week = ? AND state = 'claimed' AND owner = ?`,
		towndesk.MaskText(clipText(problem, 500)), channel, week, owner)
	return internal("record summary failure", err)
}

// ReleaseSummary gives owner's claim up (its lease ends now), so that
// another poster, or the next start, may take it. It returns EINTERNAL on
// failure; releasing a claim owner does not hold does nothing.
func (db *DB) ReleaseSummary(ctx context.Context, channel, week, owner string) error {
	_, err := db.conn.ExecContext(ctx, `UPDATE summary_deliveries SET lease_until = ?
		WHERE channel = ? AND week = ? AND state = 'claimed' AND owner = ?`,
		timeText(db.now()), channel, week, owner)
	return internal("release summary claim", err)
}

func clipText(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n])
}
