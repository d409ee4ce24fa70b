package deliver

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/storage"
)

// The outbox holds the chat side effects a change needs (a request's card,
// its update, a timeline line, the posts of buttons), stored in the
// change's own transaction. The Outbox driver takes the posts that are due
// (the first of each queue: one out at a time per queue, in order), hands
// each to its channel's turn on the Poster, and records the outcome: done
// (deleted; a card's place recorded in the same transaction), or failed
// and retried later with backoff (as long as the platform asks after a
// 429), or given up after MaxAge. Posts are held under a lease, renewed
// while the driver runs and released at Close; after a crash another
// instance, or the next start, takes them once the lease runs out.
//
// Exactly once, as far as it can be had: before each call the attempt is
// recorded (storage.StartPost). A post whose earlier attempt was recorded
// but whose outcome was not may have been made just before a crash; the
// Sender then first looks for it (each message carries its post's ID) and
// records what it finds instead of posting again. See the bot's Sender for
// what remains (a lookup that fails posts anyway: a rare duplicate rather
// than a lost card).

// Store is the outbox as the driver uses it; *storage.DB is one.
type Store interface {
	ClaimPosts(ctx context.Context, owner string, lease time.Duration, limit int) ([]storage.Post, error)
	StartPost(ctx context.Context, id int64, owner string) (storage.Post, error)
	FinishPost(ctx context.Context, id int64, owner string, card *storage.PostedCard) error
	RetryPost(ctx context.Context, id int64, owner string, notBefore time.Time, problem string) error
	DropPost(ctx context.Context, id int64) error
	RenewPosts(ctx context.Context, owner string, lease time.Duration, ids []int64) error
	ReleasePosts(ctx context.Context, owner string, ids ...int64) error
}

// Sender makes the chat platform's calls for outbox posts.
type Sender interface {
	// Channel returns the channel p goes to, whose turn it takes; "" if
	// it goes nowhere (a card for a town without a desk channel, a line
	// of a request without a card): it is dropped.
	Channel(ctx context.Context, p storage.Post) (string, error)
	// Send makes p's call. p.Attempts counts this attempt: after an
	// earlier one, Send first looks for the message that one may have
	// made. It returns where a card it posted (or found) is; nil for
	// other posts.
	Send(ctx context.Context, p storage.Post) (*storage.PostedCard, error)
	// RetryAfter returns how long the platform asked to wait with err
	// (rate limited); ok is false if it did not.
	RetryAfter(err error) (wait time.Duration, ok bool)
	// Refused reports whether err says the platform will never take this
	// post as it is (a message it rejects): retrying it would only hold
	// up the posts queued behind it.
	Refused(err error) bool
}

// OutboxOptions configure an Outbox. Store, Sender and Poster are required.
type OutboxOptions struct {
	Store  Store
	Sender Sender
	Poster *Poster
	Log    *slog.Logger // nil discards
	// Owner names this instance in the outbox; Lease is how long another
	// instance waits to take over its posts after it died (default 2
	// minutes).
	Owner string
	Lease time.Duration
	// MinBackoff and MaxBackoff bound the wait before a failed post is
	// tried again (default 2 s, doubling up to 5 minutes); MaxAge is how
	// long a post is retried at all (default 3 days).
	MinBackoff, MaxBackoff, MaxAge time.Duration
	// Poll is how often the outbox is looked at besides Wake (default 5 s).
	Poll time.Duration
	// Batch bounds the posts taken at a time (default 100).
	Batch int
}

// Outbox sends the outbox's posts until its Run ends.
type Outbox struct {
	o    OutboxOptions
	wake chan struct{}

	mu      sync.Mutex
	running map[int64]bool // posts handed to the poster and not done
}

// NewOutbox returns a driver for o.
func NewOutbox(o OutboxOptions) *Outbox {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Lease <= 0 {
		o.Lease = 2 * time.Minute
	}
	o.MinBackoff, o.MaxBackoff = backoffBounds(o.MinBackoff, o.MaxBackoff)
	if o.MaxAge <= 0 {
		o.MaxAge = 72 * time.Hour
	}
	if o.Poll <= 0 {
		o.Poll = 5 * time.Second
	}
	if o.Batch <= 0 {
		o.Batch = 100
	}
	return &Outbox{o: o, wake: make(chan struct{}, 1), running: map[int64]bool{}}
}

// Wake makes Run look at the outbox now: new posts were stored.
func (x *Outbox) Wake() {
	select {
	case x.wake <- struct{}{}:
	default:
	}
}

// Run sends posts until ctx ends: at once (the posts a crash or a
// shutdown left), on Wake, and every Poll. It renews the lease on the
// posts it is working on every third of a lease (they may wait in the
// poster for their channel's turn for longer than a lease); a post whose
// outcome could not be recorded is not renewed, and is taken again once
// its lease runs out.
func (x *Outbox) Run(ctx context.Context) {
	poll := time.NewTicker(min(x.o.Poll, x.o.Lease/3))
	defer poll.Stop()
	renewed := time.Now()
	for {
		if time.Since(renewed) >= x.o.Lease/3 {
			if err := x.o.Store.RenewPosts(ctx, x.o.Owner, x.o.Lease, x.held()); err != nil && ctx.Err() == nil {
				x.o.Log.Warn("renew outbox posts", "err", err)
			}
			renewed = time.Now()
		}
		x.take(ctx)
		select {
		case <-ctx.Done():
			return
		case <-x.wake:
		case <-poll.C:
		}
	}
}

// take claims the posts that are due and hands each to its channel.
func (x *Outbox) take(ctx context.Context) {
	x.mu.Lock()
	room := x.o.Batch - len(x.running)
	x.mu.Unlock()
	if room <= 0 {
		return
	}
	posts, err := x.o.Store.ClaimPosts(ctx, x.o.Owner, x.o.Lease, room)
	if err != nil {
		if ctx.Err() == nil {
			x.o.Log.Warn("take outbox posts", "err", err)
		}
		return
	}
	for _, p := range posts {
		x.dispatch(ctx, p)
	}
}

func (x *Outbox) dispatch(ctx context.Context, p storage.Post) {
	log := x.o.Log.With("post", p.ID, "kind", string(p.Kind), "request", p.RequestID)
	x.mu.Lock()
	busy := x.running[p.ID] // its lease ran out while it waited, and it was taken again here
	x.running[p.ID] = true
	x.mu.Unlock()
	if busy {
		return
	}
	channel, err := x.o.Sender.Channel(ctx, p)
	switch {
	case err != nil:
		x.done(p.ID)
		x.failed(p, err)
		return
	case channel == "":
		x.done(p.ID)
		log.Warn("post goes nowhere (no desk channel for the request's town, or no card); dropped")
		x.record(func(ctx context.Context) error { return x.o.Store.DropPost(ctx, p.ID) })
		return
	}
	err = x.o.Poster.Add(channel, Job{Durable: true,
		Run:  func(ctx context.Context) { x.send(ctx, p) },
		Drop: func(error) { x.release(p) }, // shutdown: left for the next start
	})
	if err != nil {
		log.Warn("post not queued; taken again shortly", "reason", err)
		x.done(p.ID)
		x.record(func(ctx context.Context) error {
			return x.o.Store.RetryPost(ctx, p.ID, x.o.Owner, time.Now().Add(x.o.MinBackoff), err.Error())
		})
	}
}

// send makes one attempt at p, in its channel's turn, and records the
// outcome.
func (x *Outbox) send(ctx context.Context, p storage.Post) {
	defer x.Wake() // the next post of its queue is due, or this one later
	defer x.done(p.ID)
	var cur storage.Post
	if err := x.record(func(rctx context.Context) (err error) {
		cur, err = x.o.Store.StartPost(rctx, p.ID, x.o.Owner)
		return err
	}); err != nil {
		return // not ours any more: another instance took it over
	}
	card, err := x.o.Sender.Send(ctx, cur)
	if err == nil {
		if ferr := x.record(func(rctx context.Context) error { return x.o.Store.FinishPost(rctx, p.ID, x.o.Owner, card) }); ferr != nil {
			// Made but not recorded: the lease runs out, and the next
			// attempt finds the message instead of making it again.
			x.o.Log.Error("post made but not recorded", "post", p.ID, "err", ferr)
		}
		return
	}
	if ctx.Err() != nil {
		x.release(p) // shutdown ran out of time: the next start tries again
		return
	}
	x.failed(cur, err)
}

// failed records a failed attempt at p: given up when the platform
// refuses it for good (Sender.Refused) or once p is MaxAge old; else
// retried after the wait the platform asked for, or after a backoff
// doubling with each attempt.
func (x *Outbox) failed(p storage.Post, err error) {
	log := x.o.Log.With("post", p.ID, "kind", string(p.Kind), "request", p.RequestID, "channel", p.Channel, "attempts", p.Attempts)
	if x.o.Sender.Refused(err) {
		log.Error("post given up: the platform refuses it", "err", err)
		x.record(func(ctx context.Context) error { return x.o.Store.DropPost(ctx, p.ID) })
		return
	}
	if time.Since(p.CreatedAt) > x.o.MaxAge {
		log.Error("post given up: failing for too long", "age", time.Since(p.CreatedAt).Round(time.Minute).String(), "err", err)
		x.record(func(ctx context.Context) error { return x.o.Store.DropPost(ctx, p.ID) })
		return
	}
	wait := x.o.MinBackoff
	for i := 1; i < p.Attempts && wait < x.o.MaxBackoff; i++ {
		wait = nextBackoff(wait, x.o.MaxBackoff)
	}
	wait = min(wait, x.o.MaxBackoff)
	if after, ok := x.o.Sender.RetryAfter(err); ok {
		wait = max(after, time.Second)
	}
	log.Warn("post failed; will retry", "retry_in", wait.String(), "err", err)
	x.record(func(ctx context.Context) error {
		return x.o.Store.RetryPost(ctx, p.ID, x.o.Owner, time.Now().Add(wait), towndesk.MaskText(err.Error()))
	})
	time.AfterFunc(wait, x.Wake)
}

// backoffBounds returns the bounds of the wait before a failed call is
// tried again, lo and hi, or their defaults (2 s and 5 minutes) where not
// set.
func backoffBounds(lo, hi time.Duration) (time.Duration, time.Duration) {
	if lo <= 0 {
		lo = 2 * time.Second
	}
	if hi <= 0 {
		hi = 5 * time.Minute
	}
	return lo, hi
}

// nextBackoff returns the wait after one that lasted w and failed again:
// twice as long, up to hi.
func nextBackoff(w, hi time.Duration) time.Duration { return min(w*2, hi) }

// release gives p back untouched, for the next start or another instance.
func (x *Outbox) release(p storage.Post) {
	x.done(p.ID)
	x.record(func(ctx context.Context) error { return x.o.Store.ReleasePosts(ctx, x.o.Owner, p.ID) })
}

func (x *Outbox) done(id int64) {
	x.mu.Lock()
	delete(x.running, id)
	x.mu.Unlock()
}

// record writes an outcome, also when the caller's context has ended (a
// shutdown must still record what it did), within 5 s; failures are
// logged.
func (x *Outbox) record(write func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := write(ctx)
	if err != nil && towndesk.ErrorCode(err) != towndesk.ENOTFOUND {
		x.o.Log.Error("record outbox outcome", "err", fmt.Sprint(err))
	}
	return err
}

// held returns the posts being worked on (handed to the poster and not
// done), never nil.
func (x *Outbox) held() []int64 {
	x.mu.Lock()
	defer x.mu.Unlock()
	ids := make([]int64, 0, len(x.running))
	for id := range x.running {
		ids = append(ids, id)
	}
	return ids
}
