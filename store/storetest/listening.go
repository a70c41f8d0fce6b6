package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

func listeningTests() []test {
	return []test{
		{"ListeningPointsSaveAndDuplicate", testPointSave},
		{"ListeningSeriesRange", testPointSeries},
		{"ListeningPointsJudgedOnce", testPointsJudgedOnce},
		{"ListeningPointsConcurrentDuplicates", testPointConcurrentDuplicates},
		{"ListeningAlertLifecycle", testAlertLifecycle},
		{"ListeningAlertSilenceAndReason", testAlertSilence},
		{"ListeningAlertOneActivePerGroup", testAlertOneActive},
		{"ListeningAlertConcurrentOpens", testAlertConcurrentOpens},
		{"ListeningAlertList", testAlertList},
		{"ListeningOutbox", testAlertOutbox},
		{"ListeningOutboxLeaseExpiry", testAlertOutboxLease},
		{"ListeningApplyAndClaim", testAlertApplyAndClaim},
	}
}

var series = store.SeriesKey{Source: "brandwatch", Brand: "acme", Topic: "recall"}

// point returns an hourly point of series starting h hours after base.
func point(h int, mentions int64) store.ListeningPoint {
	start := base().Add(time.Duration(h) * time.Hour)
	return store.ListeningPoint{
		Source: series.Source, Brand: series.Brand, Topic: series.Topic,
		WindowStart: start, WindowEnd: start.Add(time.Hour),
		Mentions: mentions, Negative: mentions / 2, Neutral: mentions / 4, Positive: mentions / 8, Reach: mentions * 100,
		ReceivedAt: start.Add(time.Hour + time.Minute),
	}
}

func savePoints(t *testing.T, s store.Store, ps ...store.ListeningPoint) []store.PointReceipt {
	t.Helper()
	return must(s.SaveListeningPoints(t.Context(), ps, nil))(t)
}

func testPointSave(t *testing.T, s store.Store) {
	p := point(0, 400)
	p.Press = true
	p.Samples = []store.ListeningSample{{URL: "https://x.example/1", Text: "recall?!", Author: "kim", Followers: 1200}}
	timer := bot.Timer{Kind: "alerts.evaluate", Key: "alerts:evaluate:x", Due: base().Add(time.Minute), Payload: "{}"}
	got := must(s.SaveListeningPoints(t.Context(), []store.ListeningPoint{p, point(1, 410)}, []bot.Timer{timer}))(t)
	if len(got) != 2 || got[0].ID <= 0 || got[1].ID <= 0 || got[0].Duplicate || got[1].Duplicate || got[0].Evaluated {
		t.Fatalf("first save = %+v, want two new, unevaluated points", got)
	}
	checkNext(t, s, base().Add(time.Minute))

	changed := p
	changed.Mentions = 9999
	again := savePoints(t, s, changed, point(2, 390))
	if !again[0].Duplicate || again[0].ID != got[0].ID || again[1].Duplicate {
		t.Errorf("second save = %+v, want the first a duplicate of %d and the second new", again, got[0].ID)
	}
	ps := must(s.ListeningSeries(t.Context(), series, time.Time{}, time.Time{}))(t)
	if len(ps) != 3 {
		t.Fatalf("series has %d points, want 3", len(ps))
	}
	first := ps[0]
	if first.Mentions != 400 || first.Negative != 200 || first.Neutral != 100 || first.Positive != 50 ||
		first.Reach != 40000 || !first.Press || first.Evaluated || first.Topic != "recall" {
		t.Errorf("stored point = %+v, want the first version kept", first)
	}
	if !slices.Equal(first.Samples, p.Samples) {
		t.Errorf("samples = %+v, want %+v", first.Samples, p.Samples)
	}
	checkTime(t, "WindowStart", first.WindowStart, p.WindowStart)
	checkTime(t, "ReceivedAt", first.ReceivedAt, p.ReceivedAt)
	if len(ps[1].Samples) != 0 {
		t.Errorf("a point without samples came back with %+v", ps[1].Samples)
	}

	bad := point(3, 1)
	bad.WindowEnd = bad.WindowStart
	if _, err := s.SaveListeningPoints(t.Context(), []store.ListeningPoint{point(4, 1), bad}, nil); err == nil {
		t.Error("saving an empty window succeeded")
	}
	if n := len(must(s.ListeningSeries(t.Context(), series, time.Time{}, time.Time{}))(t)); n != 3 {
		t.Errorf("a refused batch left %d points, want 3 (all or nothing)", n)
	}
}

func testPointSeries(t *testing.T, s store.Store) {
	other := point(1, 5)
	other.Topic = ""
	otherSource := point(1, 6)
	otherSource.Source = "meltwater"
	savePoints(t, s, point(2, 2), point(0, 0), point(1, 1), point(3, 3), other, otherSource)
	mentions := func(ps []store.ListeningPoint) []int64 {
		var out []int64
		for _, p := range ps {
			out = append(out, p.Mentions)
		}
		return out
	}
	b := base()
	for _, tc := range []struct {
		name         string
		after, until time.Time
		want         []int64
	}{
		{"everything", time.Time{}, time.Time{}, []int64{0, 1, 2, 3}},
		{"after is exclusive", b.Add(time.Hour), time.Time{}, []int64{1, 2, 3}},
		{"until is inclusive", time.Time{}, b.Add(2 * time.Hour), []int64{0, 1}},
		{"a slice", b.Add(90 * time.Minute), b.Add(3 * time.Hour), []int64{1, 2}},
		{"nothing newer", b.Add(4 * time.Hour), time.Time{}, nil},
	} {
		got := mentions(must(s.ListeningSeries(t.Context(), series, tc.after, tc.until))(t))
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: mentions %v, want %v", tc.name, got, tc.want)
		}
	}
	whole := store.SeriesKey{Source: "brandwatch", Brand: "acme"}
	if got := mentions(must(s.ListeningSeries(t.Context(), whole, time.Time{}, time.Time{}))(t)); !slices.Equal(got, []int64{5}) {
		t.Errorf("the brand-wide series = %v, want [5]", got)
	}
}

func testPointsJudgedOnce(t *testing.T, s store.Store) {
	r := savePoints(t, s, point(0, 1), point(1, 2), point(2, 3))
	un := must(s.UnevaluatedPoints(t.Context(), series))(t)
	if len(un) != 3 || un[0].ID != r[0].ID || un[2].ID != r[2].ID {
		t.Fatalf("unevaluated = %+v, want the three points oldest first", un)
	}
	if _, err := s.ApplyAlertChange(t.Context(), store.AlertChange{Points: []int64{r[0].ID, r[1].ID}}); err != nil {
		t.Fatal(err)
	}
	un = must(s.UnevaluatedPoints(t.Context(), series))(t)
	if len(un) != 1 || un[0].ID != r[2].ID {
		t.Errorf("unevaluated after judging two = %+v, want only the third", un)
	}
	_, err := s.ApplyAlertChange(t.Context(), store.AlertChange{Points: []int64{r[2].ID, r[1].ID}})
	checkCode(t, "judging a judged point", err, bot.EConflict)
	if !errors.Is(err, store.ErrPointsTaken) {
		t.Errorf("judging a judged point: %v, want it caused by store.ErrPointsTaken", err)
	}
	if un = must(s.UnevaluatedPoints(t.Context(), series))(t); len(un) != 1 {
		t.Errorf("a refused change judged points: %d left, want 1", len(un))
	}
	if again := savePoints(t, s, point(0, 1)); !again[0].Duplicate || !again[0].Evaluated {
		t.Errorf("re-sent judged point = %+v, want a duplicate that is evaluated", again[0])
	}
}

func testPointConcurrentDuplicates(t *testing.T, s store.Store) {
	const senders = 6
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		fresh []int64
	)
	for range senders {
		wg.Go(func() {
			r, err := s.SaveListeningPoints(t.Context(), []store.ListeningPoint{point(0, 400)}, nil)
			if err != nil {
				t.Errorf("SaveListeningPoints: %v", err)
				return
			}
			if !r[0].Duplicate {
				mu.Lock()
				fresh = append(fresh, r[0].ID)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(fresh) != 1 {
		t.Errorf("%d senders stored the same window %d times, want once", senders, len(fresh))
	}
}

// newAlert returns an active alert of brand/topic opened at h hours.
func newAlert(brand, topic string, h int) store.ListeningAlert {
	at := base().Add(time.Duration(h) * time.Hour)
	return store.ListeningAlert{
		Brand: brand, Topic: topic, Status: store.AlertActive, Severity: "sev2", PeakSeverity: "sev2",
		Reasons: []string{"mentions 6.0× baseline (≥ 5×)"}, Source: "brandwatch", Mentions: 2400, Expected: 400,
		Multiple: 6, Negative: 1200, Reach: 900000, PeakMentions: 2400,
		Samples:     []store.ListeningSample{{URL: "https://x.example/2", Text: "boo", Author: "lee", Followers: 7}},
		FirstWindow: at.Add(-time.Hour), LastWindow: at, OpenedAt: at, UpdatedAt: at,
	}
}

func openAlert(t *testing.T, s store.Store, a store.ListeningAlert) store.ListeningAlert {
	t.Helper()
	return must(s.ApplyAlertChange(t.Context(), store.AlertChange{Alert: &a}))(t)
}

func testAlertLifecycle(t *testing.T, s store.Store) {
	a := openAlert(t, s, newAlert("acme", "recall", 0))
	if a.ID <= 0 || a.Version != 1 || a.MessageID != "" {
		t.Fatalf("opened %+v, want an id, version 1 and no message", a)
	}
	got := must(s.ActiveAlert(t.Context(), "acme", "recall"))(t)
	want := newAlert("acme", "recall", 0)
	if got.ID != a.ID || got.Severity != "sev2" || got.Multiple != 6 || got.Expected != 400 || got.Reach != 900000 ||
		!slices.Equal(got.Reasons, want.Reasons) || !slices.Equal(got.Samples, want.Samples) || !got.AckedAt.IsZero() {
		t.Errorf("ActiveAlert = %+v", got)
	}
	checkTime(t, "FirstWindow", got.FirstWindow, want.FirstWindow)

	stale := got
	got.AckedBy, got.AckedAt = "dana", base().Add(time.Hour)
	got.SnoozedBy, got.SnoozedUntil = "dana", base().Add(2*time.Hour)
	got.PeakSeverity, got.CrisisRequested = "sev1", true
	updated := must(s.ApplyAlertChange(t.Context(), store.AlertChange{Alert: &got}))(t)
	if updated.Version != 2 {
		t.Errorf("version after an update = %d, want 2", updated.Version)
	}
	_, err := s.ApplyAlertChange(t.Context(), store.AlertChange{Alert: &stale})
	checkCode(t, "updating from a stale read", err, bot.EConflict)
	if errors.Is(err, store.ErrPointsTaken) {
		t.Errorf("updating from a stale read: %v, caused by store.ErrPointsTaken though no point was in the change", err)
	}

	byID := must(s.ListeningAlert(t.Context(), a.ID))(t)
	if byID.AckedBy != "dana" || byID.PeakSeverity != "sev1" || !byID.CrisisRequested || byID.Version != 2 {
		t.Errorf("ListeningAlert = %+v", byID)
	}
	checkTime(t, "AckedAt", byID.AckedAt, base().Add(time.Hour))
	checkTime(t, "SnoozedUntil", byID.SnoozedUntil, base().Add(2*time.Hour))

	byID.Status, byID.ResolvedAt = store.AlertResolved, base().Add(3*time.Hour)
	must(s.ApplyAlertChange(t.Context(), store.AlertChange{Alert: &byID}))(t)
	_, err = s.ActiveAlert(t.Context(), "acme", "recall")
	checkCode(t, "ActiveAlert after resolving", err, bot.ENotFound)
	_, err = s.ListeningAlert(t.Context(), 9999)
	checkCode(t, "an unknown alert", err, bot.ENotFound)
	resolved := must(s.ListeningAlert(t.Context(), a.ID))(t)
	checkTime(t, "ResolvedAt", resolved.ResolvedAt, base().Add(3*time.Hour))
}

// testAlertSilence keeps when an alert's source went quiet and why it
// resolved.
func testAlertSilence(t *testing.T, s store.Store) {
	a := openAlert(t, s, newAlert("acme", "recall", 0))
	if !a.SilentSince.IsZero() || a.ResolveReason != "" {
		t.Fatalf("a new alert is silent since %v, resolved because %q", a.SilentSince, a.ResolveReason)
	}
	a.SilentSince = base().Add(-time.Hour)
	a = must(s.ApplyAlertChange(t.Context(), store.AlertChange{Alert: &a}))(t)
	checkTime(t, "SilentSince", must(s.ListeningAlert(t.Context(), a.ID))(t).SilentSince, base().Add(-time.Hour))

	a.Status, a.ResolvedAt, a.ResolveReason = store.AlertResolved, base().Add(6*time.Hour), "no data from brandwatch for 6h"
	must(s.ApplyAlertChange(t.Context(), store.AlertChange{Alert: &a}))(t)
	got := must(s.ListeningAlert(t.Context(), a.ID))(t)
	if got.Status != store.AlertResolved || got.ResolveReason != "no data from brandwatch for 6h" {
		t.Errorf("resolved alert = %+v", got)
	}
	a = got
	a.Status, a.SilentSince = store.AlertActive, time.Time{}
	a.Topic = "other"
	a.ID = 0
	if again := openAlert(t, s, a); !again.SilentSince.IsZero() {
		t.Errorf("SilentSince cleared = %v, want zero", again.SilentSince)
	}
}

func testAlertOneActive(t *testing.T, s store.Store) {
	first := openAlert(t, s, newAlert("acme", "recall", 0))
	a := newAlert("acme", "recall", 1)
	_, err := s.ApplyAlertChange(t.Context(), store.AlertChange{Alert: &a})
	checkCode(t, "a second active alert for the group", err, bot.EConflict)
	openAlert(t, s, newAlert("acme", "", 1))
	openAlert(t, s, newAlert("globex", "recall", 1))

	first.Status, first.ResolvedAt = store.AlertResolved, base().Add(2*time.Hour)
	must(s.ApplyAlertChange(t.Context(), store.AlertChange{Alert: &first}))(t)
	if again := openAlert(t, s, newAlert("acme", "recall", 3)); again.ID == first.ID {
		t.Error("a new alert after resolution reused the old id")
	}
}

func testAlertConcurrentOpens(t *testing.T, s store.Store) {
	const replicas = 5
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		opened int
	)
	for range replicas {
		wg.Go(func() {
			a := newAlert("acme", "recall", 0)
			_, err := s.ApplyAlertChange(t.Context(), store.AlertChange{Alert: &a, Deliveries: []string{store.DeliverNotify}})
			switch {
			case err == nil:
				mu.Lock()
				opened++
				mu.Unlock()
			case !bot.IsCode(err, bot.EConflict):
				t.Errorf("ApplyAlertChange: %v", err)
			}
		})
	}
	wg.Wait()
	if opened != 1 {
		t.Errorf("%d replicas opened %d alerts for one group, want 1", replicas, opened)
	}
}

func testAlertList(t *testing.T, s store.Store) {
	old := openAlert(t, s, newAlert("acme", "a", 0))
	openAlert(t, s, newAlert("acme", "b", 1))
	openAlert(t, s, newAlert("acme", "c", 2))
	old.Status, old.ResolvedAt = store.AlertResolved, base().Add(3*time.Hour)
	must(s.ApplyAlertChange(t.Context(), store.AlertChange{Alert: &old}))(t)
	topics := func(as []store.ListeningAlert) []string {
		var out []string
		for _, a := range as {
			out = append(out, a.Topic)
		}
		return out
	}
	checkStrings(t, "active alerts", topics(must(s.ListListeningAlerts(t.Context(), false, 0))(t)), []string{"c", "b"})
	checkStrings(t, "all alerts", topics(must(s.ListListeningAlerts(t.Context(), true, 0))(t)), []string{"c", "b", "a"})
	checkStrings(t, "limit 1", topics(must(s.ListListeningAlerts(t.Context(), true, 1))(t)), []string{"c"})
}

func testAlertOutbox(t *testing.T, s store.Store) {
	at := base()
	r := savePoints(t, s, point(0, 4000))
	a := newAlert("acme", "recall", 0)
	got := must(s.ApplyAlertChange(t.Context(), store.AlertChange{
		Points: []int64{r[0].ID}, Alert: &a, Deliveries: []string{store.DeliverNotify, store.DeliverCrisis},
		Timers: func(a store.ListeningAlert) []bot.Timer {
			return []bot.Timer{{Kind: "alerts.deliver", Key: fmt.Sprintf("alerts:%d:deliver", a.ID), Due: at.Add(30 * time.Second), Payload: "{}"}}
		},
	}))(t)
	timers := claim(t, s, at.Add(time.Minute), 10)
	if len(timers) != 1 || timers[0].Key != fmt.Sprintf("alerts:%d:deliver", got.ID) {
		t.Errorf("timers = %q, want the delivery timer named with the new alert's id", keys(timers))
	}

	ds, busy := claimDeliveries(t, s, got.ID, at)
	if len(ds) != 2 || ds[0].Kind != store.DeliverNotify || ds[1].Kind != store.DeliverCrisis || ds[0].Attempts != 1 || busy {
		t.Fatalf("claimed %+v (busy %v), want notify then crisis, first attempt", ds, busy)
	}
	checkTime(t, "CreatedAt", ds[0].CreatedAt, a.UpdatedAt)
	if again, busy := claimDeliveries(t, s, got.ID, at); len(again) != 0 || !busy {
		t.Errorf("a second claimer got %+v (busy %v), want nothing and busy", again, busy)
	}

	if err := s.FailAlertDeliveries(t.Context(), []int64{ds[1].ID}, "platform down"); err != nil {
		t.Fatal(err)
	}
	ref := bot.MessageRef{Channel: "#social-listening", ID: "m1"}
	if err := s.CompleteAlertDeliveries(t.Context(), got.ID, []int64{ds[0].ID}, ref, at); err != nil {
		t.Fatal(err)
	}
	stored := must(s.ListeningAlert(t.Context(), got.ID))(t)
	if stored.MessageChannel != ref.Channel || stored.MessageID != ref.ID || stored.Version != got.Version {
		t.Errorf("after delivery the alert is %+v, want the card's ref and an unchanged version", stored)
	}
	retry, busy := claimDeliveries(t, s, got.ID, at)
	if len(retry) != 1 || retry[0].Kind != store.DeliverCrisis || retry[0].Attempts != 2 || retry[0].LastError != "platform down" || busy {
		t.Fatalf("retry claim = %+v (busy %v), want the failed crisis delivery, attempt 2, with its error", retry, busy)
	}
	if err := s.CompleteAlertDeliveries(t.Context(), got.ID, []int64{retry[0].ID}, bot.MessageRef{}, at); err != nil {
		t.Fatal(err)
	}
	if left, busy := claimDeliveries(t, s, got.ID, at.Add(time.Hour)); len(left) != 0 || busy {
		t.Errorf("after delivering everything: %+v (busy %v)", left, busy)
	}
	if again := must(s.ListeningAlert(t.Context(), got.ID))(t); again.MessageID != "m1" {
		t.Errorf("completing without a ref changed the card to %q", again.MessageID)
	}
	// An update keeps the card's ref, which delivery owns.
	stored.Mentions = 5000
	if up := must(s.ApplyAlertChange(t.Context(), store.AlertChange{Alert: &stored}))(t); up.MessageID != "m1" || up.MessageChannel != ref.Channel {
		t.Errorf("update returned ref %s/%s, want the card's", up.MessageChannel, up.MessageID)
	}
}

// testAlertApplyAndClaim writes changes and claims their deliveries in one
// call: the alert comes back as stored, its card's ref included; another
// claimer meanwhile finds the alert busy; deliveries queued before are
// claimed with the change's; a change that queues nothing claims nothing.
func testAlertApplyAndClaim(t *testing.T, s store.Store) {
	at := base()
	r := savePoints(t, s, point(0, 4000), point(1, 4100))
	a := newAlert("acme", "recall", 0)
	got, ds, busy, err := s.ApplyAlertChangeAndClaim(t.Context(), store.AlertChange{
		Points: []int64{r[0].ID}, Alert: &a, Deliveries: []string{store.DeliverNotify},
	}, at, lease)
	if err != nil || got.ID == 0 || len(ds) != 1 || ds[0].Kind != store.DeliverNotify || ds[0].Attempts != 1 || busy {
		t.Fatalf("apply and claim = %+v, %+v (busy %v), %v; want the new alert and its notify claimed", got, ds, busy, err)
	}
	if again, busy := claimDeliveries(t, s, got.ID, at); len(again) != 0 || !busy {
		t.Errorf("another claimer got %+v (busy %v), want nothing and busy", again, busy)
	}
	ref := bot.MessageRef{Channel: "#social-listening", ID: "m7"}
	if err := s.CompleteAlertDeliveries(t.Context(), got.ID, []int64{ds[0].ID}, ref, at); err != nil {
		t.Fatal(err)
	}
	stored := must(s.ListeningAlert(t.Context(), got.ID))(t)
	stored.Mentions = 5000
	held := must(s.ApplyAlertChange(t.Context(), store.AlertChange{Alert: &stored, Deliveries: []string{store.DeliverUpdate}}))(t)
	held.Mentions = 6000
	up, ds, busy, err := s.ApplyAlertChangeAndClaim(t.Context(), store.AlertChange{
		Points: []int64{r[1].ID}, Alert: &held, Deliveries: []string{store.DeliverUpdate},
	}, at, lease)
	if err != nil || up.MessageID != "m7" || up.Mentions != 6000 || len(ds) != 2 || busy {
		t.Errorf("update and claim = %+v, %+v (busy %v), %v; want the card's ref and both queued updates", up, ds, busy, err)
	}
	quiet, ds, busy, err := s.ApplyAlertChangeAndClaim(t.Context(), store.AlertChange{Alert: &up}, at, lease)
	if err != nil || quiet.Version != up.Version+1 || len(ds) != 0 || busy {
		t.Errorf("a change queueing nothing = %+v, %+v (busy %v), %v; want written, nothing claimed", quiet, ds, busy, err)
	}
}

func claimDeliveries(t *testing.T, s store.Store, alertID int64, now time.Time) ([]store.AlertDelivery, bool) {
	t.Helper()
	ds, busy, err := s.ClaimAlertDeliveries(t.Context(), alertID, now, lease)
	if err != nil {
		t.Fatalf("ClaimAlertDeliveries: %v", err)
	}
	return ds, busy
}

func testAlertOutboxLease(t *testing.T, s store.Store) {
	at := base()
	a := newAlert("acme", "recall", 0)
	got := must(s.ApplyAlertChange(t.Context(), store.AlertChange{Alert: &a, Deliveries: []string{store.DeliverNotify}}))(t)
	if ds, _ := claimDeliveries(t, s, got.ID, at); len(ds) != 1 {
		t.Fatalf("claimed %d deliveries, want 1", len(ds))
	}
	if ds, busy := claimDeliveries(t, s, got.ID, at.Add(lease-time.Second)); len(ds) != 0 || !busy {
		t.Errorf("claimed %+v within the lease (busy %v)", ds, busy)
	}
	if ds, _ := claimDeliveries(t, s, got.ID, at.Add(lease)); len(ds) != 1 || ds[0].Attempts != 2 {
		t.Errorf("after the lease claimed %+v, want the delivery again, attempt 2", ds)
	}
}
