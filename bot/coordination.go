package bot

import (
	"context"
	"errors"
	"time"
)

// ErrLocked is returned by Coordinator.Lock when another holder has the lock.
var ErrLocked = errors.New("lock held by another process")

// Coordinator is what several replicas share to act once: idempotency keys,
// locks, counters, rolling windows and small cached values. Redis in
// production; an in-process implementation for a single instance.
type Coordinator interface {
	Claimer
	// Lock takes an exclusive lock for at most ttl; it returns ErrLocked if
	// another holder has it. The returned function releases it if still ours.
	Lock(ctx context.Context, key string, ttl time.Duration) (unlock func(context.Context) error, err error)
	// Incr adds delta to a counter that expires ttl after its first increment.
	Incr(ctx context.Context, key string, delta int64, ttl time.Duration) (int64, error)
	// WindowAdd records a value at a time in a rolling window keyed by key;
	// member identifies the point so that adding it again replaces it.
	// Points older than keep (relative to at) are dropped.
	WindowAdd(ctx context.Context, key, member string, at time.Time, value float64, keep time.Duration) error
	// WindowRange returns the points with from <= at < to, oldest first.
	WindowRange(ctx context.Context, key string, from, to time.Time) ([]WindowPoint, error)
	// Get and Set hold small cached values.
	Get(ctx context.Context, key string) ([]byte, bool, error)
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
	Ping(ctx context.Context) error
	Close() error
}

// WindowPoint is one value in a rolling window.
type WindowPoint struct {
	Member string
	At     time.Time
	Value  float64
}
