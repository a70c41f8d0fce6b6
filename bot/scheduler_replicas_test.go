package bot_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store/postgres"
	"github.com/interlock-coe/interlock/store/sqlite"
	"github.com/interlock-coe/interlock/store/sqlstore"
	"github.com/interlock-coe/interlock/store/storetest"
)

// firings counts, per key, how often a timer fired.
type firings struct {
	mu    sync.Mutex
	n     map[string]int
	total int
	all   chan struct{} // closed when total reaches want
	want  int
}

func newFirings(want int) *firings {
	return &firings{n: map[string]int{}, all: make(chan struct{}), want: want}
}

func (f *firings) handler(_ context.Context, t bot.Timer) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n[t.Key]++
	f.total++
	if f.total == f.want {
		close(f.all)
	}
	return nil
}

// wait waits for every expected firing; the bound is generous (a loaded
// machine): it checks that they come, not how fast.
func (f *firings) wait(t *testing.T, what string) {
	t.Helper()
	select {
	case <-f.all:
	case <-time.After(2 * time.Minute):
		f.mu.Lock()
		defer f.mu.Unlock()
		t.Fatalf("%s: %d of %d firings after 2 minutes", what, f.total, f.want)
	}
}

// replica is a scheduler over a store of its own (its own connection pool)
// on the database at url, running until the test ends.
func replica(t *testing.T, url string, f *firings, poll time.Duration) (*bot.Scheduler, *sqlstore.Store) {
	t.Helper()
	st, err := postgres.Open(t.Context(), url, quiet)
	if err != nil {
		t.Fatal(err)
	}
	s := bot.NewScheduler(st, bot.SystemClock{}, quiet)
	s.Handle("test.tick", f.handler)
	if err := s.Start(context.Background(), poll); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Stop()
		st.Close()
	})
	return s, st
}

// TestTwoReplicasFireEachBurstTimerOnce: 3,000 timers due at one instant,
// two running replicas claiming concurrently, each timer fired once.
func TestTwoReplicasFireEachBurstTimerOnce(t *testing.T) {
	const n = 3000
	url := storetest.PostgresURL(t)
	f := newFirings(n)
	a, st := replica(t, url, f, time.Hour)
	replica(t, url, f, time.Hour)
	at := time.Now().Add(time.Second)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < n; i += 8 {
				if err := a.Schedule(t.Context(), "test.tick", fmt.Sprintf("burst:%d", i), at, nil); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	f.wait(t, "burst")
	time.Sleep(time.Second) // a second firing, if any, would show now
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.n) != n || f.total != n {
		t.Errorf("%d firings of %d distinct timers, want %d of %d", f.total, len(f.n), n, n)
	}
	for key, times := range f.n {
		if times != 1 {
			t.Errorf("timer %s fired %d times", key, times)
		}
	}
	waitAllCompleted(t, st)
}

// TestEmbeddedBurstFiresEachTimerOnce: the same burst on the embedded
// store, completed in batches by one running scheduler.
func TestEmbeddedBurstFiresEachTimerOnce(t *testing.T) {
	const n = 500
	st, err := sqlite.Open(t.Context(), t.TempDir(), quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := newFirings(n)
	s := bot.NewScheduler(st, bot.SystemClock{}, quiet)
	s.Handle("test.tick", f.handler)
	at := time.Now().Add(time.Second)
	for i := range n {
		if err := s.Schedule(t.Context(), "test.tick", fmt.Sprintf("burst:%d", i), at, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Start(context.Background(), time.Hour); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop() })
	f.wait(t, "burst")
	waitAllCompleted(t, st)
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.n) != n || f.total != n {
		t.Errorf("%d firings of %d distinct timers, want %d of %d", f.total, len(f.n), n, n)
	}
}

// waitAllCompleted waits until no timer is pending in st: every fired
// timer was marked fired (one left claimed would wait out its lease, and
// NextTimerDue would report the lease's end).
func waitAllCompleted(t *testing.T, st bot.TimerStore) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		next, pending, err := st.NextTimerDue(t.Context())
		switch {
		case err != nil:
			t.Fatal(err)
		case !pending:
			return
		case time.Now().After(deadline):
			t.Fatalf("a timer is still pending (next at %s) a minute after all fired", next)
		}
	}
}

// TestSleepingReplicaWakesForAnotherReplicasTimer: replica B sleeps until a
// timer due in an hour (and its safety poll is an hour); a timer that
// replica A schedules for now must wake B through PostgreSQL's
// notification, not wait for the hour.
func TestSleepingReplicaWakesForAnotherReplicasTimer(t *testing.T) {
	url := storetest.PostgresURL(t)
	st, err := postgres.Open(t.Context(), url, quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a := bot.NewScheduler(st, bot.SystemClock{}, quiet) // never started: it only schedules
	if err := a.Schedule(t.Context(), "test.tick", "far", time.Now().Add(time.Hour), nil); err != nil {
		t.Fatal(err)
	}
	f := newFirings(1)
	replica(t, url, f, time.Hour)
	waitListening(t, url)
	if err := a.Schedule(t.Context(), "test.tick", "soon", time.Now().Add(200*time.Millisecond), nil); err != nil {
		t.Fatal(err)
	}
	f.wait(t, "the timer scheduled by A")
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n["soon"] != 1 || f.n["far"] != 0 {
		t.Errorf("fired %v, want soon once and far not yet", f.n)
	}
}

// waitListening waits until a session on the database at url listens for
// timers, so that the scheduler under test is asleep and listening.
func waitListening(t *testing.T, url string) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var n int
		err := conn.QueryRow(t.Context(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND query ILIKE 'listen %'`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
	}
	t.Fatal("no session listens for timers after a minute")
}

// TestSleepingSchedulerWakesForNewTimer is the same on the embedded store,
// where one process's in-process signal wakes the sleeper.
func TestSleepingSchedulerWakesForNewTimer(t *testing.T) {
	st, err := sqlite.Open(t.Context(), t.TempDir(), quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := newFirings(1)
	s := bot.NewScheduler(st, bot.SystemClock{}, quiet)
	s.Handle("test.tick", f.handler)
	if err := s.Schedule(t.Context(), "test.tick", "far", time.Now().Add(time.Hour), nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Start(context.Background(), time.Hour); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop() })
	if err := s.Schedule(t.Context(), "test.tick", "soon", time.Now().Add(200*time.Millisecond), nil); err != nil {
		t.Fatal(err)
	}
	f.wait(t, "the new timer")
}

var _ bot.TimerWatcher = (*sqlstore.Store)(nil)
