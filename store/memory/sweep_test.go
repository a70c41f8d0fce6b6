package memory

import (
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// TestSweepRemovesUntouchedEntries checks that expired entries nobody looks
// at again are still removed once the sweep interval passes.
func TestSweepRemovesUntouchedEntries(t *testing.T) {
	clock := clockwork.NewFakeClock()
	c := New(clock)
	ctx := t.Context()
	for _, key := range []string{"a", "b", "c"} {
		if _, err := c.Claim(ctx, key, time.Second); err != nil {
			t.Fatal(err)
		}
		if err := c.Set(ctx, key, []byte("v"), time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Claim(ctx, "forever", 0); err != nil {
		t.Fatal(err)
	}
	clock.Advance(sweepEvery)
	if _, err := c.Claim(ctx, "trigger", time.Second); err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.claims) != 2 || len(c.values) != 0 {
		t.Fatalf("after a sweep: %d claims, %d values; want 2 claims (forever, trigger), 0 values", len(c.claims), len(c.values))
	}
}
