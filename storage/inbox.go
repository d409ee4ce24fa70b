package storage

import (
	"context"
	"time"

	"github.com/towndesk/towndesk"
)

// InboxQuestion is a chat question waiting for its answer to be posted
// (the chat_inbox table): kept from before the platform is acknowledged
// until the answer is out, so that a shutdown or a crash in between does
// not lose it.
type InboxQuestion struct {
	ID         int64
	ReceivedAt time.Time
	Channel    string
	User       string
	// Root is the message the reply goes under (a thread root's ts).
	Root string
	// Thread is the conversation the question belongs to, for its place.
	Thread string
	// Text is the question with phone and ID numbers masked.
	Text string
	// Reply is the rendered reply, in the front end's encoding, once it
	// has been worked out; "" before.
	Reply string
}

// QueueQuestion claims a chat platform's event ID (as ClaimEvent) and
// stores q, masking phone and ID numbers in its text, in one transaction,
// held by owner for lease. It sets q.ID and q.ReceivedAt. fresh is false,
// and nothing is stored, when the event was seen before. An empty eventID
// claims nothing. The text may be empty (a bare mention): answering it is
// the chat's business. It returns EINVALID for a missing channel or
// message timestamp, EINTERNAL otherwise.
func (db *DB) QueueQuestion(ctx context.Context, eventID string, q *InboxQuestion, owner string, lease time.Duration) (fresh bool, err error) {
	if q.Channel == "" || q.Root == "" {
		return false, towndesk.Errorf(towndesk.EINVALID, "问题缺少频道或消息时间戳")
	}
	tx, err := db.conn.BeginWrite(ctx)
	if err != nil {
		return false, internal("begin queue question", err)
	}
	defer tx.Rollback()
	now := db.now()
	if eventID != "" {
		res, err := tx.ExecContext(ctx, `INSERT INTO chat_events (event_id, received_at) VALUES (?, ?)
			ON CONFLICT (event_id) DO NOTHING`, eventID, timeText(now))
		if err != nil {
			return false, internal("claim event", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return false, nil
		}
	}
	text := towndesk.MaskText(q.Text)
	res, err := tx.ExecContext(ctx, `INSERT INTO chat_inbox (received_at, channel, user_id, root_ts, thread,
		question, owner, lease_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		timeText(now), q.Channel, q.User, q.Root, q.Thread, text, owner, timeText(now.Add(lease)))
	if err != nil {
		return false, internal("queue question", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return false, internal("queued question id", err)
	}
	if err := tx.Commit(); err != nil {
		return false, internal("commit queued question", err)
	}
	q.ID, q.ReceivedAt, q.Text = id, now, text
	return true, nil
}

// SetInboxReply records the reply worked out for queued question id, so
// that a restart posts it instead of answering again. It returns
// ENOTFOUND if the question is no longer queued.
func (db *DB) SetInboxReply(ctx context.Context, id int64, reply string) error {
	res, err := db.conn.ExecContext(ctx, `UPDATE chat_inbox SET reply = ? WHERE id = ?`, reply, id)
	if err != nil {
		return internal("record queued reply", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return towndesk.Errorf(towndesk.ENOTFOUND, "没有编号为 %d 的待答问题", id)
	}
	return nil
}

// DeleteInbox forgets queued question id once its reply is out (or it
// can never be). Deleting a question that is gone is not an error.
func (db *DB) DeleteInbox(ctx context.Context, id int64) error {
	_, err := db.conn.ExecContext(ctx, `DELETE FROM chat_inbox WHERE id = ?`, id)
	return internal("delete queued question", err)
}

// ClaimInbox takes up to limit queued questions that nobody holds (given
// up, or whose holder's lease ran out) for owner, for lease, and returns
// them oldest first.
func (db *DB) ClaimInbox(ctx context.Context, owner string, lease time.Duration, limit int) ([]InboxQuestion, error) {
	if limit <= 0 {
		return nil, nil
	}
	now := db.now()
	return claimLeased(ctx, db, "claim inbox", `UPDATE chat_inbox SET owner = ?, lease_until = ?
		WHERE id IN (SELECT id FROM chat_inbox WHERE lease_until < ? ORDER BY id LIMIT ?)
		RETURNING id, received_at, channel, user_id, root_ts, thread, question, reply`,
		[]any{owner, timeText(now.Add(lease)), timeText(now), limit}, scanInbox, func(q InboxQuestion) int64 { return q.ID })
}

func scanInbox(s scanner) (InboxQuestion, error) {
	var q InboxQuestion
	var at string
	err := s.Scan(&q.ID, &at, &q.Channel, &q.User, &q.Root, &q.Thread, &q.Text, &q.Reply)
	q.ReceivedAt = parseTime(at)
	return q, err
}

// RenewInbox extends owner's hold on the queued questions it has, to lease
// from now: a running instance calls it well within every lease.
func (db *DB) RenewInbox(ctx context.Context, owner string, lease time.Duration) error {
	return db.renewLeases(ctx, "chat_inbox", owner, lease, nil)
}

// ReleaseInbox gives up owner's hold on its queued questions (all of them,
// or only those in ids when some are given), so that the next ClaimInbox,
// here or in another instance, takes them at once.
func (db *DB) ReleaseInbox(ctx context.Context, owner string, ids ...int64) error {
	return db.releaseLeases(ctx, "chat_inbox", owner, ids)
}

// InboxSize returns how many questions are queued.
func (db *DB) InboxSize(ctx context.Context) (int, error) {
	var n int
	err := db.conn.QueryRowContext(ctx, `SELECT count(*) FROM chat_inbox`).Scan(&n)
	return n, internal("count inbox", err)
}
