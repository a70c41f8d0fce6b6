package accounts_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/store/storetest"
)

// TestReplicasSendEachReviewOnce runs two bots over one PostgreSQL
// database: every review DM, reminder and escalation goes out once.
func TestReplicasSendEachReviewOnce(t *testing.T) {
	url := storetest.PostgresURL(t)
	h0, _ := newHarness(t, commandstest.WithDatabase(url))
	h1, _ := newHarness(t, commandstest.WithDatabase(url))
	rs := []*commandstest.Harness{h0, h1}
	const n = 6
	for i := range n {
		rs[i%2].Say(fmt.Sprintf("/accounts add instagram acme%d --brand acme --owner @dana", i)).Contains(t, "added")
	}
	for _, at := range []time.Duration{13*7*day + time.Hour, 13*7*day + 7*day + 2*time.Hour, 13*7*day + 14*day + 3*time.Hour} {
		var wg sync.WaitGroup
		for _, h := range rs {
			h.Clock.Set(commandstest.Start.Add(at))
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
	var reviews, escalations int
	for _, h := range rs {
		reviews += len(dms(h, "dana"))
		escalations += len(posts(h, "#it-security"))
	}
	if reviews != 2*n || escalations != n {
		t.Errorf("sent %d review DMs and reminders (want %d) and %d escalations (want %d)", reviews, 2*n, escalations, n)
	}
}
