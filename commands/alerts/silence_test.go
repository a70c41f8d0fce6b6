package alerts_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/store"
	"github.com/interlock-coe/interlock/store/postgres"
	"github.com/interlock-coe/interlock/store/storetest"
)

// onBothStores runs test over the embedded store and over PostgreSQL.
func onBothStores(t *testing.T, test func(t *testing.T, f *fixture)) {
	t.Run("sqlite", func(t *testing.T) { test(t, newFixture(t)) })
	t.Run("postgres", func(t *testing.T) {
		st, err := postgres.Open(context.Background(), storetest.PostgresURL(t), slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		test(t, newFixture(t, commandstest.WithStore(st)))
	})
}

// spiked feeds a baseline and a spike, and returns the end of the spiking
// window.
func (f *fixture) spiked() time.Time {
	f.t.Helper()
	f.feed("recall", steady(12)...)
	f.feed("recall", 2400)
	if n := len(f.cards()); n != 1 {
		f.t.Fatalf("%d cards after the spike, want 1", n)
	}
	return f.Clock.Now()
}

// lastUpdate is the plain text of the card's latest edit.
func (f *fixture) lastUpdate() string {
	f.t.Helper()
	ups := f.updates()
	if len(ups) == 0 {
		f.t.Fatal("the card was never edited")
	}
	return text(ups[len(ups)-1])
}

// hhmm is t as the card shows it now: in the org's time zone, with the
// date unless it is today.
func (f *fixture) hhmm(t time.Time) string {
	loc := f.Deps.Config.Org.Location
	t, now := t.In(loc), f.Clock.Now().In(loc)
	if t.YearDay() != now.YearDay() {
		return t.Format("Mon 02 Jan 15:04")
	}
	return t.Format("15:04")
}

func TestSilentSourceIsNotedThenResolves(t *testing.T) {
	onBothStores(t, func(t *testing.T, f *fixture) {
		last := f.spiked()
		f.Advance(time.Hour + 59*time.Minute)
		if n := len(f.updates()); n != 0 {
			t.Fatalf("%d card edits before two windows were missed, want 0", n)
		}

		f.Advance(time.Minute)
		contains(t, "card after two missed windows", f.lastUpdate(),
			"no data since "+f.hhmm(last)+" from brandwatch", "resolves by itself at "+f.hhmm(last.Add(6*time.Hour)))
		if a := f.alert(1); a.Status != store.AlertActive || !a.SilentSince.Equal(last) {
			t.Errorf("alert = %+v, want active and silent since %v", a, last)
		}

		f.Advance(4*time.Hour - time.Minute)
		if a := f.alert(1); a.Status != store.AlertActive {
			t.Fatalf("resolved %s before the quiet period ended", a.ResolvedAt.Sub(last))
		}
		f.Advance(time.Minute)
		a := f.alert(1)
		if a.Status != store.AlertResolved || !a.ResolvedAt.Equal(last.Add(6*time.Hour)) ||
			a.ResolveReason != "no data from brandwatch for 6h00m" {
			t.Fatalf("alert = %+v, want resolved 6h after its last window, for want of data", a)
		}
		contains(t, "resolved card", f.lastUpdate(), "✅ Resolved: listening alert #1",
			"no data from brandwatch for 6h00m, nothing since "+f.hhmm(last))
		f.Say("/alerts list").Contains(t, "No active listening alerts")

		// The timer is done: nothing more happens to the resolved alert.
		edits := len(f.updates())
		f.Advance(24 * time.Hour)
		if n := len(f.updates()); n != edits {
			t.Errorf("%d more card edits after resolving", n-edits)
		}
	})
}

func TestWindowBeforeQuietPeriodKeepsAlertActive(t *testing.T) {
	onBothStores(t, func(t *testing.T, f *fixture) {
		f.spiked()
		f.Advance(2 * time.Hour)
		contains(t, "card after two missed windows", f.lastUpdate(), "no data since")

		f.Advance(2 * time.Hour)
		f.ingest(point("recall", f.Clock.Now(), 2500))
		fresh := f.Clock.Now()
		up := f.lastUpdate()
		contains(t, "card after a new window", up, "2,500")
		if a := f.alert(1); a.Status != store.AlertActive || !a.SilentSince.IsZero() {
			t.Fatalf("alert = %+v, want active and not silent", a)
		}
		if strings.Contains(up, "no data since") {
			t.Errorf("the card still says the source is quiet:\n%s", up)
		}

		// The quiet period counts from the new window, not the first one.
		f.Advance(5*time.Hour + 59*time.Minute)
		if a := f.alert(1); a.Status != store.AlertActive {
			t.Fatalf("resolved %s after the new window, want active until 6h", f.Clock.Now().Sub(fresh))
		}
		contains(t, "card two windows after the new one", f.lastUpdate(), "no data since "+f.hhmm(fresh))
		f.Advance(time.Minute)
		if a := f.alert(1); a.Status != store.AlertResolved {
			t.Errorf("alert = %+v, want resolved 6h after the new window", a)
		}
	})
}

// TestOtherSourcesDoNotKeepAQuietAlertAlive: only the source that spiked
// can resolve the alert, so only its silence counts.
func TestOtherSourcesDoNotKeepAQuietAlertAlive(t *testing.T) {
	f := newFixture(t)
	meltwater := func(c int64) store.ListeningPoint {
		p := point("recall", f.Clock.Now(), c)
		p.Source = "meltwater"
		return p
	}
	for range 12 {
		f.feed("recall", 400)
		f.ingest(meltwater(400))
	}
	f.feed("recall", 2400)
	last := f.Clock.Now()
	f.ingest(meltwater(400))
	for range 6 {
		f.Advance(time.Hour)
		f.ingest(meltwater(400))
	}
	a := f.alert(1)
	if a.Status != store.AlertResolved || a.ResolveReason != "no data from brandwatch for 6h00m" || !a.SilentSince.Equal(last) {
		t.Errorf("alert = %+v, want resolved for want of brandwatch data", a)
	}
}
