package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

func timerTests() []test {
	return []test{
		{"TimerScheduleAndClaim", testTimerSchedule},
		{"TimerScheduleMovesPending", testTimerUpsert},
		{"TimersScheduledWithAChange", testTimersWithAChange},
		{"TimerCancel", testTimerCancel},
		{"TimerClaimOrderAndLimit", testTimerClaimOrder},
		{"TimerLeaseExpiry", testTimerLease},
		{"TimerComplete", testTimerComplete},
		{"TimerCompleteBatch", testTimerCompleteBatch},
		{"TimerRetry", testTimerRetry},
		{"TimerRescheduledWhileClaimed", testTimerRescheduledWhileClaimed},
		{"TimerCancelledWhileClaimed", testTimerCancelledWhileClaimed},
		{"TimerReclaimedBeforeCompletion", testTimerReclaimedBeforeCompletion},
		{"TimerConcurrentClaims", testTimerConcurrentClaims},
		{"TimerPrune", testTimerPrune},
		{"TimerWatchScheduled", testTimerWatchScheduled},
		{"TimerWatchEarliestOfTransaction", testTimerWatchEarliestOfTransaction},
	}
}

const lease = 2 * time.Minute

func schedule(t *testing.T, s store.Store, key string, due time.Time) {
	t.Helper()
	timer := bot.Timer{Kind: "test.kind", Key: key, Due: due, Payload: `{"key":"` + key + `"}`}
	if err := s.ScheduleTimer(t.Context(), timer); err != nil {
		t.Fatalf("ScheduleTimer(%s): %v", key, err)
	}
}

func claim(t *testing.T, s store.Store, now time.Time, limit int) []bot.Timer {
	t.Helper()
	return must(s.ClaimDueTimers(t.Context(), now, lease, limit))(t)
}

func keys(ts []bot.Timer) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Key)
	}
	return out
}

// checkNext fails unless the next due time is want (zero: none pending).
func checkNext(t *testing.T, s store.Store, want time.Time) {
	t.Helper()
	next, ok, err := s.NextTimerDue(t.Context())
	switch {
	case err != nil:
		t.Fatalf("NextTimerDue: %v", err)
	case want.IsZero() && ok:
		t.Errorf("NextTimerDue = %v, want none pending", next)
	case !want.IsZero() && !ok:
		t.Errorf("NextTimerDue: none pending, want %v", stored(want))
	case ok:
		checkTime(t, "NextTimerDue", next, want)
	}
}

func testTimerSchedule(t *testing.T, s store.Store) {
	at := base()
	checkNext(t, s, time.Time{})
	schedule(t, s, "later", at.Add(10*time.Minute))
	schedule(t, s, "sooner", at.Add(5*time.Minute))
	checkNext(t, s, at.Add(5*time.Minute))
	if got := claim(t, s, at, 10); len(got) != 0 {
		t.Errorf("claimed %q before anything was due", keys(got))
	}
	got := claim(t, s, at.Add(5*time.Minute), 10)
	if len(got) != 1 {
		t.Fatalf("claimed %q at the first due time, want [sooner]", keys(got))
	}
	g := got[0]
	if g.ID <= 0 || g.Kind != "test.kind" || g.Key != "sooner" || g.Payload != `{"key":"sooner"}` || g.Attempts != 1 {
		t.Errorf("claimed %+v, want id > 0, kind test.kind, key sooner, its payload, attempt 1", g)
	}
	checkTime(t, "claimed Due", g.Due, at.Add(5*time.Minute))
	if got := must(s.ClaimDueTimers(t.Context(), at.Add(time.Hour), lease, 0))(t); len(got) != 0 {
		t.Errorf("a claim with limit 0 gave %q", keys(got))
	}
	if err := s.ScheduleTimer(t.Context(), bot.Timer{Kind: "k", Due: at}); err == nil {
		t.Error("ScheduleTimer without a key succeeded")
	}
}

func testTimerUpsert(t *testing.T, s store.Store) {
	at := base()
	schedule(t, s, "crisis:3:checkin", at.Add(15*time.Minute))
	moved := bot.Timer{Kind: "crisis.checkin", Key: "crisis:3:checkin", Due: at.Add(30 * time.Minute), Payload: `{"n":2}`}
	if err := s.ScheduleTimer(t.Context(), moved); err != nil {
		t.Fatal(err)
	}
	checkNext(t, s, at.Add(30*time.Minute))
	if got := claim(t, s, at.Add(15*time.Minute), 10); len(got) != 0 {
		t.Errorf("claimed %q at the old due time", keys(got))
	}
	got := claim(t, s, at.Add(30*time.Minute), 10)
	if len(got) != 1 || got[0].Kind != "crisis.checkin" || got[0].Payload != `{"n":2}` {
		t.Fatalf("claimed %+v, want the one moved timer with its new kind and payload", got)
	}
}

// testTimersWithAChange: the timers stored with a change (here a listening
// save) are all armed, a key given twice as its last timer.
func testTimersWithAChange(t *testing.T, s store.Store) {
	at := base()
	timer := func(key string, due time.Duration, payload string) bot.Timer {
		return bot.Timer{Kind: "test.kind", Key: key, Due: at.Add(due), Payload: payload}
	}
	p := store.ListeningPoint{Source: "meltwater", Brand: "acme", Mentions: 5,
		WindowStart: at.Add(-time.Hour), WindowEnd: at, ReceivedAt: at}
	ts := []bot.Timer{timer("a", time.Minute, `{"n":1}`), timer("b", 2*time.Minute, `{}`), timer("a", 3*time.Minute, `{"n":2}`)}
	if _, err := s.SaveListeningPoints(t.Context(), []store.ListeningPoint{p}, ts); err != nil {
		t.Fatal(err)
	}
	checkNext(t, s, at.Add(2*time.Minute))
	got := claim(t, s, at.Add(time.Hour), 10)
	if fmt.Sprint(keys(got)) != "[b a]" {
		t.Fatalf("claimed %q, want [b a]", keys(got))
	}
	if got[1].Payload != `{"n":2}` {
		t.Errorf("timer a has payload %s, want the last one given", got[1].Payload)
	}
	checkTime(t, "timer a due", got[1].Due, at.Add(3*time.Minute))
}

func testTimerCancel(t *testing.T, s store.Store) {
	at := base()
	schedule(t, s, "a", at)
	schedule(t, s, "b", at)
	if err := s.CancelTimer(t.Context(), "a"); err != nil {
		t.Fatal(err)
	}
	if err := s.CancelTimer(t.Context(), "never-scheduled"); err != nil {
		t.Errorf("cancelling an unknown timer: %v", err)
	}
	checkStrings(t, "claimed after cancelling a", keys(claim(t, s, at, 10)), []string{"b"})
	schedule(t, s, "a", at.Add(time.Minute))
	checkStrings(t, "claimed after scheduling a again", keys(claim(t, s, at.Add(time.Minute), 10)), []string{"a"})
}

func testTimerClaimOrder(t *testing.T, s store.Store) {
	at := base()
	for _, i := range []int{3, 1, 5, 2, 4} {
		schedule(t, s, fmt.Sprintf("t%d", i), at.Add(time.Duration(i)*time.Minute))
	}
	now := at.Add(10 * time.Minute)
	checkStrings(t, "first batch", keys(claim(t, s, now, 3)), []string{"t1", "t2", "t3"})
	checkStrings(t, "second batch", keys(claim(t, s, now, 3)), []string{"t4", "t5"})
	checkStrings(t, "third batch", keys(claim(t, s, now, 3)), nil)
}

func testTimerLease(t *testing.T, s store.Store) {
	at := base()
	schedule(t, s, "a", at)
	first := claim(t, s, at, 10)
	if len(first) != 1 || first[0].Attempts != 1 {
		t.Fatalf("first claim = %+v, want a at attempt 1", first)
	}
	if got := claim(t, s, at.Add(lease-time.Second), 10); len(got) != 0 {
		t.Errorf("claimed %q again during its lease", keys(got))
	}
	checkNext(t, s, at.Add(lease))
	again := claim(t, s, at.Add(lease), 10)
	if len(again) != 1 || again[0].ID != first[0].ID || again[0].Attempts != 2 {
		t.Fatalf("claim after the lease ran out = %+v, want a again at attempt 2", again)
	}
}

func testTimerComplete(t *testing.T, s store.Store) {
	at := base()
	schedule(t, s, "a", at)
	got := claim(t, s, at, 10)
	if err := s.CompleteTimers(t.Context(), at.Add(time.Second), got[0]); err != nil {
		t.Fatal(err)
	}
	checkNext(t, s, time.Time{})
	if again := claim(t, s, at.Add(time.Hour), 10); len(again) != 0 {
		t.Errorf("claimed %q after it fired", keys(again))
	}
	// A fired timer's key is free for a new one.
	schedule(t, s, "a", at.Add(time.Hour))
	next := claim(t, s, at.Add(time.Hour), 10)
	if len(next) != 1 || next[0].ID == got[0].ID || next[0].Attempts != 1 {
		t.Errorf("claimed %+v, want a new timer a at attempt 1", next)
	}
}

// testTimerCompleteBatch completes claimed timers together: each fires,
// except the one rescheduled meanwhile, which keeps its new due time.
func testTimerCompleteBatch(t *testing.T, s store.Store) {
	at := base()
	for _, key := range []string{"a", "b", "c", "d"} {
		schedule(t, s, key, at)
	}
	got := claim(t, s, at, 10)
	if len(got) != 4 {
		t.Fatalf("claimed %q, want a to d", keys(got))
	}
	schedule(t, s, "c", at.Add(time.Hour))
	if err := s.CompleteTimers(t.Context(), at.Add(time.Second), got...); err != nil {
		t.Fatal(err)
	}
	if err := s.CompleteTimers(t.Context(), at.Add(time.Second)); err != nil {
		t.Errorf("completing no timers: %v", err)
	}
	checkNext(t, s, at.Add(time.Hour))
	if again := claim(t, s, at.Add(time.Hour), 10); len(again) != 1 || again[0].Key != "c" || again[0].Attempts != 1 {
		t.Errorf("claimed %+v after completing the batch, want only the rescheduled c", again)
	}
}

func testTimerRetry(t *testing.T, s store.Store) {
	at := base()
	schedule(t, s, "a", at)
	got := claim(t, s, at, 10)
	if err := s.RetryTimer(t.Context(), got[0].ID, at.Add(5*time.Minute), "chat is down"); err != nil {
		t.Fatal(err)
	}
	checkNext(t, s, at.Add(5*time.Minute))
	if again := claim(t, s, at.Add(4*time.Minute), 10); len(again) != 0 {
		t.Errorf("claimed %q before its retry time", keys(again))
	}
	again := claim(t, s, at.Add(5*time.Minute), 10)
	if len(again) != 1 || again[0].ID != got[0].ID || again[0].Attempts != 2 {
		t.Fatalf("claim at the retry time = %+v, want a again at attempt 2", again)
	}
	checkTime(t, "Due after retry", again[0].Due, at.Add(5*time.Minute))
}

// testTimerRescheduledWhileClaimed covers a handler that books its own next
// run under the same key: completing (or retrying) the claimed run must not
// lose the new one.
func testTimerRescheduledWhileClaimed(t *testing.T, s store.Store) {
	at := base()
	schedule(t, s, "checkin", at)
	got := claim(t, s, at, 10)
	schedule(t, s, "checkin", at.Add(15*time.Minute))
	if err := s.CompleteTimers(t.Context(), at.Add(time.Second), got[0]); err != nil {
		t.Fatal(err)
	}
	checkNext(t, s, at.Add(15*time.Minute))
	if err := s.RetryTimer(t.Context(), got[0].ID, at.Add(time.Minute), "late failure"); err != nil {
		t.Fatal(err)
	}
	checkNext(t, s, at.Add(15*time.Minute))
	next := claim(t, s, at.Add(15*time.Minute), 10)
	if len(next) != 1 || next[0].Key != "checkin" || next[0].Attempts != 1 {
		t.Fatalf("claim at the new due time = %+v, want checkin at attempt 1", next)
	}
}

// testTimerReclaimedBeforeCompletion: a timer fired here is rescheduled
// before its completion is written, and claimed again (by another replica)
// meanwhile. The late completion must not mark that newer run as fired.
func testTimerReclaimedBeforeCompletion(t *testing.T, s store.Store) {
	at := base()
	schedule(t, s, "checkin", at)
	first := claim(t, s, at, 10)
	schedule(t, s, "checkin", at.Add(time.Second))
	second := claim(t, s, at.Add(2*time.Second), 10)
	if len(first) != 1 || len(second) != 1 || second[0].ID != first[0].ID {
		t.Fatalf("claims %+v then %+v, want the same row twice", first, second)
	}
	if err := s.CompleteTimers(t.Context(), at.Add(3*time.Second), first[0]); err != nil {
		t.Fatal(err)
	}
	// Still claimed by the second claim, and pending after its lease.
	if again := claim(t, s, at.Add(time.Hour), 10); len(again) != 1 || again[0].Key != "checkin" {
		t.Fatalf("claimed %+v after the lease, want the rescheduled checkin: the late completion marked it", again)
	}
	if err := s.CompleteTimers(t.Context(), at.Add(time.Hour), second[0]); err != nil {
		t.Fatal(err)
	}
}

func testTimerCancelledWhileClaimed(t *testing.T, s store.Store) {
	at := base()
	schedule(t, s, "a", at)
	got := claim(t, s, at, 10)
	if err := s.CancelTimer(t.Context(), "a"); err != nil {
		t.Fatal(err)
	}
	if err := s.CompleteTimers(t.Context(), at.Add(time.Second), got[0]); err != nil {
		t.Errorf("completing a cancelled timer: %v", err)
	}
	checkNext(t, s, time.Time{})
}

// testTimerConcurrentClaims has several claimers race for the same due
// timers: each timer must be handed out exactly once.
func testTimerConcurrentClaims(t *testing.T, s store.Store) {
	const timers, claimers, batch = 60, 4, 3
	at := base()
	for i := range timers {
		schedule(t, s, fmt.Sprintf("t%02d", i), at)
	}
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for range claimers {
		wg.Go(func() {
			for {
				got, err := s.ClaimDueTimers(t.Context(), at.Add(time.Minute), lease, batch)
				if err != nil {
					t.Errorf("ClaimDueTimers: %v", err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, timer := range got {
					seen[timer.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != timers {
		t.Errorf("%d distinct timers claimed, want %d", len(seen), timers)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("timer %d claimed %d times", id, n)
		}
	}
}

func testTimerPrune(t *testing.T, s store.Store) {
	at := base()
	schedule(t, s, "old", at)
	schedule(t, s, "pending", at.Add(48*time.Hour))
	got := claim(t, s, at, 10)
	if err := s.CompleteTimers(t.Context(), at, got[0]); err != nil {
		t.Fatal(err)
	}
	if n := must(s.PruneTimers(t.Context(), at))(t); n != 0 {
		t.Errorf("pruned %d timers fired at the cut-off, want 0", n)
	}
	if n := must(s.PruneTimers(t.Context(), at.Add(time.Hour)))(t); n != 1 {
		t.Errorf("pruned %d timers, want the fired one", n)
	}
	checkNext(t, s, at.Add(48*time.Hour))
}
