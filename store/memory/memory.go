// Package memory is an in-process bot.Coordinator for a single instance:
// the same semantics as store/redis, kept in maps behind one mutex, with
// expiry measured by an injected clock.
package memory

import (
	"context"
	"sync"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// sweepEvery is how much clock time passes between full sweeps of expired
// entries. Idempotency keys are rarely looked at again, so lazy removal
// alone would let them pile up.
const sweepEvery = time.Minute

// Coordinator keeps claims, locks, counters, windows and cached values in
// memory. It is safe for concurrent use. The zero value is not usable; call
// New.
type Coordinator struct {
	clock bot.Clock

	mu        sync.Mutex
	claims    expiring[struct{}]
	locks     expiring[uint64] // lock token
	counters  expiring[int64]
	windows   expiring[map[string]bot.WindowPoint]
	values    expiring[[]byte]
	lastToken uint64
	lastSweep time.Time

	events hub // change notices, behind their own lock
}

var _ bot.Coordinator = (*Coordinator)(nil)

// New returns an empty coordinator whose entries expire by clock.
func New(clock bot.Clock) *Coordinator {
	return &Coordinator{
		clock:     clock,
		claims:    expiring[struct{}]{},
		locks:     expiring[uint64]{},
		counters:  expiring[int64]{},
		windows:   expiring[map[string]bot.WindowPoint]{},
		values:    expiring[[]byte]{},
		lastSweep: clock.Now(),
	}
}

// begin locks the coordinator and returns the current time, sweeping
// expired entries when the last sweep is old enough. Callers must call
// c.mu.Unlock.
func (c *Coordinator) begin() time.Time {
	c.mu.Lock()
	now := c.clock.Now()
	if now.Sub(c.lastSweep) >= sweepEvery {
		c.claims.sweep(now)
		c.locks.sweep(now)
		c.counters.sweep(now)
		c.windows.sweep(now)
		c.values.sweep(now)
		c.lastSweep = now
	}
	return now
}

// Ping always succeeds: there is nothing to reach.
func (c *Coordinator) Ping(ctx context.Context) error { return ctx.Err() }

// Close does nothing; the coordinator holds no outside resources.
func (c *Coordinator) Close() error { return nil }
