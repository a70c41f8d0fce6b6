package bot

import (
	"context"
	"log/slog"
	"sync"
)

// completer marks fired timers in batches by group commit: a worker hands
// over its fired timer and is free at once; one flush at a time marks
// every timer handed over so far in one statement, and the timers handed
// over meanwhile go in the next. A burst so costs a statement per batch
// instead of a transaction per timer, and a lone timer is marked at once.
//
// A timer not yet marked is still claimed, under its lease, so nobody else
// fires it meanwhile; a replica that dies before the flush leaves it to
// fire again after the lease, as one that dies mid-fire does.
type completer struct {
	store TimerStore
	clock Clock
	log   *slog.Logger
	spawn func(func()) // runs a flush in the background, where Stop waits for it
	mu    sync.Mutex
	queue []completion
	busy  bool // a flush is running
}

// completion is one fired timer waiting to be marked; then runs once it
// was (or the attempt failed: the flush logs that), and done is closed
// after.
type completion struct {
	timer Timer
	then  func()
	done  chan struct{}
}

// complete queues the fired timer t to be marked, starting a flush unless
// one is running; then runs once it is marked. The channel returned is
// closed after then has run.
func (c *completer) complete(ctx context.Context, t Timer, then func()) <-chan struct{} {
	done := make(chan struct{})
	c.mu.Lock()
	c.queue = append(c.queue, completion{timer: t, then: then, done: done})
	start := !c.busy
	c.busy = true
	c.mu.Unlock()
	if start {
		c.spawn(func() { c.flush(ctx) })
	}
	return done
}

// flush marks the queued timers, batch after batch, until none is left.
func (c *completer) flush(ctx context.Context) {
	for {
		c.mu.Lock()
		batch := c.queue
		c.queue = nil
		if len(batch) == 0 {
			c.busy = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		fired := make([]Timer, len(batch))
		for i, b := range batch {
			fired[i] = b.timer
		}
		if err := c.store.CompleteTimers(ctx, c.clock.Now(), fired...); err != nil {
			c.log.Error("cannot mark fired timers; they will fire again after their lease", "timers", len(fired), "err", err)
		}
		for _, b := range batch {
			b.then()
			close(b.done)
		}
	}
}
