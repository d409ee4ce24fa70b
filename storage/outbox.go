package storage

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/storage/internal/sqldb"
)

// PostKind is what an outbox entry asks the chat front end to do (see
// migration/0012_outbox.sql).
type PostKind string

// The kinds of outbox entry.
const (
	// PostCard posts a request's card if it has none, else updates it.
	PostCard PostKind = "card"
	// PostLine posts a line of a request's timeline in its card's thread.
	PostLine PostKind = "line"
	// PostMessage posts a rendered message.
	PostMessage PostKind = "post"
	// PostUpdate replaces a message with a rendered one.
	PostUpdate PostKind = "update"
)

// Post is one entry of the outbox: a chat side effect that must happen.
type Post struct {
	ID int64
	// Queue orders posts: those of one queue go out one after another,
	// in ID order. Empty in AddPosts: a request's posts share its queue,
	// the others their channel's.
	Queue     string
	Kind      PostKind
	RequestID string // PostCard, PostLine
	// Channel is where a message goes; for PostCard, where the request
	// was made (its card goes there when its town has no desk channel).
	Channel string
	// TS is the thread a PostMessage goes under ("" for the channel
	// itself), or the message a PostUpdate replaces.
	TS string
	// By is who said a PostLine.
	By string
	// Body is the line (PostLine) or the rendered message in the front
	// end's encoding (PostMessage, PostUpdate); stored with phone and ID
	// numbers masked.
	Body      string
	CreatedAt time.Time
	// Attempts counts the calls started for the post (StartPost), and
	// FirstTry is when the first started: after one, the post may have
	// been made although its outcome was never recorded.
	Attempts  int
	FirstTry  time.Time
	LastError string
}

// Notice asks, in the transaction of a change to a request, for the
// request's card to be brought up to date (posted if it has none) and for
// Line, if not empty, to be posted in the card's thread as said by By.
// Channel is where the change was made; "" follows the request's card
// (see RequestChange.Notice).
type Notice struct {
	Channel, By, Line string
}

// posts returns the outbox entries of notice n about request id.
func (n *Notice) posts(id string) []Post {
	out := []Post{{Kind: PostCard, RequestID: id, Channel: n.Channel}}
	if n.Line != "" {
		out = append(out, Post{Kind: PostLine, RequestID: id, Channel: n.Channel, By: n.By, Body: n.Line})
	}
	return out
}

// PostedCard is where a request's card was posted.
type PostedCard struct {
	RequestID, Channel, TS string
}

// AddPosts stores posts in the outbox, to be sent as soon as their queue's
// turn comes. It returns EINVALID for a post without a kind, a request
// post without a request or another without a channel, EINTERNAL
// otherwise.
func (db *DB) AddPosts(ctx context.Context, posts ...Post) error {
	return db.write(ctx, "add posts", func(tx *sqldb.Tx) error { return insertPosts(ctx, tx, db.now(), posts) })
}

func insertPosts(ctx context.Context, tx *sqldb.Tx, now time.Time, posts []Post) error {
	for _, p := range posts {
		switch {
		case p.Kind == PostCard || p.Kind == PostLine:
			if p.RequestID == "" {
				return towndesk.Errorf(towndesk.EINVALID, "待发消息缺少代办编号")
			}
			if p.Queue == "" {
				p.Queue = "request:" + p.RequestID
			}
		case p.Kind == PostMessage || p.Kind == PostUpdate:
			if p.Channel == "" || p.Kind == PostUpdate && p.TS == "" {
				return towndesk.Errorf(towndesk.EINVALID, "待发消息缺少频道或消息时间戳")
			}
			if p.Queue == "" {
				p.Queue = "channel:" + p.Channel
			}
		default:
			return towndesk.Errorf(towndesk.EINVALID, "未知的待发消息类型“%s”", p.Kind)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (queue, kind, request_id, channel, ts, by_user, body, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, p.Queue, string(p.Kind), p.RequestID, p.Channel, p.TS, p.By,
			towndesk.MaskText(p.Body), timeText(now)); err != nil {
			return internal("insert post", err)
		}
	}
	return nil
}

const postColumns = `id, queue, kind, request_id, channel, ts, by_user, body, created_at, attempts, first_try, last_error`

func scanPost(s scanner) (Post, error) {
	var p Post
	var kind, created, first string
	err := s.Scan(&p.ID, &p.Queue, &kind, &p.RequestID, &p.Channel, &p.TS, &p.By, &p.Body, &created, &p.Attempts, &first, &p.LastError)
	p.Kind, p.CreatedAt, p.FirstTry = PostKind(kind), parseTime(created), parseTime(first)
	return p, err
}

// ClaimPosts takes, for owner and for lease, up to limit posts that are
// due: the first post of each queue whose first post nobody holds and
// whose retry time has come. So a queue has at most one post out at a
// time, and its posts go in order. They are returned oldest first.
func (db *DB) ClaimPosts(ctx context.Context, owner string, lease time.Duration, limit int) ([]Post, error) {
	if limit <= 0 {
		return nil, nil
	}
	now := db.now()
	return claimLeased(ctx, db, "claim posts", `UPDATE outbox SET owner = ?, lease_until = ?
		WHERE id IN (SELECT id FROM outbox WHERE id IN (SELECT min(id) FROM outbox GROUP BY queue)
			AND lease_until < ? AND not_before <= ? ORDER BY id LIMIT ?)
		RETURNING `+postColumns, []any{owner, timeText(now.Add(lease)), timeText(now), timeText(now), limit},
		scanPost, func(p Post) int64 { return p.ID })
}

// errNotHeld is what a post owner no longer holds gets.
func errNotHeld(id int64) error {
	return towndesk.Errorf(towndesk.ENOTFOUND, "待发消息 %d 不存在或已由他人接手", id)
}

// StartPost records that owner starts a call for post id (counting the
// attempt, and its time if it is the first), before the call is made, and
// returns the post as it is now. It returns ENOTFOUND if owner no longer
// holds the post (it was sent, or its lease ran out and another took it).
func (db *DB) StartPost(ctx context.Context, id int64, owner string) (Post, error) {
	now := timeText(db.now())
	p, err := scanPost(db.conn.QueryRowContext(ctx, `UPDATE outbox SET attempts = attempts + 1,
		first_try = CASE first_try WHEN '' THEN ? ELSE first_try END
		WHERE id = ? AND owner = ? AND lease_until >= ? RETURNING `+postColumns, now, id, owner, now))
	if errors.Is(err, sql.ErrNoRows) {
		return Post{}, errNotHeld(id)
	}
	if err != nil {
		return Post{}, internal("start post", err)
	}
	return p, nil
}

// FinishPost deletes post id, done, and records where a card it posted
// is (card, if not nil), in one transaction: a card is recorded exactly
// when its post leaves the outbox. It returns ENOTFOUND if owner no
// longer holds the post.
func (db *DB) FinishPost(ctx context.Context, id int64, owner string, card *PostedCard) error {
	return db.write(ctx, "finish post", func(tx *sqldb.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE id = ? AND owner = ?`, id, owner)
		if err != nil {
			return internal("delete post", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errNotHeld(id)
		}
		if card == nil {
			return nil
		}
		_, err = tx.ExecContext(ctx, upsertRequestCard, card.RequestID, card.Channel, card.TS, timeText(db.now()))
		return internal("record request card", err)
	})
}

// RetryPost gives post id back after a failed call, to be taken again
// (here or by another instance) at notBefore, recording what went wrong.
func (db *DB) RetryPost(ctx context.Context, id int64, owner string, notBefore time.Time, problem string) error {
	_, err := db.conn.ExecContext(ctx, `UPDATE outbox SET owner = '', lease_until = '', not_before = ?, last_error = ?
		WHERE id = ? AND owner = ?`, timeText(notBefore), towndesk.MaskText(problem), id, owner)
	return internal("retry post", err)
}

// DropPost deletes post id for good: it can never be made (no channel to
// post a card in, or it failed for days).
func (db *DB) DropPost(ctx context.Context, id int64) error {
	_, err := db.conn.ExecContext(ctx, `DELETE FROM outbox WHERE id = ?`, id)
	return internal("drop post", err)
}

// RenewPosts extends owner's hold on its posts to lease from now: all of
// them if ids is nil, else those in ids. A running instance calls it well
// within every lease, for the posts it is working on: a post it holds but
// no longer works on (its outcome could not be recorded) is left to run
// out, so that it is taken again.
func (db *DB) RenewPosts(ctx context.Context, owner string, lease time.Duration, ids []int64) error {
	return db.renewLeases(ctx, "outbox", owner, lease, ids)
}

// ReleasePosts gives up owner's hold on its posts (all of them, or those
// in ids), so that the next ClaimPosts, here or elsewhere, takes them at
// once; their attempts and retry times stay as they are.
func (db *DB) ReleasePosts(ctx context.Context, owner string, ids ...int64) error {
	return db.releaseLeases(ctx, "outbox", owner, ids)
}

// Posts returns every post in the outbox, oldest first.
func (db *DB) Posts(ctx context.Context) ([]Post, error) {
	rows, err := db.conn.QueryContext(ctx, `SELECT `+postColumns+` FROM outbox ORDER BY id`)
	return collect(rows, err, "read posts", scanPost)
}
