package redis

import (
	"log/slog"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/store/coordtest"
)

// TestWindowTrimDropsValues checks that trimming a window also removes the
// trimmed members' values, so the hash does not grow without bound.
func TestWindowTrimDropsValues(t *testing.T) {
	url, prefix := coordtest.RedisURL(t)
	c, err := New(t.Context(), url, prefix, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer c.Close()
	base := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := range 10 {
		at := base.Add(time.Duration(i) * time.Hour)
		if err := c.WindowAdd(t.Context(), "w", at.Format(time.TimeOnly), at, float64(i), 90*time.Minute); err != nil {
			t.Fatalf("WindowAdd: %v", err)
		}
	}
	keys := c.windowKeys("w")
	for _, check := range []struct {
		what string
		n    func() (int64, error)
	}{
		{"points", c.client.ZCard(t.Context(), keys[0]).Result},
		{"values", c.client.HLen(t.Context(), keys[1]).Result},
	} {
		n, err := check.n()
		if err != nil || n != 2 {
			t.Errorf("%s after trimming: %d, %v; want 2", check.what, n, err)
		}
	}
	for _, key := range keys {
		ttl, err := c.client.PTTL(t.Context(), key).Result()
		if err != nil || ttl <= 0 || ttl > 90*time.Minute {
			t.Errorf("PTTL %s = %s, %v; want within keep", key, ttl, err)
		}
	}
}
