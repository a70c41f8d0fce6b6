package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/integrations/web"
)

// manualClock is a clock the test moves.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// TestGaugesComputedAtMostEvery15s: scrapes cannot be turned into database
// load; a gauge is read at most once per 15 seconds, whatever the rate of
// scrapes.
func TestGaugesComputedAtMostEvery15s(t *testing.T) {
	clock := &manualClock{now: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)}
	m := web.NewMetricsWith(web.MetricsOptions{Clock: clock})
	reads := 0
	m.Gauge("interlock_open_crises", "open", func(context.Context) (float64, error) {
		reads++
		return float64(reads), nil
	})
	scrape := func() string {
		rec := httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		return rec.Body.String()
	}
	for range 20 {
		scrape()
	}
	if reads != 1 {
		t.Fatalf("20 scrapes read the gauge %d times, want 1", reads)
	}
	clock.advance(14 * time.Second)
	if body := scrape(); reads != 1 || !strings.Contains(body, "interlock_open_crises 1") {
		t.Fatalf("after 14s: %d reads, want the cached value", reads)
	}
	clock.advance(time.Second)
	if body := scrape(); reads != 2 || !strings.Contains(body, "interlock_open_crises 2") {
		t.Fatalf("after 15s: %d reads, want a fresh value", reads)
	}
}
