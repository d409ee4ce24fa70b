package bot

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/slack-go/slack"
)

// maxRateRetries bounds how often one call is retried after 429s.
const maxRateRetries = 5

// withRetry runs call, and when Slack answers 429 waits the Retry-After
// it gave and runs it again (up to maxRateRetries times, and never past
// ctx).
func withRetry(ctx context.Context, call func() error) error {
	for attempt := 0; ; attempt++ {
		err := call()
		var rl *slack.RateLimitedError
		if !errors.As(err, &rl) || attempt == maxRateRetries {
			return err
		}
		wait := rl.RetryAfter
		if wait <= 0 {
			wait = time.Second
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

// channelQueue spaces posts to each channel: Slack allows about one
// message per second per channel, with short bursts. It is a GCRA token
// bucket per channel: burst posts may go at once, then one per interval,
// each waiting for its turn in order.
type channelQueue struct {
	interval time.Duration
	burst    int
	now      func() time.Time

	mu  sync.Mutex
	tat map[string]time.Time // theoretical arrival time of the next post
}

func newChannelQueue(interval time.Duration, burst int) *channelQueue {
	if burst < 1 {
		burst = 1
	}
	return &channelQueue{interval: interval, burst: burst, now: time.Now, tat: map[string]time.Time{}}
}

// wait blocks until channel may take another message, or ctx ends.
func (q *channelQueue) wait(ctx context.Context, channel string) error {
	if q.interval <= 0 {
		return nil
	}
	q.mu.Lock()
	now := q.now()
	tat := q.tat[channel]
	if tat.Before(now) {
		tat = now
	}
	at := tat.Add(-time.Duration(q.burst-1) * q.interval)
	if at.Before(now) {
		at = now
	}
	q.tat[channel] = tat.Add(q.interval)
	if len(q.tat) > 10000 {
		q.forget(now)
	}
	q.mu.Unlock()
	d := at.Sub(now)
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// forget drops the channels whose bucket is full again.
func (q *channelQueue) forget(now time.Time) {
	for ch, tat := range q.tat {
		if tat.Before(now) {
			delete(q.tat, ch)
		}
	}
}
