package coordtest

import (
	"errors"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

func testClaimFirstWins(t *testing.T, c bot.Coordinator, _ Wait) {
	if !claim(t, c, "event:1", longTTL) {
		t.Fatal("first Claim lost")
	}
	if claim(t, c, "event:1", longTTL) {
		t.Fatal("second Claim of the same key won")
	}
	if !claim(t, c, "event:2", longTTL) {
		t.Fatal("Claim of another key lost")
	}
}

func testClaimExpires(t *testing.T, c bot.Coordinator, wait Wait) {
	claim(t, c, "k", shortTTL)
	wait(pastShort)
	if !claim(t, c, "k", longTTL) {
		t.Fatal("Claim after the first claim expired lost")
	}
}

func testClaimWithoutTTLStays(t *testing.T, c bot.Coordinator, wait Wait) {
	claim(t, c, "k", 0)
	wait(pastShort)
	if claim(t, c, "k", longTTL) {
		t.Fatal("a claim with ttl 0 expired")
	}
}

func testRelease(t *testing.T, c bot.Coordinator, _ Wait) {
	if err := c.Release(t.Context(), "never-claimed"); err != nil {
		t.Fatalf("Release of an unclaimed key: %v", err)
	}
	claim(t, c, "k", longTTL)
	if err := c.Release(t.Context(), "k"); err != nil {
		t.Fatalf("Release: %v", err)
	}
	if !claim(t, c, "k", longTTL) {
		t.Fatal("Claim after Release lost")
	}
}

func testLockExclusive(t *testing.T, c bot.Coordinator, _ Wait) {
	unlock := lock(t, c, "job", longTTL)
	if _, err := c.Lock(t.Context(), "job", longTTL); !errors.Is(err, bot.ErrLocked) {
		t.Fatalf("second Lock: got %v, want ErrLocked", err)
	}
	lock(t, c, "other-job", longTTL)
	if err := unlock(t.Context()); err != nil {
		t.Fatalf("unlock: %v", err)
	}
	if err := unlock(t.Context()); err != nil {
		t.Fatalf("second unlock: %v", err)
	}
	lock(t, c, "job", longTTL)
}

func testLockExpiredUnlock(t *testing.T, c bot.Coordinator, wait Wait) {
	unlockA := lock(t, c, "job", shortTTL)
	wait(pastShort)
	unlockB := lock(t, c, "job", longTTL)
	// A's lock ran out and B holds the key now: A's unlock must not free it.
	if err := unlockA(t.Context()); err != nil {
		t.Fatalf("stale unlock: %v", err)
	}
	if _, err := c.Lock(t.Context(), "job", longTTL); !errors.Is(err, bot.ErrLocked) {
		t.Fatalf("Lock after a stale unlock: got %v, want ErrLocked", err)
	}
	if err := unlockB(t.Context()); err != nil {
		t.Fatalf("unlock: %v", err)
	}
	lock(t, c, "job", longTTL)
}

func testLockNeedsTTL(t *testing.T, c bot.Coordinator, _ Wait) {
	for _, ttl := range []time.Duration{0, -time.Second} {
		_, err := c.Lock(t.Context(), "job", ttl)
		if err == nil || errors.Is(err, bot.ErrLocked) {
			t.Fatalf("Lock with ttl %s: got %v, want an invalid-ttl error", ttl, err)
		}
	}
}
