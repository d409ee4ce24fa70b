package qa

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/towndesk/towndesk"
)

// A question's cost is bounded twice: its length is checked
// (towndesk.CheckQuestion) before anything reads it, and the matcher's
// work on it runs under a deadline, all of its searches together (the
// rules' reading, and the second reading and the re-ranking a language
// model may ask for). The model's own calls have their own timeout
// (llm.Config) and are not counted.

// DefaultMatchTimeout is the matcher's time for one question when
// Lists.MatchTimeout is not set.
const DefaultMatchTimeout = time.Second

// errMatchTimeout marks the error of a question whose matching ran out of
// time.
var errMatchTimeout = errors.New("matcher deadline exceeded")

// budget is what is left of one question's matcher time.
type budget struct {
	total, left time.Duration
}

// ready loads the sample lists into an empty data directory and brings
// the index and the matcher's view of the lists up to date, before a
// question's clock starts: after an import that is indexing the new lists
// (seconds for a large one), not the question's work, and cutting it
// short would only leave it to the next question. (kb.Matter of nothing
// does exactly that and nothing more.) It returns the stopped error when
// ctx ends.
func (l *Lists) ready(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return stopped(err)
	}
	if _, err := l.LoadSample(ctx); err != nil {
		return orStopped(ctx, err)
	}
	if l.kb == nil {
		return towndesk.Errorf(towndesk.EINTERNAL, "lists opened without a search index")
	}
	_, err := l.kb.Matter(ctx, "")
	return orStopped(ctx, err)
}

// orStopped returns err, or the stopped error if ctx ended.
func orStopped(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil {
		return stopped(ctx.Err())
	}
	return err
}

func (l *Lists) newBudget() *budget {
	d := l.MatchTimeout
	if d <= 0 {
		d = DefaultMatchTimeout
	}
	return &budget{total: d, left: d}
}

// match runs f, a call of the matcher, with what is left of b as its
// deadline, and takes the time it took off b. It returns the timeout
// error (EINVALID: the asker is told to shorten the question) when time
// ran out, and the stopped error when ctx itself ended (a shutdown, or
// the command line's Ctrl-C); else f's result.
func match[T any](ctx context.Context, b *budget, f func(context.Context) (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, stopped(err)
	}
	if b.left <= 0 {
		return zero, b.timeout()
	}
	start := time.Now()
	c, cancel := context.WithTimeout(ctx, b.left)
	defer cancel()
	v, err := f(c)
	b.left -= time.Since(start)
	switch {
	case err == nil:
		return v, nil
	case ctx.Err() != nil:
		return zero, stopped(ctx.Err())
	case c.Err() != nil:
		// The budget ran out, whatever the clock read around the call
		// (a busy machine may pause between starting the timer and
		// reading the clock).
		b.left = 0
		return zero, b.timeout()
	}
	return zero, err
}

func (b *budget) timeout() error {
	return &towndesk.Error{Code: towndesk.EINVALID, Field: "question", Err: errMatchTimeout,
		Message: fmt.Sprintf("这个问题没能在 %s内查完（问题越长、一次问的事越多，查找越久）。请写短一些，一次只问一件事，例如“邦均镇有人烧秸秆归谁管？”；如果问题本来就短，请稍后再试。", seconds(b.total))}
}

// stopped is the error of a question whose caller stopped waiting.
func stopped(err error) error {
	return &towndesk.Error{Code: towndesk.EINVALID, Message: "已停止（收到停止信号），问题没有答完。", Err: err}
}

// IsMatchTimeout reports whether err is a question's matcher timeout.
func IsMatchTimeout(err error) bool { return errors.Is(err, errMatchTimeout) }

func seconds(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%d 毫秒", d.Milliseconds())
	case d%time.Second == 0:
		return fmt.Sprintf("%d 秒", d/time.Second)
	}
	return fmt.Sprintf("%.1f 秒", d.Seconds())
}
