package bot

import (
	"context"
	"sync"
)

// pool runs background jobs on a fixed number of workers with a bounded
// queue, so that a burst of Slack deliveries cannot start unbounded work,
// and so that shutdown can wait for what was accepted.
type pool struct {
	mu     sync.Mutex
	closed bool
	jobs   chan func(context.Context)
	wg     sync.WaitGroup
	ctx    context.Context // jobs' context: cancelled only when shutdown runs out of time
	cancel context.CancelFunc
}

func newPool(workers, queue int) *pool {
	ctx, cancel := context.WithCancel(context.Background())
	p := &pool{jobs: make(chan func(context.Context), queue), ctx: ctx, cancel: cancel}
	for i := 0; i < workers; i++ {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for job := range p.jobs {
				job(p.ctx)
			}
		}()
	}
	return p
}

// submit queues a job; it returns false, without blocking, when the queue
// is full or the pool is shutting down.
func (p *pool) submit(job func(context.Context)) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	select {
	case p.jobs <- job:
		return true
	default:
		return false
	}
}

// close stops taking jobs and waits for the queued and running ones to
// finish. If ctx ends first, the jobs' context is cancelled (so that they
// stop waiting on Slack), and close returns ctx's error once they return.
func (p *pool) close(ctx context.Context) error {
	p.mu.Lock()
	if !p.closed {
		p.closed = true
		close(p.jobs)
	}
	p.mu.Unlock()
	done := make(chan struct{})
	go func() { p.wg.Wait(); close(done) }()
	select {
	case <-done:
		p.cancel()
		return nil
	case <-ctx.Done():
		p.cancel()
		<-done
		return ctx.Err()
	}
}
