package alerts

import (
	"testing"
	"time"
)

// TestArmedLeavesOutTimersStoredAlready: a batch carries the safety timers
// of its minute and hour only until one batch has stored them.
func TestArmedLeavesOutTimersStoredAlready(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 30, 15, 0, time.UTC)
	a := newArmed()
	if got := a.missing(pruneTimer(now), sweepTimer(now)); len(got) != 2 {
		t.Fatalf("first batch: %d timers, want both", len(got))
	}
	a.stored(a.missing(sweepTimer(now)))
	got := a.missing(pruneTimer(now), sweepTimer(now.Add(30*time.Second)))
	if len(got) != 1 || got[0].Kind != timerPrune {
		t.Fatalf("same minute after the sweep was stored: %+v, want the prune timer alone", got)
	}
	if got := a.missing(sweepTimer(now.Add(time.Minute))); len(got) != 1 {
		t.Errorf("next minute: %d timers, want its sweep", len(got))
	}
}
