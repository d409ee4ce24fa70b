package deliver

import (
	"context"
	"log/slog"
	"time"

	"github.com/towndesk/towndesk/storage"
)

// InboxStore is the stored question queue (storage.DB is one).
type InboxStore interface {
	QueueQuestion(ctx context.Context, eventID string, q *storage.InboxQuestion, owner string, lease time.Duration) (bool, error)
	SetInboxReply(ctx context.Context, id int64, reply string) error
	DeleteInbox(ctx context.Context, id int64) error
	ClaimInbox(ctx context.Context, owner string, lease time.Duration, limit int) ([]storage.InboxQuestion, error)
	RenewInbox(ctx context.Context, owner string, lease time.Duration) error
	ReleaseInbox(ctx context.Context, owner string, ids ...int64) error
}

// Inbox keeps the questions a platform delivered until each is answered:
// stored under its event ID before the platform gets its ack, held by
// Owner under a lease, its reply stored once worked out, and deleted once
// the reply is posted. A shutdown leaves the rest stored; the next start,
// or after a crash whichever instance finds the lease run out, takes them
// over, each question once.
type Inbox struct {
	Store InboxStore
	Owner string
	Lease time.Duration
	Log   *slog.Logger
}

// Queue stores q under eventID for this instance; fresh is false if the
// event was stored before (a redelivery).
func (x *Inbox) Queue(ctx context.Context, eventID string, q *storage.InboxQuestion) (fresh bool, err error) {
	return x.Store.QueueQuestion(ctx, eventID, q, x.Owner, x.Lease)
}

// Keep holds this instance's stored questions (renewing their lease) and
// takes over the ones nobody holds, at most room() at a time, handing each
// to dispatch: at once and then every third of a lease, until ctx ends.
func (x *Inbox) Keep(ctx context.Context, room func() int, dispatch func(storage.InboxQuestion)) {
	t := time.NewTicker(x.Lease / 3)
	defer t.Stop()
	for {
		if err := x.Store.RenewInbox(ctx, x.Owner, x.Lease); err != nil && ctx.Err() == nil {
			x.Log.Warn("renew queued questions", "err", err)
		}
		if n := room(); n > 0 {
			qs, err := x.Store.ClaimInbox(ctx, x.Owner, x.Lease, n)
			if err != nil && ctx.Err() == nil {
				x.Log.Warn("take queued questions", "err", err)
			}
			if len(qs) > 0 {
				x.Log.Info("answering stored questions", "count", len(qs))
			}
			for _, q := range qs {
				dispatch(q)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Forget deletes an answered question.
func (x *Inbox) Forget(id int64) {
	x.record("forget answered question", id, func(ctx context.Context) error { return x.Store.DeleteInbox(ctx, id) })
}

// Release gives a stored question up, for the next sweep to take.
func (x *Inbox) Release(id int64) {
	x.record("give up queued question", id, func(ctx context.Context) error { return x.Store.ReleaseInbox(ctx, x.Owner, id) })
}

// KeepReply stores the reply worked out for question id, so that a restart
// posts it rather than answer (and log) the question again.
func (x *Inbox) KeepReply(id int64, reply string) {
	x.record("store reply", id, func(ctx context.Context) error { return x.Store.SetInboxReply(ctx, id, reply) })
}

// record writes to the inbox within 5 s, also when the caller's context
// has ended (a shutdown must still record what it did); failures are
// logged as what.
func (x *Inbox) record(what string, id int64, write func(context.Context) error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := write(ctx); err != nil {
		x.Log.Error(what, "id", id, "err", err)
	}
}
