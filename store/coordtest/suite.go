// Package coordtest is the conformance suite every bot.Coordinator passes
// (store/memory and store/redis), and a harness that points tests at a real
// Redis server.
package coordtest

import (
	"context"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// Wait lets d pass for a coordinator under test: a fake clock advances, a
// real server sleeps.
type Wait func(d time.Duration)

// Opener returns a new coordinator for one test, sharing no keys with any
// other, and the Wait that lets time pass for it. It registers the
// coordinator's cleanup with t.
type Opener func(t *testing.T) (bot.Coordinator, Wait)

// The suite's expiry tests use a short TTL and wait a little longer than
// it, so that a real server takes only a fraction of a second.
const (
	shortTTL  = 200 * time.Millisecond
	pastShort = 300 * time.Millisecond
	longTTL   = time.Hour
)

// base is an arbitrary whole-second time for window points.
var base = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// Run runs the whole suite against the coordinators open makes. Tests run
// in parallel, each with its own coordinator.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		run  func(t *testing.T, c bot.Coordinator, wait Wait)
	}{
		{"ClaimFirstWins", testClaimFirstWins},
		{"ClaimExpires", testClaimExpires},
		{"ClaimWithoutTTLStays", testClaimWithoutTTLStays},
		{"Release", testRelease},
		{"LockExclusive", testLockExclusive},
		{"LockExpiredUnlockLeavesNextHolder", testLockExpiredUnlock},
		{"LockNeedsTTL", testLockNeedsTTL},
		{"Incr", testIncr},
		{"IncrTTLFromFirstIncrement", testIncrTTLFromFirst},
		{"GetSet", testGetSet},
		{"SetExpires", testSetExpires},
		{"WindowAddRange", testWindowAddRange},
		{"WindowReplace", testWindowReplace},
		{"WindowRangeBounds", testWindowRangeBounds},
		{"WindowTrim", testWindowTrim},
		{"WindowExpires", testWindowExpires},
		{"WindowValues", testWindowValues},
		{"KindsAreSeparate", testKindsAreSeparate},
		{"Events", testEvents},
		{"ConcurrentClaims", testConcurrentClaims},
		{"ConcurrentLocks", testConcurrentLocks},
		{"ConcurrentIncr", testConcurrentIncr},
		{"ConcurrentWindowAdd", testConcurrentWindowAdd},
		{"Ping", testPing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, wait := open(t)
			tt.run(t, c, wait)
		})
	}
}

func testPing(t *testing.T, c bot.Coordinator, _ Wait) {
	if err := c.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

// claim calls Claim and fails the test on error.
func claim(t *testing.T, c bot.Coordinator, key string, ttl time.Duration) bool {
	t.Helper()
	won, err := c.Claim(t.Context(), key, ttl)
	if err != nil {
		t.Fatalf("Claim(%q): %v", key, err)
	}
	return won
}

// lock calls Lock and fails the test on any error.
func lock(t *testing.T, c bot.Coordinator, key string, ttl time.Duration) func(context.Context) error {
	t.Helper()
	unlock, err := c.Lock(t.Context(), key, ttl)
	if err != nil {
		t.Fatalf("Lock(%q): %v", key, err)
	}
	return unlock
}

// incr calls Incr and fails the test on error.
func incr(t *testing.T, c bot.Coordinator, key string, delta int64, ttl time.Duration) int64 {
	t.Helper()
	n, err := c.Incr(t.Context(), key, delta, ttl)
	if err != nil {
		t.Fatalf("Incr(%q, %d): %v", key, delta, err)
	}
	return n
}
