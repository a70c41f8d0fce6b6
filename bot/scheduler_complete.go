package bot

import (
	"context"
	"sync"
)

// completer marks fired timers in batches by group commit: while one
// worker's statement completes the timers handed over so far, the workers
// finishing meanwhile queue theirs, and the next statement takes them all.
// A burst so costs a transaction per batch instead of one per timer, while
// a lone timer is completed at once, as before. Each worker still waits
// for its own timer's completion: the timer a handler re-armed under the
// same key must be stored only after the fired one is marked.
type completer struct {
	store TimerStore
	clock Clock
	mu    sync.Mutex
	queue []*completion
	busy  bool // a worker is completing a batch
}

// completion is one timer waiting to be marked fired.
type completion struct {
	id   int64
	err  error
	done chan bool // true: lead the next batch; false: err is the outcome
}

// complete marks the timer id fired, alone or with others finishing now.
func (c *completer) complete(ctx context.Context, id int64) error {
	me := &completion{id: id, done: make(chan bool, 1)}
	c.mu.Lock()
	c.queue = append(c.queue, me)
	lead := !c.busy
	c.busy = true
	c.mu.Unlock()
	if !lead && !<-me.done {
		return me.err
	}
	c.lead(ctx)
	return me.err
}

// lead completes every queued timer in one call, then hands the lead to
// the first timer queued meanwhile, if any, so that no worker keeps
// completing others' timers for long.
func (c *completer) lead(ctx context.Context) {
	c.mu.Lock()
	batch := c.queue
	c.queue = nil
	c.mu.Unlock()
	ids := make([]int64, len(batch))
	for i, b := range batch {
		ids[i] = b.id
	}
	err := c.store.CompleteTimers(ctx, c.clock.Now(), ids...)
	for _, b := range batch {
		b.err = err
	}
	c.mu.Lock()
	var next *completion
	if len(c.queue) > 0 {
		next = c.queue[0]
	} else {
		c.busy = false
	}
	c.mu.Unlock()
	for _, b := range batch {
		b.done <- false
	}
	if next != nil {
		next.done <- true
	}
}
