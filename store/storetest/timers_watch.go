package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// watch starts s's TimerWatcher and returns the due times it reports, once
// it has said it is watching (its first "look again").
func watch(t *testing.T, s store.Store) <-chan time.Time {
	t.Helper()
	w, ok := s.(bot.TimerWatcher)
	if !ok {
		t.Fatalf("%T does not implement bot.TimerWatcher", s)
	}
	ctx, cancel := context.WithCancel(t.Context())
	got := make(chan time.Time, 100)
	done := make(chan error, 1)
	go func() { done <- w.WatchTimers(ctx, func(due time.Time) { got <- due }) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("WatchTimers returned %v after its context ended, want nil", err)
		}
	})
	if first := next(t, got, "the first wake-up"); !first.IsZero() {
		t.Fatalf("first wake-up told of %v, want the zero time (look again)", first)
	}
	return got
}

// next waits for a told due time; the bound is generous, for a loaded
// machine: the test checks that the signal comes, not how fast.
func next(t *testing.T, got <-chan time.Time, what string) time.Time {
	t.Helper()
	select {
	case due := <-got:
		return due
	case <-time.After(30 * time.Second):
		t.Fatalf("no %s within 30 s", what)
		return time.Time{}
	}
}

func checkTold(t *testing.T, got <-chan time.Time, what string, want time.Time) {
	t.Helper()
	if due := next(t, got, what); !due.Equal(stored(want)) {
		t.Errorf("%s told of %v, want %v", what, due, stored(want))
	}
}

// testTimerWatchScheduled: every timer scheduled, moved or retried is told
// with its due time once committed.
func testTimerWatchScheduled(t *testing.T, s store.Store) {
	got := watch(t, s)
	at := base()
	schedule(t, s, "a", at.Add(time.Hour))
	checkTold(t, got, "scheduling a", at.Add(time.Hour))
	schedule(t, s, "a", at.Add(time.Minute))
	checkTold(t, got, "moving a", at.Add(time.Minute))
	claimed := claim(t, s, at.Add(time.Minute), 10)
	if len(claimed) != 1 {
		t.Fatalf("claimed %q, want [a]", keys(claimed))
	}
	if err := s.RetryTimer(t.Context(), claimed[0].ID, at.Add(5*time.Minute), "chat is down"); err != nil {
		t.Fatal(err)
	}
	checkTold(t, got, "retrying a", at.Add(5*time.Minute))
}

// testTimerWatchEarliestOfTransaction: a change that arms several timers in
// one transaction tells the earliest of them.
func testTimerWatchEarliestOfTransaction(t *testing.T, s store.Store) {
	got := watch(t, s)
	at := base()
	is := store.RoutedIssue{Text: "where is my order?", Department: "customer-care", RoutedBy: "alex",
		Status: store.IssueOpen, ReceivedAt: at, RoutedAt: at, DueAt: at.Add(time.Hour)}
	_, _, err := s.CreateRoutedIssue(t.Context(), is, func(is store.RoutedIssue) []bot.Timer {
		return []bot.Timer{
			{Kind: "route.escalate", Key: "escalate", Due: is.DueAt, Payload: "{}"},
			{Kind: "route.remind", Key: "remind", Due: is.RoutedAt.Add(30 * time.Minute), Payload: "{}"},
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	checkTold(t, got, "routing an issue with two timers", at.Add(30*time.Minute))
}
