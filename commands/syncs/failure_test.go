package syncs_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/role"
	"github.com/interlock-coe/interlock/commands/syncs"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// flakyTimers is the embedded store's timer table, refusing the next fail
// timers it is asked to schedule.
type flakyTimers struct {
	bot.TimerStore
	mu   sync.Mutex
	fail int
}

func (f *flakyTimers) failNext(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = n
}

func (f *flakyTimers) ScheduleTimer(ctx context.Context, t bot.Timer) error {
	f.mu.Lock()
	fail := f.fail > 0
	if fail {
		f.fail--
	}
	f.mu.Unlock()
	if fail {
		return errors.New("database hiccup")
	}
	return f.TimerStore.ScheduleTimer(ctx, t)
}

// newFlakyHarness runs /sync with a scheduler over flakyTimers.
func newFlakyHarness(t *testing.T) (*commandstest.Harness, *flakyTimers) {
	t.Helper()
	timers := &flakyTimers{}
	var scheduler *bot.Scheduler
	register := func(r *bot.Router, d commands.Deps) {
		timers.TimerStore = d.Store
		scheduler = bot.NewScheduler(timers, d.Clock, d.Log)
		d.Scheduler = scheduler
		syncs.Register(r, d)
	}
	h := commandstest.New(t, []commandstest.Register{role.Register, register})
	h.Deps.Scheduler = scheduler // Advance fires the syncs' timers
	say(t, h, "/role assign customer-care @lee")
	return h, timers
}

// TestAddThatCannotArmItsTimersCanBeRetried: a sync without timers would
// never meet, and the retry would be refused as a duplicate.
func TestAddThatCannotArmItsTimersCanBeRetried(t *testing.T) {
	h, timers := newFlakyHarness(t)
	timers.failNext(1)
	if r := h.Say("/sync add customer-care"); r.Err == nil {
		t.Fatalf("/sync add succeeded without its timers: %s", r.Text())
	}
	h.Say("/sync list").Contains(t, "No standing syncs")
	h.Say("/sync add customer-care").Contains(t, "Sync #2 — Customer Care × social team")
	advanceTo(h, utc(2026, 11, 30, 14, 0))
	if got := posts(h, care); len(got) != 1 || !strings.Contains(got[0], "*Agenda") {
		t.Errorf("posts in %s = %q, want the agenda", care, got)
	}
}

// TestSkipThatCannotRearmStillHoldsAndTheTimersFollow: the skip is saved
// once (a retry must not skip a second month), and the timers left on the
// skipped occurrence move to the next one when they fire.
func TestSkipThatCannotRearmStillHoldsAndTheTimersFollow(t *testing.T) {
	h, timers := newFlakyHarness(t)
	say(t, h, "/sync add customer-care")
	timers.failNext(1)
	h.Say("/sync skip 1").Contains(t, "skips Tue 01 Dec 2026 15:00 CET; next is Tue 05 Jan 2027 15:00 CET")
	advanceTo(h, utc(2026, 12, 2, 0, 0))
	if got := posts(h, care); len(got) != 1 || !strings.Contains(got[0], "skips") {
		t.Fatalf("posts in %s = %q, want only the skip notice", care, got)
	}
	h.Say("/sync list").Contains(t, "next Tue 05 Jan 2027 15:00 CET")
	advanceTo(h, utc(2027, 1, 4, 14, 0))
	got := posts(h, care)
	if len(got) != 2 || !strings.Contains(got[1], "Agenda — Customer Care × social team sync, Tue 05 Jan 2027 15:00 CET") {
		t.Fatalf("posts in %s = %q, want the January agenda", care, got)
	}
	advanceTo(h, utc(2027, 1, 5, 14, 0))
	if got := posts(h, care); len(got) != 3 || !strings.Contains(got[2], "starts now") {
		t.Errorf("posts in %s = %q, want the January reminder", care, got)
	}
}

// TestTimersRepairASyncLeftOnAPastDate: when the stored date and the timers
// disagree and the stored date has passed (a lost update), the sync moves to
// its next occurrence instead of falling silent for good.
func TestTimersRepairASyncLeftOnAPastDate(t *testing.T) {
	h := newHarness(t)
	say(t, h, "/sync add customer-care")
	sy, err := h.Store.Sync(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	sy.NextAt, sy.FacilitatorTurn = commandstest.Start.Add(-48*time.Hour), 0
	if _, err := h.Store.SaveSyncProgress(t.Context(), sy); err != nil {
		t.Fatal(err)
	}
	advanceTo(h, utc(2026, 11, 30, 14, 0))
	got := posts(h, care)
	if len(got) != 1 || !strings.Contains(got[0], "Agenda — Customer Care × social team sync, Tue 01 Dec 2026 15:00 CET") {
		t.Fatalf("posts in %s = %q, want the December agenda", care, got)
	}
	advanceTo(h, utc(2026, 12, 1, 14, 0))
	if got := posts(h, care); len(got) != 2 || !strings.Contains(got[1], "starts now") {
		t.Errorf("posts in %s = %q, want the December reminder", care, got)
	}
}

// buckets answers every KPI with the same month.
type buckets struct{ b store.KPIBucket }

func (r buckets) KPIBuckets(context.Context, store.KPIFilter, []time.Time) ([]store.KPIBucket, error) {
	return []store.KPIBucket{r.b}, nil
}

// TestStoredKPIsSayWhichWayATargetIsMissed: a lower-is-better KPI over its
// target is above it, not below.
func TestStoredKPIsSayWhichWayATargetIsMissed(t *testing.T) {
	kpis := []config.KPI{
		{ID: "cost", Name: "Cost per lead", Formula: "value", Aggregate: "mean", Unit: "EUR", Better: "lower", Target: 4, Source: "data"},
		{ID: "leads", Name: "Leads", Formula: "value", Aggregate: "sum", Better: "higher", Target: 20, Source: "data"},
	}
	report := syncs.StoredKPIs{Points: buckets{store.KPIBucket{Points: 2, Values: 2, Sum: 12}}, KPIs: kpis}
	got, err := report.KPISummary(t.Context(), "sales", utc(2026, 11, 1, 0, 0), utc(2026, 12, 1, 0, 0))
	want := []string{"Cost per lead: 6 EUR (target 4 EUR, ✗ above target)", "Leads: 12 (target 20, ✗ below target)", "more with /kpi"}
	if err != nil || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("KPISummary = %q, %v\nwant %q", got, err, want)
	}
}

// TestAddSoonerThanTheAgendaLeadSaysTheAgendaComesNow: a sync whose first
// occurrence is less than a day away gets its agenda at once, not "posted"
// at a time already gone.
func TestAddSoonerThanTheAgendaLeadSaysTheAgendaComesNow(t *testing.T) {
	h := newHarness(t)
	h.Clock.Set(utc(2026, 12, 1, 9, 0))
	h.Say("/sync add customer-care").Contains(t, "Next: Tue 01 Dec 2026 15:00 CET; the agenda is posted now.")
	h.Advance(0)
	if got := posts(h, care); len(got) != 1 || !strings.Contains(got[0], "*Agenda") {
		t.Errorf("posts in %s = %q, want the agenda at once", care, got)
	}
}
