package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Group runs calls that arrive together as one, by group commit: a call
// that finds the group idle runs at once, alone; calls arriving while a run
// is under way wait and then go together in the next run, led by the first
// of them. A lone call so costs what it did before, and a burst of N
// concurrent calls a few runs instead of N (one statement or transaction
// for many callers).
//
// A waiting call does not watch its own context: it waits for one run,
// which is bounded by the leader's. By default one run goes at a time;
// SetRuns lets a backend that writes in parallel (PostgreSQL) run several,
// each taking the calls queued when it starts.
type Group[In, Out any] struct {
	// run does the calls ins together and returns their results in the
	// same order; an error fails every call of the run.
	run   func(ctx context.Context, ins []In) ([]Out, error)
	limit int // calls per run at most; 0 = no limit
	mu    sync.Mutex
	queue []*groupCall[In, Out]
	busy  int // runs under way
	runs  int // runs at once at most
}

// NewGroup returns a group whose runs are run, each of at most limit calls
// (0: no limit).
func NewGroup[In, Out any](limit int, run func(ctx context.Context, ins []In) ([]Out, error)) *Group[In, Out] {
	return &Group[In, Out]{run: run, limit: limit, runs: 1}
}

// groupCall is one call waiting in a group. wake is closed once, either to
// give it its result or to make it lead the next run (lead set).
type groupCall[In, Out any] struct {
	in    In
	out   Out
	err   error
	lead  bool
	batch []*groupCall[In, Out] // the calls a leader runs, itself first
	wake  chan struct{}
}

// ErrGroupPanicked fails the calls of a run that panicked.
var ErrGroupPanicked = errors.New("a grouped call panicked")

// Do runs in with whatever calls arrive meanwhile and returns its result.
func (g *Group[In, Out]) Do(ctx context.Context, in In) (Out, error) {
	c := &groupCall[In, Out]{in: in, wake: make(chan struct{})}
	g.mu.Lock()
	// Calls queue only while every run slot is taken, so a free slot
	// means an empty queue: the call runs at once, alone.
	lead := g.busy < g.runs
	if lead {
		g.busy++
		c.batch = []*groupCall[In, Out]{c}
	} else {
		g.queue = append(g.queue, c)
	}
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

// Waiting is how many calls wait for the next run (tests watch it).
func (g *Group[In, Out]) Waiting() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.queue)
}

// flush runs the leader's batch as one, hands its slot to the first call
// still queued, or frees it, and wakes the calls it ran. It does so even
// when run panics, so nobody waits forever; the panic goes on to the
// leader's caller.
func (g *Group[In, Out]) flush(ctx context.Context, leader *groupCall[In, Out]) {
	batch := leader.batch
	done := false
	defer func() {
		for _, c := range batch {
			if !done {
				c.err = ErrGroupPanicked
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
	if err == nil && len(outs) != len(ins) {
		err = fmt.Errorf("a grouped run answered %d of %d calls", len(outs), len(ins))
	}
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
// ends the run's slot when none came.
func (g *Group[In, Out]) handOver() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.queue) == 0 {
		g.busy--
		return
	}
	n := len(g.queue)
	if g.limit > 0 {
		n = min(n, g.limit)
	}
	next := g.queue[0]
	next.lead, next.batch = true, g.queue[:n:n]
	g.queue = g.queue[n:]
	close(next.wake)
}

// SetRuns lets up to n runs go at once (1 by default); call it before the
// group's first call.
func (g *Group[In, Out]) SetRuns(n int) { g.runs = max(n, 1) }
