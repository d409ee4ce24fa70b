package deliver

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Keys records idempotency keys and the platform's event IDs;
// *storage.DB is one.
type Keys interface {
	ClaimKey(ctx context.Context, key string) (result string, fresh bool, err error)
	FinishKey(ctx context.Context, key, result string) error
	ReleaseKey(ctx context.Context, key string) error
	PruneChat(ctx context.Context, before time.Time) error
}

// Once runs work under an idempotency key: chat platforms deliver a
// click or a form at least once, and a person may click twice, but the
// business action happens once. done is false, with a nil error, when the
// key was claimed before (the first is at work or done; a claim whose work
// died expires, see storage.ClaimKey). When work fails, the key is given
// back so that a retry may do it, and work's error is returned.
func Once(ctx context.Context, keys Keys, key string, work func() (string, error)) (done bool, err error) {
	_, fresh, err := keys.ClaimKey(ctx, key)
	if err != nil || !fresh {
		return false, err
	}
	// Recording the outcome must survive the request's context: Slack may
	// hang up after 3 s, and a claim left open would block a retry.
	record, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	out, err := work()
	if err != nil {
		if rerr := keys.ReleaseKey(record, key); rerr != nil {
			return false, fmt.Errorf("%w (and giving key %s back failed: %v)", err, key, rerr)
		}
		return false, err
	}
	return true, keys.FinishKey(record, key, out)
}

// Prune forgets event IDs and idempotency keys older than a week, at
// once and then daily, until ctx ends: platforms stop redelivering after
// minutes, so a week is plenty.
func Prune(ctx context.Context, keys Keys, now func() time.Time, log *slog.Logger) {
	t := time.NewTicker(24 * time.Hour)
	defer t.Stop()
	for {
		if err := keys.PruneChat(ctx, now().Add(-7*24*time.Hour)); err != nil && ctx.Err() == nil {
			log.Warn("prune chat records", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
