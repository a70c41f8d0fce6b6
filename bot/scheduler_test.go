package bot_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store/postgres"
	"github.com/interlock-coe/interlock/store/sqlite"
	"github.com/interlock-coe/interlock/store/sqlstore"
	"github.com/interlock-coe/interlock/store/storetest"
)

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestTwoProcessesFireEachTimerOnce(t *testing.T) {
	url := storetest.PostgresURL(t)
	ctx := context.Background()
	clock := &fakeClock{now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	var fired sync.Map
	var total atomic.Int64
	var schedulers []*bot.Scheduler
	for i := 0; i < 2; i++ {
		st, err := postgres.Open(ctx, url, quiet)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		s := bot.NewScheduler(st, clock, quiet)
		s.Handle("test.tick", func(_ context.Context, tm bot.Timer) error {
			if _, dup := fired.LoadOrStore(tm.Key, true); dup {
				t.Errorf("timer %s fired twice", tm.Key)
			}
			total.Add(1)
			return nil
		})
		schedulers = append(schedulers, s)
	}
	const n = 300
	for i := 0; i < n; i++ {
		key := "tick:" + time.Duration(i).String()
		if err := schedulers[i%2].Schedule(ctx, "test.tick", key, clock.Now().Add(time.Duration(i)*time.Second), nil); err != nil {
			t.Fatal(err)
		}
	}
	clock.add(time.Hour)
	var wg sync.WaitGroup
	for _, s := range schedulers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := 0; round < 3; round++ {
				if _, err := s.FireDue(ctx); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if total.Load() != n {
		t.Fatalf("fired %d timers, want %d", total.Load(), n)
	}
}

func TestTimersDueDuringDowntimeFireOnStart(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	clock := &fakeClock{now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	st, err := sqlite.Open(ctx, dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	s := bot.NewScheduler(st, clock, quiet)
	if err := s.Schedule(ctx, "test.tick", "k", clock.Now().Add(time.Minute), map[string]int{"n": 1}); err != nil {
		t.Fatal(err)
	}
	st.Close() // "crash"

	clock.add(time.Hour)
	st, err = sqlite.Open(ctx, dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var got []string
	s = bot.NewScheduler(st, clock, quiet)
	s.Handle("test.tick", func(_ context.Context, tm bot.Timer) error {
		got = append(got, tm.Payload)
		return nil
	})
	if n, err := s.FireDue(ctx); err != nil || n != 1 || len(got) != 1 || got[0] != `{"n":1}` {
		t.Fatalf("FireDue = %d, %v; payloads %v", n, err, got)
	}
}

// memoryScheduler is a scheduler over an in-memory embedded store.
func memoryScheduler(t *testing.T) (*sqlstore.Store, *fakeClock, *bot.Scheduler) {
	t.Helper()
	clock := &fakeClock{now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	st, err := sqlite.OpenMemory(context.Background(), quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, clock, bot.NewScheduler(st, clock, quiet)
}

func TestRearmingAndRetries(t *testing.T) {
	ctx := context.Background()
	st, clock, s := memoryScheduler(t)
	var ticks, failures int
	s.Handle("test.repeat", func(ctx context.Context, tm bot.Timer) error {
		ticks++
		// A timer that re-arms its own key while firing must not be lost.
		return s.Schedule(ctx, "test.repeat", tm.Key, tm.Due.Add(10*time.Minute), nil)
	})
	s.Handle("test.flaky", func(context.Context, bot.Timer) error {
		failures++
		if failures < 3 {
			return errors.New("platform down")
		}
		return nil
	})
	_ = s.Schedule(ctx, "test.repeat", "repeat", clock.Now().Add(10*time.Minute), nil)
	_ = s.Schedule(ctx, "test.flaky", "flaky", clock.Now(), nil)
	for i := 0; i < 6; i++ {
		clock.add(10 * time.Minute)
		if _, err := s.FireDue(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if ticks != 6 {
		t.Errorf("repeating timer fired %d times in an hour, want 6", ticks)
	}
	if failures != 3 {
		t.Errorf("failing timer ran %d times, want 3 (two failures, then success)", failures)
	}
	next, ok, err := st.NextTimerDue(ctx)
	if err != nil || !ok || !next.Equal(clock.Now().Add(10*time.Minute)) {
		t.Errorf("next due = %v %v %v, want the re-armed repeat", next, ok, err)
	}
}

func TestCancelledTimerDoesNotFire(t *testing.T) {
	ctx := context.Background()
	_, clock, s := memoryScheduler(t)
	s.Handle("test.tick", func(context.Context, bot.Timer) error { t.Error("cancelled timer fired"); return nil })
	_ = s.Schedule(ctx, "test.tick", "k", clock.Now().Add(time.Minute), nil)
	if err := s.Cancel(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	clock.add(time.Hour)
	if n, err := s.FireDue(ctx); n != 0 || err != nil {
		t.Fatalf("FireDue = %d, %v", n, err)
	}
}
