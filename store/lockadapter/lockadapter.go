// Package lockadapter lets gocron's distributed locking
// (gocron.WithDistributedLocker) use the locks of any bot.Coordinator, so
// that with several replicas only one runs a job at a time.
package lockadapter

import (
	"context"
	"fmt"
	"time"

	"github.com/go-co-op/gocron/v2"

	"github.com/interlock-coe/interlock/bot"
)

// keyPrefix keeps job locks apart from other locks of the coordinator.
const keyPrefix = "gocron:"

// Locker is a gocron.Locker whose locks are the coordinator's.
type Locker struct {
	coord bot.Coordinator
	ttl   time.Duration
}

var _ gocron.Locker = (*Locker)(nil)

// New returns a Locker over coord whose locks last at most ttl, so that a
// replica that dies while running a job frees it after ttl. ttl should
// exceed the job's longest run.
func New(coord bot.Coordinator, ttl time.Duration) *Locker {
	return &Locker{coord: coord, ttl: ttl}
}

// Lock takes the lock for the job named key. When another replica holds
// it, the error wraps bot.ErrLocked and gocron skips this run.
func (l *Locker) Lock(ctx context.Context, key string) (gocron.Lock, error) {
	unlock, err := l.coord.Lock(ctx, keyPrefix+key, l.ttl)
	if err != nil {
		return nil, fmt.Errorf("lock job %q: %w", key, err)
	}
	return unlockFunc(unlock), nil
}

// unlockFunc is a gocron.Lock released by calling the coordinator's unlock.
type unlockFunc func(context.Context) error

// Unlock releases the lock if it is still held by this run.
func (f unlockFunc) Unlock(ctx context.Context) error { return f(ctx) }
