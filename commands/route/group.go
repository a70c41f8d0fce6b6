package route

import (
	"context"
	"errors"
	"sync"
)

// group runs calls that arrive together as one, by group commit: a call
// that finds the group idle runs at once, alone; calls arriving while a run
// is under way wait and then go together in the next run, led by the first
// of them. A lone call so costs what it did before, and a burst of N
// concurrent calls a few runs instead of N.
//
// A waiting call does not watch its own context: it waits for one run,
// which is bounded by the leader's.
type group[In, Out any] struct {
	// run does the calls ins together and returns their results in the
	// same order; an error fails every call of the run.
	run   func(ctx context.Context, ins []In) ([]Out, error)
	mu    sync.Mutex
	queue []*groupCall[In, Out]
	busy  bool // a run is under way
}

// groupCall is one call waiting in a group. wake is closed once, either to
// give it its result or to make it lead the next run (lead set).
type groupCall[In, Out any] struct {
	in   In
	out  Out
	err  error
	lead bool
	wake chan struct{}
}

// errGroupPanicked fails the calls of a run that panicked.
var errGroupPanicked = errors.New("a grouped call panicked")

// do runs in with whatever calls arrive meanwhile and returns its result.
func (g *group[In, Out]) do(ctx context.Context, in In) (Out, error) {
	c := &groupCall[In, Out]{in: in, wake: make(chan struct{})}
	g.mu.Lock()
	g.queue = append(g.queue, c)
	lead := !g.busy
	g.busy = true
	g.mu.Unlock()
	if !lead {
		<-c.wake
		lead = c.lead
	}
	if lead {
		g.flush(ctx, c)
	}
	return c.out, c.err
}

// flush runs every queued call (leader among them) as one, hands the lead
// to the first call queued meanwhile, or leaves the group idle, and wakes
// the calls it ran. It does so even when run panics, so nobody waits
// forever; the panic goes on to the leader's caller.
func (g *group[In, Out]) flush(ctx context.Context, leader *groupCall[In, Out]) {
	g.mu.Lock()
	batch := g.queue
	g.queue = nil
	g.mu.Unlock()
	done := false
	defer func() {
		for _, c := range batch {
			if !done {
				c.err = errGroupPanicked
			}
			if c != leader {
				close(c.wake)
			}
		}
		g.handOver()
	}()
	ins := make([]In, len(batch))
	for i, c := range batch {
		ins[i] = c.in
	}
	outs, err := g.run(ctx, ins)
	for i, c := range batch {
		if err != nil {
			c.err = err
		} else {
			c.out = outs[i]
		}
	}
	done = true
}

// handOver makes the first call queued during a run lead the next one, or
// leaves the group idle when none came.
func (g *group[In, Out]) handOver() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.queue) == 0 {
		g.busy = false
		return
	}
	next := g.queue[0]
	next.lead = true
	close(next.wake)
}
