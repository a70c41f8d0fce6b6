package memory

import (
	"context"
	"fmt"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// Claim records key for ttl (forever when ttl <= 0) and reports whether
// this call was the first to claim it.
func (c *Coordinator) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	now := c.begin()
	defer c.mu.Unlock()
	if _, held := c.claims.lookup(key, now); held {
		return false, nil
	}
	c.claims.put(key, struct{}{}, now, ttl)
	return true, nil
}

// Release forgets the claim on key, if any.
func (c *Coordinator) Release(ctx context.Context, key string) error {
	c.begin()
	defer c.mu.Unlock()
	delete(c.claims, key)
	return nil
}

// Lock takes the lock on key for ttl, or returns bot.ErrLocked if another
// holder has it. ttl must be positive. The returned function releases the
// lock only if it is still this holder's.
func (c *Coordinator) Lock(ctx context.Context, key string, ttl time.Duration) (func(context.Context) error, error) {
	if ttl <= 0 {
		return nil, fmt.Errorf("lock %q: ttl must be positive, got %s", key, ttl)
	}
	now := c.begin()
	defer c.mu.Unlock()
	if _, held := c.locks.lookup(key, now); held {
		return nil, fmt.Errorf("lock %q: %w", key, bot.ErrLocked)
	}
	c.lastToken++
	token := c.lastToken
	c.locks.put(key, token, now, ttl)
	return func(context.Context) error {
		now := c.begin()
		defer c.mu.Unlock()
		if e, held := c.locks.lookup(key, now); held && e.val == token {
			delete(c.locks, key)
		}
		return nil
	}, nil
}

// Incr adds delta to the counter at key and returns the new value. A
// counter without an expiry gets one ttl from now (none when ttl <= 0);
// later increments do not extend it.
func (c *Coordinator) Incr(ctx context.Context, key string, delta int64, ttl time.Duration) (int64, error) {
	now := c.begin()
	defer c.mu.Unlock()
	e, _ := c.counters.lookup(key, now)
	e.val += delta
	if e.expires.IsZero() {
		e.expires = expiryAt(now, ttl)
	}
	c.counters[key] = e
	return e.val, nil
}

// Get returns a copy of the value cached at key, and whether there was one.
func (c *Coordinator) Get(ctx context.Context, key string) ([]byte, bool, error) {
	now := c.begin()
	defer c.mu.Unlock()
	e, ok := c.values.lookup(key, now)
	if !ok {
		return nil, false, nil
	}
	return cloneBytes(e.val), true, nil
}

// Set caches a copy of value at key for ttl (forever when ttl <= 0).
func (c *Coordinator) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	now := c.begin()
	defer c.mu.Unlock()
	c.values.put(key, cloneBytes(value), now, ttl)
	return nil
}

// cloneBytes copies b, returning an empty non-nil slice for empty input so
// that a cached empty value reads back the same as from Redis.
func cloneBytes(b []byte) []byte {
	return append([]byte{}, b...)
}
