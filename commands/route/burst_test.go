package route_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/store"
)

// TestRemindersFiringAtOnceEachPostAndMarkOnce fires the reminders of
// many issues on a running scheduler's concurrent workers, so their reads
// and marks go to the store in groups: each open issue is reminded and
// marked once, and the issue claimed meanwhile is neither.
func TestRemindersFiringAtOnceEachPostAndMarkOnce(t *testing.T) {
	commandstest.EachStore(t, func(t *testing.T, st commandstest.Option) {
		var sched *bot.Scheduler
		f := newFixtureWith(t, 0, func(d commands.Deps) commands.Deps {
			sched = bot.NewScheduler(d.Store, d.Clock, d.Log)
			d.Scheduler = sched
			return d
		}, st)
		f.assignLiaisons(t)
		const issues = 40
		for i := range issues {
			f.Say(fmt.Sprintf("@priya /route sales Order %d never came", i+1))
		}
		f.Say("@sam /route claim 2").Contains(t, "claimed #2")
		f.Clock.Set(f.Clock.Now().Add(31 * time.Minute))
		if err := sched.Start(t.Context(), time.Second); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for f.postsContaining("#sales", "⏰ Reminder") < issues-1 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond) // a reminder too many would show now
		if err := sched.Stop(); err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= issues; i++ {
			want := 1
			if i == 2 {
				want = 0
			}
			if n := f.postsContaining("#sales", fmt.Sprintf("⏰ Reminder: routed issue #%d for", i)); n != want {
				t.Errorf("issue #%d reminded %d times, want %d", i, n, want)
			}
			is, err := f.Store.RoutedIssue(context.Background(), int64(i))
			if err != nil {
				t.Fatal(err)
			}
			status := store.IssueOpen
			if i == 2 {
				status = store.IssueClaimed
			}
			if marked := !is.RemindedAt.IsZero(); marked != (want == 1) || is.Status != status {
				t.Errorf("issue #%d: status %s, reminded at %v", i, is.Status, is.RemindedAt)
			}
		}
	})
}
