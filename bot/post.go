package bot

import (
	"context"
	"errors"
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
