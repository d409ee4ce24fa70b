// Package testclock is a clock that tests set and move, for the Now
// functions towndesk's packages take. It is imported by tests only.
package testclock

import (
	"sync"
	"time"

	"github.com/towndesk/towndesk"
)

// Clock is a clock a test sets; its Now is safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the time the clock was set to.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// At sets the clock to a whole hour of a day (2026-02-13) in China. It
// panics on a malformed day: that is a mistake in the test.
func (c *Clock) At(day string, hour int) {
	t, err := time.ParseInLocation("2006-01-02", day, towndesk.ChinaTime)
	if err != nil {
		panic(err)
	}
	c.Set(t.Add(time.Duration(hour) * time.Hour))
}

// Set sets the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Add moves the clock on by d.
func (c *Clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
