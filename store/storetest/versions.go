package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// versionTests check optimistic concurrency: of two writers that read the
// same version, one wins and the other gets store.ErrStale.
func versionTests() []test {
	return []test{
		{"CrisisTwoWritersOneWins", testCrisisTwoWriters},
		{"CrisisConcurrentWritersOneWins", testCrisisConcurrentWriters},
		{"CrisisUpdateWritesExtrasOnlyWithTheChange", testCrisisUpdateExtras},
		{"SyncTwoWritersOneWins", testSyncTwoWriters},
		{"ExperimentConcurrentMovesOneWins", testExperimentConcurrentMoves},
	}
}

func checkStale(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, store.ErrStale) || !bot.IsCode(err, bot.EConflict) {
		t.Errorf("%s: got %v (code %s), want store.ErrStale with code %s", what, err, bot.ErrorCode(err), bot.EConflict)
	}
}

func testCrisisTwoWriters(t *testing.T, s store.Store) {
	ctx, at := t.Context(), base()
	read := openCrisis(t, s, newCrisis("acme", "Checkout outage", at))
	resolve, sev := read, read
	resolve.Status, resolve.ResolvedAt, resolve.ResolvedBy = store.CrisisResolved, at.Add(time.Hour), "dana"
	sev.Severity = "sev3"

	won := must(s.UpdateCrisis(ctx, store.CrisisUpdate{Crisis: resolve}))(t)
	if won.Version <= read.Version {
		t.Errorf("version after a write = %d, want more than %d", won.Version, read.Version)
	}
	_, err := s.UpdateCrisis(ctx, store.CrisisUpdate{Crisis: sev})
	checkStale(t, "second writer from the same version", err)
	checkStale(t, "SaveCrisis from the same version", s.SaveCrisis(ctx, sev))

	got := must(s.Crisis(ctx, read.ID))(t)
	if got.Status != store.CrisisResolved || got.Severity != "sev2" || got.Version != won.Version {
		t.Errorf("stored %s|%s v%d, want the winner's resolved|sev2 v%d", got.Status, got.Severity, got.Version, won.Version)
	}
	// Reading again and re-applying works.
	got.Summary = "done"
	if err := s.SaveCrisis(ctx, got); err != nil {
		t.Errorf("write from the current version: %v", err)
	}
	missing := got
	missing.ID = got.ID + 100
	_, err = s.UpdateCrisis(ctx, store.CrisisUpdate{Crisis: missing})
	checkCode(t, "UpdateCrisis of no crisis", err, bot.ENotFound)
}

func testCrisisConcurrentWriters(t *testing.T, s store.Store) {
	read := openCrisis(t, s, newCrisis("acme", "Checkout outage", base()))
	const n = 8
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		won, lost int
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := read
			c.Summary = string(rune('a' + i))
			_, err := s.UpdateCrisis(t.Context(), store.CrisisUpdate{Crisis: c})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won++
			case errors.Is(err, store.ErrStale):
				lost++
			default:
				t.Errorf("concurrent write: %v", err)
			}
		}()
	}
	wg.Wait()
	if won != 1 || lost != n-1 {
		t.Errorf("%d writers from one version: %d won, %d got ErrStale; want 1 and %d", n, won, lost, n-1)
	}
}

func testCrisisUpdateExtras(t *testing.T, s store.Store) {
	ctx, at := t.Context(), base()
	read := openCrisis(t, s, newCrisis("acme", "Checkout outage", at))
	must(0, s.ScheduleTimer(ctx, bot.Timer{Kind: "crisis.checkin", Key: "checkin", Due: at.Add(time.Hour), Payload: "{}"}))(t)
	sev := read
	sev.Severity = "sev1"
	must(s.UpdateCrisis(ctx, store.CrisisUpdate{
		Crisis:   sev,
		Timeline: []store.TimelineEntry{{At: at, Actor: "dana", Kind: "sev", Text: "sev2 → sev1"}},
		Schedule: []bot.Timer{{Kind: "crisis.checkin", Key: "checkin", Due: at.Add(15 * time.Minute), Payload: "{}"}},
	}))(t)

	// The loser writes none of its timeline, decisions or timer changes.
	resolve := read
	resolve.Status = store.CrisisResolved
	_, err := s.UpdateCrisis(ctx, store.CrisisUpdate{
		Crisis:    resolve,
		Timeline:  []store.TimelineEntry{{At: at, Actor: "lee", Kind: "resolved", Text: "resolved"}},
		Decisions: []store.Decision{{Kind: store.KindCrisis, Text: "resolved", Actor: "lee", CrisisID: read.ID, At: at}},
		Cancel:    []string{"checkin"},
	})
	checkStale(t, "resolve from a stale version", err)
	tl := must(s.Timeline(ctx, read.ID))(t)
	if len(tl) != 1 || tl[0].Kind != "sev" {
		t.Errorf("timeline %+v, want only the winner's sev entry", tl)
	}
	if ds := must(s.ListDecisions(ctx, store.DecisionQuery{CrisisID: read.ID}))(t); len(ds) != 0 {
		t.Errorf("decisions %+v, want none from the loser", ds)
	}
	if due, ok, _ := s.NextTimerDue(ctx); !ok {
		t.Error("no check-in pending, want the winner's")
	} else {
		checkTime(t, "check-in due", due, at.Add(15*time.Minute))
	}

	// Re-read and retried, the resolve cancels the timer with the change.
	cur := must(s.Crisis(ctx, read.ID))(t)
	cur.Status = store.CrisisResolved
	must(s.UpdateCrisis(ctx, store.CrisisUpdate{Crisis: cur, Cancel: []string{"checkin"},
		Decisions: []store.Decision{{Kind: store.KindCrisis, Text: "resolved", Actor: "lee", CrisisID: read.ID, At: at}}}))(t)
	if _, ok, _ := s.NextTimerDue(ctx); ok {
		t.Error("a timer is pending after the resolve cancelled it")
	}
	if ds := must(s.ListDecisions(ctx, store.DecisionQuery{CrisisID: read.ID}))(t); len(ds) != 1 {
		t.Errorf("%d decisions, want the resolve's one", len(ds))
	}
}

func testSyncTwoWriters(t *testing.T, s store.Store) {
	ctx, at := t.Context(), base()
	read := must(s.CreateSync(ctx, newSync("legal", at)))(t)
	skip, agenda := read, read
	skip.NextAt = read.NextAt.Add(28 * 24 * time.Hour)
	agenda.FacilitatorTurn++
	won := must(s.SaveSyncProgress(ctx, agenda))(t)
	if won.Version <= read.Version || won.FacilitatorTurn != read.FacilitatorTurn+1 {
		t.Errorf("after a write: version %d turn %d, want more than %d and %d", won.Version, won.FacilitatorTurn, read.Version, read.FacilitatorTurn+1)
	}
	_, err := s.SaveSyncProgress(ctx, skip)
	checkStale(t, "second writer from the same version", err)
	got := must(s.Sync(ctx, read.ID))(t)
	checkTime(t, "NextAt after the lost write", got.NextAt, read.NextAt)
	if got.FacilitatorTurn != won.FacilitatorTurn {
		t.Errorf("FacilitatorTurn = %d, want the winner's %d", got.FacilitatorTurn, won.FacilitatorTurn)
	}
}

// testExperimentConcurrentMoves checks that tests move by conditional
// updates: of concurrent picks of one proposed test, and then concurrent
// starts of the picked one, exactly one wins and the others get EConflict.
func testExperimentConcurrentMoves(t *testing.T, s store.Store) {
	at := base()
	e := proposeExperiment(t, s, "Reels hooks", at)
	moves := map[string]func(i int) error{
		"pick": func(i int) error {
			_, err := s.PickExperiment(t.Context(), store.ExperimentPick{ID: e.ID, Owner: string(rune('a' + i)), By: "x", At: at, Turn: -1})
			return err
		},
		"start": func(int) error { _, err := s.StartExperiment(t.Context(), e.ID, at); return err },
	}
	for _, name := range []string{"pick", "start"} {
		const n = 6
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { errs[i] = moves[name](i) })
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !bot.IsCode(err, bot.EConflict):
				t.Errorf("concurrent %s: %v, want success or %s", name, err, bot.EConflict)
			}
		}
		if won != 1 {
			t.Errorf("%d of %d concurrent %ss won, want 1", won, n, name)
		}
	}
}
