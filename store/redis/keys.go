package redis

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/interlock-coe/interlock/bot"
)

// unlockScript deletes a lock only if it still holds the caller's token, so
// a holder whose lock expired cannot release the next holder's.
var unlockScript = goredis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`)

// incrScript adds to a counter and gives it a TTL only if it has none, so
// the counter expires ttl after its first increment.
var incrScript = goredis.NewScript(`
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if tonumber(ARGV[2]) > 0 and redis.call('PTTL', KEYS[1]) == -1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return n`)

// Claim records key for ttl (forever when ttl <= 0) and reports whether
// this call was the first to claim it.
func (c *Coordinator) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	won, err := c.client.SetNX(ctx, c.key("claim", key), "1", noNegative(ttl)).Result()
	if err != nil {
		return false, c.fail("claim", key, err)
	}
	return won, nil
}

// Release forgets the claim on key, if any.
func (c *Coordinator) Release(ctx context.Context, key string) error {
	if err := c.client.Del(ctx, c.key("claim", key)).Err(); err != nil {
		return c.fail("release", key, err)
	}
	return nil
}

// Lock takes the lock on key for ttl, or returns bot.ErrLocked if another
// holder has it. ttl must be positive. The returned function releases the
// lock only if it still holds this call's random token.
func (c *Coordinator) Lock(ctx context.Context, key string, ttl time.Duration) (func(context.Context) error, error) {
	if ttl <= 0 {
		return nil, fmt.Errorf("lock %q: ttl must be positive, got %s", key, ttl)
	}
	redisKey, token := c.key("lock", key), rand.Text()
	won, err := c.client.SetNX(ctx, redisKey, token, ttl).Result()
	if err != nil {
		return nil, c.fail("lock", key, err)
	}
	if !won {
		return nil, fmt.Errorf("lock %q: %w", key, bot.ErrLocked)
	}
	return func(ctx context.Context) error {
		if err := unlockScript.Run(ctx, c.client, []string{redisKey}, token).Err(); err != nil {
			return c.fail("unlock", key, err)
		}
		return nil
	}, nil
}

// Incr adds delta to the counter at key and returns the new value. A
// counter without an expiry gets one ttl from now (none when ttl <= 0);
// later increments do not extend it.
func (c *Coordinator) Incr(ctx context.Context, key string, delta int64, ttl time.Duration) (int64, error) {
	n, err := incrScript.Run(ctx, c.client, []string{c.key("count", key)}, delta, millis(ttl)).Int64()
	if err != nil {
		return 0, c.fail("incr", key, err)
	}
	return n, nil
}

// Get returns the value cached at key, and whether there was one.
func (c *Coordinator) Get(ctx context.Context, key string) ([]byte, bool, error) {
	value, err := c.client.Get(ctx, c.key("cache", key)).Bytes()
	if errors.Is(err, goredis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, c.fail("get", key, err)
	}
	return value, true, nil
}

// Set caches value at key for ttl (forever when ttl <= 0).
func (c *Coordinator) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := c.client.Set(ctx, c.key("cache", key), value, noNegative(ttl)).Err(); err != nil {
		return c.fail("set", key, err)
	}
	return nil
}

// noNegative maps negative TTLs to 0 (no expiry): go-redis reads -1 as
// KEEPTTL, which is not what a caller passing a negative TTL means.
func noNegative(ttl time.Duration) time.Duration { return max(ttl, 0) }

// millis returns ttl in whole milliseconds for a script, rounding a
// positive sub-millisecond TTL up so that it still expires.
func millis(ttl time.Duration) int64 {
	if ttl <= 0 {
		return 0
	}
	return max(ttl.Milliseconds(), 1)
}
