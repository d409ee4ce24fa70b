package deliver

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrClosed is what a post handed over after shutdown began gets.
var ErrClosed = errors.New("deliver: closing, post not sent")

// ErrFull is what a post gets when too many wait already.
var ErrFull = errors.New("deliver: too many posts waiting")

// Job is one message (or message update) for a channel.
type Job struct {
	// Durable is true when the job's content is stored and will be posted
	// by the next start if not now: shutdown leaves it rather than wait
	// for the channel's turn.
	Durable bool
	// Run makes the call(s) and handles the outcome.
	Run func(ctx context.Context)
	// Drop, if set, is called instead of Run when the job will not run
	// (shutdown).
	Drop func(err error)
}

// Poster sends messages to channels, each in the channel's own turn:
// Slack takes about one message per second per channel, with short
// bursts. Every channel with messages waiting has a goroutine of its own
// that sends them in order, after a burst one interval apart (a GCRA token
// bucket per channel). A worker that hands a message over is free at once,
// and a busy channel's wait holds nobody else.
type Poster struct {
	interval time.Duration
	burst    int
	limit    int // messages waiting, all channels
	now      func() time.Time

	mu      sync.Mutex
	chans   map[string][]Job     // waiting messages of channels that have a goroutine
	tat     map[string]time.Time // theoretical arrival time of each channel's next post
	waiting int
	closing bool
	stop    chan struct{} // closed when shutdown begins

	wg     sync.WaitGroup
	ctx    context.Context // cancelled when shutdown runs out of time
	cancel context.CancelFunc
}

// NewPoster returns a poster that spaces a channel's messages interval
// apart after a burst of burst (a negative interval does not space them),
// with at most limit messages waiting in all.
func NewPoster(interval time.Duration, burst, limit int) *Poster {
	ctx, cancel := context.WithCancel(context.Background())
	return &Poster{interval: interval, burst: max(1, burst), limit: limit, now: time.Now,
		chans: map[string][]Job{}, tat: map[string]time.Time{}, stop: make(chan struct{}), ctx: ctx, cancel: cancel}
}

// Add queues job for channel. It returns ErrClosed or ErrFull, and does
// not call the job's Drop, when the poster is closing or too many
// messages wait.
func (p *Poster) Add(channel string, job Job) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.closing:
		return ErrClosed
	case p.waiting >= p.limit:
		return ErrFull
	}
	jobs, running := p.chans[channel]
	p.chans[channel] = append(jobs, job)
	p.waiting++
	if !running {
		p.wg.Add(1)
		go p.drain(channel)
	}
	return nil
}

// Pending returns how many messages wait for channel.
func (p *Poster) Pending(channel string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.chans[channel])
}

// drain sends channel's messages until none is left, then ends.
func (p *Poster) drain(channel string) {
	defer p.wg.Done()
	for {
		job, ok := p.pop(channel)
		if !ok {
			return
		}
		if err := p.turn(channel, job.Durable); err != nil {
			if job.Drop != nil {
				job.Drop(err)
			}
			continue
		}
		job.Run(p.ctx)
	}
}

// pop takes channel's next message, skipping (dropping) those shutdown
// leaves for the next start; ok is false when none is left. Drop runs
// outside the lock: an outbox post's Drop writes to the database.
func (p *Poster) pop(channel string) (Job, bool) {
	for {
		job, ok, drop := p.next(channel)
		if !drop {
			return job, ok
		}
		if job.Drop != nil {
			job.Drop(ErrClosed)
		}
	}
}

// next takes channel's next message off its queue; drop is true when
// shutdown leaves it for the next start.
func (p *Poster) next(channel string) (job Job, ok, drop bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	jobs := p.chans[channel]
	if len(jobs) == 0 {
		delete(p.chans, channel)
		return Job{}, false, false
	}
	job = jobs[0]
	jobs[0] = Job{}
	p.chans[channel] = jobs[1:]
	p.waiting--
	return job, true, (p.closing && job.Durable) || p.ctx.Err() != nil
}

// turn waits for channel's next turn and takes it. It returns an error
// when shutdown ran out of time, or when shutdown began and the message
// is durable (it is posted by the next start instead).
func (p *Poster) turn(channel string, durable bool) error {
	if p.interval > 0 {
		p.mu.Lock()
		now := p.now()
		tat := p.tat[channel]
		if tat.Before(now) {
			tat = now
		}
		at := tat.Add(-time.Duration(p.burst-1) * p.interval)
		p.mu.Unlock()
		if d := at.Sub(now); d > 0 {
			t := time.NewTimer(d)
			stop := p.stop
			if !durable {
				stop = nil // a message only kept here waits for its turn until time is up
			}
			select {
			case <-t.C:
			case <-stop:
				t.Stop()
				return ErrClosed
			case <-p.ctx.Done():
				t.Stop()
				return p.ctx.Err()
			}
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ctx.Err() != nil {
		return p.ctx.Err()
	}
	if p.interval > 0 {
		now := p.now()
		tat := p.tat[channel]
		if tat.Before(now) {
			tat = now
		}
		p.tat[channel] = tat.Add(p.interval)
		if len(p.tat) > 10000 {
			p.forget(now)
		}
	}
	return nil
}

// forget drops the channels whose bucket is full again.
func (p *Poster) forget(now time.Time) {
	for ch, tat := range p.tat {
		if _, busy := p.chans[ch]; !busy && tat.Before(now) {
			delete(p.tat, ch)
		}
	}
}

// Close stops taking messages. Durable messages still waiting are left
// (the next start posts them); the others are sent in their turns until
// ctx ends, when the calls in flight are cancelled and the rest dropped.
// It returns ctx's error if time ran out.
func (p *Poster) Close(ctx context.Context) error {
	p.mu.Lock()
	if !p.closing {
		p.closing = true
		close(p.stop)
	}
	p.mu.Unlock()
	return drain(ctx, &p.wg, p.cancel)
}
