package redis_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store/coordtest"
	"github.com/interlock-coe/interlock/store/redis"
)

// open connects a coordinator to the test server under a fresh prefix;
// time passes for it by sleeping.
func open(t *testing.T) (bot.Coordinator, coordtest.Wait) {
	url, prefix := coordtest.RedisURL(t)
	c, err := redis.New(t.Context(), url, prefix, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return c, time.Sleep
}

func TestConformance(t *testing.T) {
	coordtest.Run(t, open)
}

func TestUnreachableServerIsUnavailable(t *testing.T) {
	// Port 1 on the loopback refuses connections at once.
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	_, err := redis.New(ctx, "redis://127.0.0.1:1/0", "", slog.New(slog.DiscardHandler))
	if err == nil {
		t.Fatal("New with an unreachable server succeeded")
	}
	if code := bot.ErrorCode(err); code != bot.EUnavailable {
		t.Fatalf("error code %q, want %q (err: %v)", code, bot.EUnavailable, err)
	}
}

func TestServerGoneIsUnavailable(t *testing.T) {
	c, _ := open(t)
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	_, err := c.Claim(t.Context(), "k", time.Minute)
	if code := bot.ErrorCode(err); code != bot.EUnavailable {
		t.Fatalf("Claim on a closed client: code %q, want %q (err: %v)", code, bot.EUnavailable, err)
	}
}

func TestInvalidURL(t *testing.T) {
	_, err := redis.New(t.Context(), "postgres://secret@host/db", "", slog.New(slog.DiscardHandler))
	if err == nil {
		t.Fatal("New with a non-Redis URL succeeded")
	}
}

func TestKeysCarryPrefix(t *testing.T) {
	url, prefix := coordtest.RedisURL(t)
	c, err := redis.New(t.Context(), url, prefix, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer c.Close()
	if err := c.Set(t.Context(), "k", []byte("v"), time.Minute); err != nil {
		t.Fatalf("Set: %v", err)
	}
	// A second coordinator under another prefix sees nothing.
	otherURL, otherPrefix := coordtest.RedisURL(t)
	other, err := redis.New(t.Context(), otherURL, otherPrefix, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer other.Close()
	if _, ok, err := other.Get(t.Context(), "k"); err != nil || ok {
		t.Fatalf("Get under another prefix = %v, %v; want not found", ok, err)
	}
}
