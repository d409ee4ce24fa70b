package deliver

import (
	"context"
	"sync"
)

// Pool runs background jobs on a fixed number of workers with a bounded
// queue, so that a burst of Slack deliveries cannot start unbounded work,
// and so that shutdown can wait for what was accepted.
//
// Jobs are queued by key (a channel's questions share one; a person's
// commands and clicks another) and the workers take the keys in turn, so
// that a flood under one key delays another key's job by at most one job
// per worker, not by the whole flood. No key may hold more than half the
// queue, so a flood cannot shut others out either.
type Pool struct {
	mu     sync.Mutex
	wake   *sync.Cond
	closed bool
	queues map[string][]func(context.Context) // queued jobs by key
	turns  []string                           // keys with queued jobs, in turn order
	queued int
	max    int // queued jobs, all keys
	perKey int // queued jobs, one key

	wg     sync.WaitGroup
	ctx    context.Context // jobs' context: cancelled only when shutdown runs out of time
	cancel context.CancelFunc
}

// NewPool starts a pool of workers taking jobs from a queue of queue
// jobs; Close stops it.
func NewPool(workers, queue int) *Pool {
	ctx, cancel := context.WithCancel(context.Background())
	p := &Pool{queues: map[string][]func(context.Context){}, max: queue, perKey: max(1, queue/2), ctx: ctx, cancel: cancel}
	p.wake = sync.NewCond(&p.mu)
	for i := 0; i < workers; i++ {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for {
				job, ok := p.next()
				if !ok {
					return
				}
				job(p.ctx)
			}
		}()
	}
	return p
}

// next waits for a job and returns it: the first of the key whose turn it
// is. ok is false once the pool is closed and empty.
func (p *Pool) next() (job func(context.Context), ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.turns) == 0 {
		if p.closed {
			return nil, false
		}
		p.wake.Wait()
	}
	key := p.turns[0]
	p.turns[0] = ""
	p.turns = p.turns[1:]
	q := p.queues[key]
	job = q[0]
	q[0] = nil
	if q = q[1:]; len(q) > 0 {
		p.queues[key] = q
		p.turns = append(p.turns, key)
	} else {
		delete(p.queues, key)
	}
	p.queued--
	return job, true
}

// Room reports whether a job under key would be taken now.
func (p *Pool) Room(key string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return !p.closed && p.queued < p.max && len(p.queues[key]) < p.perKey
}

// Free returns how many more jobs the queue takes.
func (p *Pool) Free() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return 0
	}
	return p.max - p.queued
}

// Submit queues a job under key; it returns false, without blocking, when
// the queue or the key's share of it is full, or the pool is shutting down.
func (p *Pool) Submit(key string, job func(context.Context)) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || p.queued >= p.max || len(p.queues[key]) >= p.perKey {
		return false
	}
	if len(p.queues[key]) == 0 {
		p.turns = append(p.turns, key)
	}
	p.queues[key] = append(p.queues[key], job)
	p.queued++
	p.wake.Signal()
	return true
}

// Close stops taking jobs and waits for the queued and running ones to
// finish. If ctx ends first, the jobs' context is cancelled (so that they
// stop waiting on the chat platform), and Close returns ctx's error once
// they return.
func (p *Pool) Close(ctx context.Context) error {
	p.mu.Lock()
	p.closed = true
	p.wake.Broadcast()
	p.mu.Unlock()
	return drain(ctx, &p.wg, p.cancel)
}

// drain waits for wg's goroutines to return, then calls cancel (which
// releases their context). If ctx ends first, it calls cancel at once, so
// that they stop waiting on the chat platform, and returns ctx's error
// once they have returned.
func drain(ctx context.Context, wg *sync.WaitGroup, cancel context.CancelFunc) error {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
		cancel()
		return nil
	case <-ctx.Done():
		cancel()
		<-done
		return ctx.Err()
	}
}
