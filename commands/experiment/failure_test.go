package experiment_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/experiment"
	"github.com/interlock-coe/interlock/commands/role"
	"github.com/interlock-coe/interlock/store"
)

// flakySheet is the embedded store with the sheet's bookkeeping failing on
// demand.
type flakySheet struct {
	experiment.Store
	failState, failNextPick bool
}

var errHiccup = errors.New("database hiccup")

func (f *flakySheet) SheetState(ctx context.Context) (store.SheetState, error) {
	if f.failState {
		return store.SheetState{}, errHiccup
	}
	return f.Store.SheetState(ctx)
}

func (f *flakySheet) SetNextPick(ctx context.Context, at time.Time) error {
	if f.failNextPick {
		return errHiccup
	}
	return f.Store.SetNextPick(ctx, at)
}

func newFlakyHarness(t *testing.T) (*commandstest.Harness, *flakySheet) {
	t.Helper()
	sheet := &flakySheet{}
	register := func(r *bot.Router, d commands.Deps) {
		sheet.Store = d.Store
		experiment.RegisterWith(r, d, sheet)
	}
	return commandstest.New(t, []commandstest.Register{role.Register, register}), sheet
}

// TestProposalIsKeptWhenThePickCannotBeArmed: the proposal is stored before
// the monthly pick is armed, so failing the command would make the platform's
// retry store it twice.
func TestProposalIsKeptWhenThePickCannotBeArmed(t *testing.T) {
	h, sheet := newFlakyHarness(t)
	sheet.failState = true
	h.Say("@dana /test propose Question hooks").Contains(t, "Test #1 proposed by @dana")
	sheet.failState = false
	h.Say("/test list").Contains(t, "Testing sheet (1):")
	// The next proposal arms the pick.
	say(t, h, "@sam /test propose Emoji in CTA", "@lee /test vote 2")
	h.Advance(8 * 24 * time.Hour)
	if got := posts(h, announce); len(got) != 1 || !strings.Contains(got[0], "Test #2 picked") {
		t.Errorf("announcements = %q, want the monthly pick of #2", got)
	}
}

// TestMonthlyPickIsAnnouncedOnceWhenItsBookkeepingFails: the pick re-arms
// itself after announcing; a failure to record when it is armed for must not
// make it announce the same pick twice.
func TestMonthlyPickIsAnnouncedOnceWhenItsBookkeepingFails(t *testing.T) {
	h, sheet := newFlakyHarness(t)
	say(t, h, "@dana /test propose Question hooks")
	sheet.failNextPick = true
	h.Advance(8*24*time.Hour + time.Hour)
	if got := posts(h, announce); len(got) != 1 || !strings.Contains(got[0], "Test #1 picked") {
		t.Errorf("announcements = %q, want the pick announced once", got)
	}
}

// TestPickByHandRightAfterTheMonthlyPickAcrossDaylightSaving: the window
// "since the previous monthly pick" starts at the previous pick's local time
// (10:00 CEST = 08:00 UTC on 1 October), not a month of UTC back from this
// one (09:00 UTC), so a test picked by hand at 08:30 UTC counts.
func TestPickByHandRightAfterTheMonthlyPickAcrossDaylightSaving(t *testing.T) {
	h := newHarness(t)
	h.Clock.Set(time.Date(2026, 9, 20, 9, 0, 0, 0, time.UTC))
	proposeThree(t, h)
	h.Advance(time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC).Sub(h.Clock.Now()))
	if got := posts(h, announce); len(got) != 1 || !strings.Contains(got[0], "Test #2 picked") {
		t.Fatalf("October's announcements = %q, want the pick of #2", got)
	}
	h.Advance(30 * time.Minute)
	say(t, h, "/test pick 3")
	h.Advance(time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC).Sub(h.Clock.Now()))
	if got := posts(h, announce); len(got) != 1 {
		t.Errorf("announcements = %q; November's pick should skip after the pick by hand", got)
	}
}

// TestListOfAnEmptyStatusSaysSo: "No tests yet" was wrong when the sheet
// has tests, just none in the status asked for.
func TestListOfAnEmptyStatusSaysSo(t *testing.T) {
	h := newHarness(t)
	say(t, h, "/test propose Short captions")
	h.Say("/test list --status running").Contains(t, "No running tests. See every test with /test list --status all.")
	h.Say("/test list").Contains(t, "Testing sheet (1):")
}
