// Package redis is the production bot.Coordinator, shared by every replica
// through Redis (github.com/redis/go-redis/v9). Every key it writes starts
// with a prefix, followed by the kind of entry ("claim:", "lock:",
// "count:", "window:", "cache:") and the caller's key, so that the kinds
// never collide.
package redis

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	goredis "github.com/redis/go-redis/v9"

	"github.com/interlock-coe/interlock/bot"
)

// DefaultPrefix starts every key when New is given an empty prefix.
const DefaultPrefix = "interlock:"

// Coordinator implements bot.Coordinator over one Redis server. It is safe
// for concurrent use.
type Coordinator struct {
	client *goredis.Client
	prefix string
	log    *slog.Logger
}

var _ bot.Coordinator = (*Coordinator)(nil)

// New connects to the Redis server at redisURL (redis:// or rediss://) and
// checks that it answers. Keys start with prefix (DefaultPrefix when
// empty). An unreachable server gives an error with code bot.EUnavailable.
func New(ctx context.Context, redisURL, prefix string, log *slog.Logger) (*Coordinator, error) {
	opts, err := goredis.ParseURL(redisURL)
	if err != nil {
		// The URL may hold a password: do not echo it.
		return nil, errors.New("parse redis URL: invalid URL")
	}
	if prefix == "" {
		prefix = DefaultPrefix
	}
	c := &Coordinator{client: goredis.NewClient(opts), prefix: prefix, log: log}
	if err := c.Ping(ctx); err != nil {
		_ = c.client.Close()
		return nil, fmt.Errorf("connect to redis at %s: %w", opts.Addr, err)
	}
	log.Info("coordination connected to redis", "addr", opts.Addr, "db", opts.DB, "prefix", prefix)
	return c, nil
}

// Ping checks that the server answers.
func (c *Coordinator) Ping(ctx context.Context) error {
	if err := c.client.Ping(ctx).Err(); err != nil {
		return c.fail("ping", "", err)
	}
	return nil
}

// Close closes the connections to the server. Closing twice is not an
// error.
func (c *Coordinator) Close() error {
	if err := c.client.Close(); err != nil && !errors.Is(err, goredis.ErrClosed) {
		return fmt.Errorf("close redis client: %w", err)
	}
	return nil
}

// key returns the Redis key for the caller's key of a kind.
func (c *Coordinator) key(kind, key string) string {
	return c.prefix + kind + ":" + key
}

// fail wraps err from operation op on key, marking it unavailable when the
// server could not be reached or cannot serve right now.
func (c *Coordinator) fail(op, key string, err error) error {
	if unreachable(err) {
		err = bot.Unavailable("coordination", err)
	}
	if key == "" {
		return fmt.Errorf("redis %s: %w", op, err)
	}
	return fmt.Errorf("redis %s %q: %w", op, key, err)
}

// unreachable reports whether err means the server is down or busy rather
// than that it refused the command (a Redis error reply) or that the
// caller gave up.
func unreachable(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	var reply goredis.Error
	if !errors.As(err, &reply) {
		return true // network, timeout, closed pool
	}
	return goredis.IsLoadingError(err) || goredis.IsReadOnlyError(err) ||
		goredis.IsClusterDownError(err) || goredis.IsTryAgainError(err) ||
		goredis.IsMasterDownError(err) || goredis.IsMaxClientsError(err)
}
