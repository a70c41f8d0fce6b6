package alerts_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/commands/alerts"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/store"
)

// ingestHeld holds the first save of calls[0] while the other calls
// arrive, then lets them all go, and returns the saves' sizes, receipts
// and errors.
func ingestHeld(f *fixture, gs *gatedStore, calls [][]store.ListeningPoint) ([]int, []alerts.Receipt, []error) {
	f.t.Helper()
	gs.points.arm()
	receipts := make([]alerts.Receipt, len(calls))
	errs := make([]error, len(calls))
	var wg sync.WaitGroup
	wg.Go(func() { receipts[0], errs[0] = f.l.Ingest(context.Background(), calls[0]) })
	waitFor(f.t, "the first save", func() bool { return len(gs.points.saves()) == 1 })
	for i := 1; i < len(calls); i++ {
		wg.Go(func() { receipts[i], errs[i] = f.l.Ingest(context.Background(), calls[i]) })
	}
	waitFor(f.t, "the other calls to queue", func() bool { return f.l.QueuedSaves() == len(calls)-1 })
	gs.points.release()
	wg.Wait()
	return gs.points.saves(), receipts, errs
}

// TestConcurrentIngestCallsAreSavedTogether holds one save while more
// calls arrive: they are saved as one, each with its own receipt (a window
// sent by two is new for one only), and a series two calls sent is
// judged after the save. A call's bad point makes the merged save fail:
// the calls are then saved apart, and only that call fails.
func TestConcurrentIngestCallsAreSavedTogether(t *testing.T) {
	commandstest.EachStore(t, func(t *testing.T, st commandstest.Option) {
		f, gs := newGatedFixture(t, st)
		f.feed("recall", steady(12)...)
		f.feed("battery", steady(12)...)
		f.Advance(time.Hour)
		now := f.Clock.Now()
		sizes, receipts, errs := ingestHeld(f, gs, [][]store.ListeningPoint{
			{point("recall", now, 400)},
			{point("battery", now, 390), point("recall", now.Add(-30*time.Minute), 200)},
			{point("battery", now.Add(-30*time.Minute), 210), point("battery", now, 390)},
		})
		if len(sizes) != 2 || sizes[1] != 4 {
			t.Errorf("saves of %v points, want 1, then the 4 of two calls at once", sizes)
		}
		// Calls 1 and 2 queue in either order; the battery window both send
		// is new for whichever came first.
		r1, r2 := receipts[1], receipts[2]
		if errs[0] != nil || errs[1] != nil || errs[2] != nil || receipts[0] != (alerts.Receipt{Stored: 1}) ||
			r1.Stored+r2.Stored != 3 || r1.Duplicates+r2.Duplicates != 1 || r1.Stored+r1.Duplicates != 2 || r2.Stored+r2.Duplicates != 2 {
			t.Errorf("receipts %+v, errors %v; want 1 stored, then 3 stored and 1 duplicate between the two others", receipts, errs)
		}
		pending, err := f.Store.UnjudgedSeries(context.Background(), now.Add(time.Hour), 10)
		if err != nil || len(pending) != 0 {
			t.Errorf("unjudged series = %v (err %v), want none", pending, err)
		}

		f.Advance(time.Hour)
		now = f.Clock.Now()
		bad := point("battery", now, 1)
		bad.WindowEnd = bad.WindowStart // refused by the store
		sizes, receipts, errs = ingestHeld(f, gs, [][]store.ListeningPoint{
			{point("recall", now, 400)}, {point("battery", now, 400)}, {bad},
		})
		if len(sizes) != 4 || sizes[1] != 2 {
			t.Errorf("saves of %v points, want 1, then the 2 of two calls (failing), then each apart", sizes)
		}
		if errs[0] != nil || errs[1] != nil || receipts[1] != (alerts.Receipt{Stored: 1}) {
			t.Errorf("good calls beside a bad one: %+v, %v, %v", receipts, errs[0], errs[1])
		}
		if errs[2] == nil {
			t.Error("the call with a bad point did not fail")
		}
	})
}
