package request_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/store/storetest"
)

// TestReplicasFireEveryRequestTimerOnce runs two bots over one PostgreSQL
// database, firing due timers on both at once: each request's reminder and
// late note go out once, and the week's capacity is never overbooked.
func TestReplicasFireEveryRequestTimerOnce(t *testing.T) {
	url := storetest.PostgresURL(t)
	rs := [2]*commandstest.Harness{newHarness(t, commandstest.WithDatabase(url)), newHarness(t, commandstest.WithDatabase(url))}
	var wg sync.WaitGroup
	for _, h := range rs { // a harness says one line at a time
		wg.Go(func() {
			h.Say("@priya " + report)
			h.Say("@omar " + report)
		})
	}
	wg.Wait()
	queued := 0
	for _, h := range rs {
		for _, p := range events(h, "post", "#social-team") {
			queued += strings.Count(p, "Queued to the week of")
		}
	}
	if queued != 1 {
		t.Errorf("%d of 4 requests queued with capacity 3, want 1", queued)
	}
	// Due Thu 26 Nov 18:00 (the queued one Wed 2 Dec): reminders the
	// business day before, late notes at the due time.
	for _, when := range []string{"2026-11-25 18:01", "2026-11-26 18:01", "2026-12-01 18:01", "2026-12-02 18:01", "2026-12-10 09:00"} {
		for _, h := range rs {
			h.Clock.Set(at(t, when))
		}
		for _, h := range rs {
			wg.Go(func() {
				for range 3 {
					if _, err := h.Deps.Scheduler.FireDue(context.Background()); err != nil {
						t.Error(err)
					}
				}
			})
		}
		wg.Wait()
	}
	var reminders, late int
	for _, h := range rs {
		for _, p := range events(h, "post", "#social-team") {
			reminders += strings.Count(p, "⏰ Reminder")
			late += strings.Count(p, "is late")
		}
	}
	if reminders != 4 || late != 4 {
		t.Errorf("%d reminders and %d late notes for 4 requests, want 4 of each", reminders, late)
	}
}
