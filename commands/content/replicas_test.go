package content_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/store/storetest"
)

// replicas are two bots over one PostgreSQL database, each with its own
// connection pool, router, coordination, scheduler, clock and chat.
func replicas(t *testing.T) [2]*commandstest.Harness {
	url := storetest.PostgresURL(t)
	return [2]*commandstest.Harness{newHarness(t, commandstest.WithDatabase(url)), newHarness(t, commandstest.WithDatabase(url))}
}

// both runs f on each replica at once.
func both(rs [2]*commandstest.Harness, f func(h *commandstest.Harness)) {
	var wg sync.WaitGroup
	for _, h := range rs {
		wg.Go(func() { f(h) })
	}
	wg.Wait()
}

func TestReplicasCountTheSameApprovalOnce(t *testing.T) {
	rs := replicas(t)
	rs[0].Say("@priya /content submit Launch --link https://cms.example.com/1 --sensitivity high").Contains(t, "Content #1 submitted")
	results := make(chan commandstest.Result, 2)
	both(rs, func(h *commandstest.Harness) { results <- h.Say("@sam /content approve 1") })
	close(results)
	var passed, refused int
	for r := range results {
		switch {
		case r.Err == nil && strings.Contains(r.Text(), "Stage comms of content #1 passed"):
			passed++
		case bot.IsCode(r.Err, bot.EConflict):
			refused++
		default:
			t.Errorf("unexpected answer: %v %s", r.Err, r.Text())
		}
	}
	if passed != 1 || refused != 1 {
		t.Fatalf("passed %d, refused %d; want one of each", passed, refused)
	}
	answers, err := rs[1].Store.ContentAnswers(context.Background(), 1)
	if err != nil || len(answers) != 1 {
		t.Fatalf("answers = %+v (err %v), want one", answers, err)
	}
	asked := 0
	for _, h := range rs {
		asked += len(dms(h, "dana"))
	}
	if asked != 1 {
		t.Errorf("legal was asked %d times, want once", asked)
	}
}

func TestReplicasFireEveryReminderOnce(t *testing.T) {
	rs := replicas(t)
	const items = 4
	for i := range items {
		rs[i%2].Say("@priya /content submit Post --link https://cms.example.com/x --sensitivity medium")
	}
	// comms has 8h: reminders at 4h, escalations (to the social lead) at 8h.
	for _, at := range []time.Duration{4*time.Hour + time.Minute, 8*time.Hour + time.Minute, 30 * time.Hour} {
		for _, h := range rs {
			h.Clock.Set(commandstest.Start.Add(at))
		}
		both(rs, func(h *commandstest.Harness) {
			for range 3 {
				if _, err := h.Deps.Scheduler.FireDue(context.Background()); err != nil {
					t.Error(err)
				}
			}
		})
	}
	count := func(person, part string) int {
		n := 0
		for _, h := range rs {
			for _, m := range dms(h, person) {
				if strings.Contains(m, part) {
					n++
				}
			}
		}
		return n
	}
	if n := count("sam", "⏰ Reminder"); n != items {
		t.Errorf("%d reminders for %d items", n, items)
	}
	if n := count("alex", "🚨"); n != items {
		t.Errorf("%d escalations for %d items", n, items)
	}
	trail, err := rs[0].Store.ContentTrail(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	reminded := 0
	for _, e := range trail {
		if e.Action == "reminded" {
			reminded++
		}
	}
	if reminded != 1 {
		t.Errorf("item #1 was reminded %d times", reminded)
	}
}
