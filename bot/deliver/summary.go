package deliver

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/towndesk/towndesk/config"
	"github.com/towndesk/towndesk/handlers/summary"
	"github.com/towndesk/towndesk/storage"
)

// Weekly summaries are posted by a Scheduler, apart from the bot's work
// pool, so a slow or failing chat platform never holds up answers. The
// Scheduler decides when and makes each delivery happen exactly once; a
// SummaryPoster (the bot, over Slack) builds and posts.
//
// Exactly once per (channel, week): before posting, the scheduler claims
// the slot in SQLite (storage.ClaimSummary) with a lease; after Slack
// accepted the message it records it as posted with its ts. Another
// instance, or a restart, finds the slot posted and does nothing, or
// finds it claimed and waits for the lease. If the process dies between
// claiming and recording, the lease runs out and whoever starts or waits
// next takes the slot over: a crash causes a retry, never a silent loss.
// Slack could have accepted the message just before the crash, so a
// take-over (any attempt after the first) first looks for the message in
// the channel's recent history (it carries metadata naming the week) and
// records it instead of posting again; if the history cannot be read (the
// app lacks channels:history), it posts, preferring a rare duplicate to a
// lost summary.

// SummaryEntry is one configured summary, with its scope resolved.
type SummaryEntry struct {
	// Name names the entry in errors and logs: "summaries[0]".
	Name     string
	Channel  string
	Schedule string // cron expression (config.ParseSchedule), no time zone
	Location *time.Location
	Scope    summary.Scope
}

// SummaryPoster builds and posts one weekly summary.
type SummaryPoster interface {
	// PostSummary posts e's summary of week, holding claim c, and returns
	// the message's ts. After an earlier attempt (c.Attempts > 1) it first
	// looks for that attempt's message and returns its ts if found.
	PostSummary(ctx context.Context, e SummaryEntry, week summary.Week, c storage.SummaryClaim) (string, error)
}

// SummaryStore keeps the delivery records; *storage.DB is one.
type SummaryStore interface {
	ClaimSummary(ctx context.Context, channel, week, owner string, lease time.Duration) (storage.SummaryClaim, error)
	FinishSummary(ctx context.Context, channel, week, owner, ts string) error
	FailSummary(ctx context.Context, channel, week, owner, problem string) error
	ReleaseSummary(ctx context.Context, channel, week, owner string) error
}

// SchedulerOptions configure a Scheduler.
type SchedulerOptions struct {
	Entries []SummaryEntry
	Poster  SummaryPoster
	Store   SummaryStore
	Logger  *slog.Logger // its handler should mask; nil discards
	// Now is the clock deciding which week is due; nil for time.Now.
	// The cron timer itself runs on real time.
	Now func() time.Time

	// Owner identifies this instance in the delivery records; empty for
	// host, process and a random part.
	Owner string
	// Lease is how long a claim keeps others off (default 10 minutes);
	// it must outlast MaxBackoff plus one call to Slack.
	Lease time.Duration
	// MinBackoff and MaxBackoff bound the wait between failed posts
	// (default 2 s doubling up to 5 minutes).
	MinBackoff, MaxBackoff time.Duration
	// MaxAttempts stops retrying after that many failed posts (0: retry
	// until stopped). The claim is then released for a later run.
	MaxAttempts int
}

// Scheduler posts the configured weekly summaries on their schedules.
type Scheduler struct {
	entries []SummaryEntry
	scheds  []cron.Schedule
	poster  SummaryPoster
	store   SummaryStore
	log     *slog.Logger
	now     func() time.Time
	owner   string
	lease   time.Duration
	minWait time.Duration
	maxWait time.Duration
	maxTry  int

	cron   *cron.Cron
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu    sync.Mutex
	slots map[string]chan struct{} // channel|week being delivered here; closed when done
}

// NewScheduler returns a scheduler for o.Entries. It returns an error
// naming the entry ("summaries[1].schedule: …") for a cron expression or
// time zone that cannot be used, or when a required option is missing.
func NewScheduler(o SchedulerOptions) (*Scheduler, error) {
	if o.Poster == nil || o.Store == nil {
		return nil, errors.New("summary scheduler: missing Poster or Store")
	}
	s := &Scheduler{entries: o.Entries, poster: o.Poster, store: o.Store, log: o.Logger, now: o.Now,
		owner: o.Owner, lease: o.Lease, minWait: o.MinBackoff, maxWait: o.MaxBackoff, maxTry: o.MaxAttempts,
		slots: map[string]chan struct{}{}}
	for _, e := range o.Entries {
		sched, err := ParseSummarySchedule(e)
		if err != nil {
			return nil, err
		}
		s.scheds = append(s.scheds, sched)
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.owner == "" {
		s.owner = InstanceID()
	}
	if s.lease <= 0 {
		s.lease = 10 * time.Minute
	}
	s.minWait, s.maxWait = backoffBounds(s.minWait, s.maxWait)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s, nil
}

// ParseSummarySchedule returns e's schedule in e's time zone. It returns
// an error naming the entry for a bad cron expression (config.ParseSchedule
// says what is wrong) or a missing zone.
func ParseSummarySchedule(e SummaryEntry) (cron.Schedule, error) {
	if e.Location == nil {
		return nil, fmt.Errorf("%s.timezone: missing time zone", e.Name)
	}
	sched, err := config.ParseSchedule(e.Schedule)
	if err != nil {
		return nil, fmt.Errorf("%s.schedule: %v", e.Name, err)
	}
	return zoned{sched, e.Location}, nil
}

// zoned runs a schedule in a time zone of its own.
type zoned struct {
	s   cron.Schedule
	loc *time.Location
}

func (z zoned) Next(t time.Time) time.Time { return z.s.Next(t.In(z.loc)) }

// InstanceID names this process among others sharing a database: host,
// process ID and a random part.
func InstanceID() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
}

// Owner returns the name this instance records its claims under.
func (s *Scheduler) Owner() string { return s.owner }

// Start starts the schedules and, for each entry whose last scheduled time
// in the past 7 days passed without its summary being posted (towndesk
// was down), posts that summary now. It returns at once; posting happens
// in the background.
func (s *Scheduler) Start() {
	s.cron = cron.New()
	now := s.now()
	for i, e := range s.entries {
		s.cron.Schedule(s.scheds[i], cron.FuncJob(func() {
			s.spawn(e, summary.WeekOf(s.now(), e.Location).Prev())
		}))
		if last, ok := lastFire(s.scheds[i], now); ok {
			s.spawn(e, summary.WeekOf(last, e.Location).Prev())
		}
	}
	s.cron.Start()
}

// lastFire returns the latest time in (now-7 days, now] the schedule
// fired at; false if none.
func lastFire(sched cron.Schedule, now time.Time) (time.Time, bool) {
	var last time.Time
	t := now.Add(-7 * 24 * time.Hour)
	for range 20000 {
		n := sched.Next(t)
		if n.IsZero() || n.After(now) {
			break
		}
		last, t = n, n
	}
	return last, !last.IsZero()
}

// Stop stops the schedules and the deliveries in progress (their claims
// are released for the next start or another instance), waiting for them
// until ctx ends.
func (s *Scheduler) Stop(ctx context.Context) error {
	if s.cron != nil {
		<-s.cron.Stop().Done()
	}
	s.cancel()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// spawn delivers e's summary of week in the background, unless this
// instance is delivering it already.
func (s *Scheduler) spawn(e SummaryEntry, week summary.Week) {
	s.mu.Lock()
	_, busy := s.slots[e.Channel+"|"+week.String()]
	if busy || s.ctx.Err() != nil {
		s.mu.Unlock()
		return
	}
	s.wg.Add(1)
	s.mu.Unlock()
	go func() {
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("weekly summary panicked", "entry", e.Name, "panic", fmt.Sprint(p))
			}
			s.wg.Done()
		}()
		s.Deliver(s.ctx, e, week)
	}()
}

// lockSlot makes deliveries of one slot in this instance take turns: they
// share the owner name, so the database claim does not keep them apart.
func (s *Scheduler) lockSlot(ctx context.Context, key string) (unlock func(), err error) {
	for {
		s.mu.Lock()
		busy, ok := s.slots[key]
		if !ok {
			done := make(chan struct{})
			s.slots[key] = done
			s.mu.Unlock()
			return func() {
				s.mu.Lock()
				delete(s.slots, key)
				close(done)
				s.mu.Unlock()
			}, nil
		}
		s.mu.Unlock()
		select {
		case <-busy:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Delivery is the outcome of Deliver.
type Delivery struct {
	// Posted is true if this call posted the summary (or found its own
	// earlier post in the channel); false if it had been posted before.
	Posted bool
	TS     string // the message's ts
	// PostedAt is when an earlier post was recorded (Posted false).
	PostedAt time.Time
}

// Deliver posts e's summary of week unless it was posted already,
// claiming the slot first and retrying failed posts with backoff (up to
// MaxAttempts, if set). It returns the context's error if ctx ends first
// (the claim is released), or the last posting error after MaxAttempts.
func (s *Scheduler) Deliver(ctx context.Context, e SummaryEntry, week summary.Week) (Delivery, error) {
	wk := week.String()
	unlock, err := s.lockSlot(ctx, e.Channel+"|"+wk)
	if err != nil {
		return Delivery{}, err
	}
	defer unlock()
	log := s.log.With("channel", e.Channel, "week", wk, "entry", e.Name)
	wait := s.minWait
	failures, held := 0, false
	for {
		c, err := s.store.ClaimSummary(ctx, e.Channel, wk, s.owner, s.lease)
		if err != nil {
			if ctx.Err() != nil {
				return Delivery{}, ctx.Err()
			}
			log.Error("weekly summary: cannot claim", "err", err)
			if !sleep(ctx, wait) {
				return Delivery{}, ctx.Err()
			}
			wait = nextBackoff(wait, s.maxWait)
			continue
		}
		switch c.State {
		case storage.ClaimPosted:
			return Delivery{TS: c.TS, PostedAt: c.PostedAt}, nil
		case storage.ClaimHeld:
			// Look again when the lease runs out, or sooner: the holder
			// is usually done in seconds.
			if !held {
				log.Info("weekly summary is being posted by another instance; waiting", "owner", c.Owner, "lease_until", c.LeaseUntil)
				held = true
			}
			d := min(c.LeaseUntil.Sub(s.now())+100*time.Millisecond, 5*s.minWait)
			if !sleep(ctx, max(d, 10*time.Millisecond)) {
				return Delivery{}, ctx.Err()
			}
			continue
		}
		ts, err := s.poster.PostSummary(ctx, e, week, c)
		if err == nil {
			if ferr := s.store.FinishSummary(context.WithoutCancel(ctx), e.Channel, wk, s.owner, ts); ferr != nil {
				// Posted but not recorded: the lease runs out and the
				// next taker finds the message in the history.
				log.Error("weekly summary posted but not recorded", "ts", ts, "err", ferr)
			}
			log.Info("weekly summary posted", "ts", ts, "attempts", c.Attempts)
			return Delivery{Posted: true, TS: ts}, nil
		}
		if ctx.Err() != nil {
			s.release(ctx, e.Channel, wk)
			return Delivery{}, ctx.Err()
		}
		failures++
		s.store.FailSummary(context.WithoutCancel(ctx), e.Channel, wk, s.owner, err.Error())
		if s.maxTry > 0 && failures >= s.maxTry {
			log.Error("weekly summary not posted; giving up for now", "failures", failures, "err", err)
			s.release(ctx, e.Channel, wk)
			return Delivery{}, err
		}
		log.Warn("weekly summary post failed; will retry", "failures", failures, "retry_in", wait.String(), "err", err)
		if !sleep(ctx, wait) {
			s.release(ctx, e.Channel, wk)
			return Delivery{}, ctx.Err()
		}
		wait = nextBackoff(wait, s.maxWait)
	}
}

func (s *Scheduler) release(ctx context.Context, channel, week string) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := s.store.ReleaseSummary(rctx, channel, week, s.owner); err != nil {
		s.log.Error("weekly summary: cannot release claim", "channel", channel, "week", week, "err", err)
	}
}

// sleep waits d or until ctx ends; false if ctx ended.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
