package storetest

import (
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

func kpiTests() []test {
	return []test{
		{"KPIBucketsSumPerPeriod", testKPIBuckets},
		{"KPIFilters", testKPIFilters},
		{"KPIRepeatReplaces", testKPIRepeatReplaces},
		{"KPIOlderDeliveryNeverOverwrites", testKPIOlderDeliveryNeverOverwrites},
		{"KPILastPerSeries", testKPILast},
		{"KPIValues", testKPIValues},
		{"KPIBoundaries", testKPIBoundaries},
		{"KPIRefusesBadPoints", testKPIRefusesBadPoints},
		{"KPILargeBatch", testKPILargeBatch},
		{"KPIConcurrentWritesInAnyOrder", testKPIConcurrentWrites},
	}
}

// day is midnight of base's day plus n days, in base's zone.
func kpiDay(n int) time.Time {
	y, m, d := base().Date()
	return time.Date(y, m, d+n, 0, 0, 0, 0, base().Location())
}

func kpiRatio(metric, brand, channel string, dayN int, num, den float64) store.KPIPoint {
	return store.KPIPoint{Metric: metric, Brand: brand, Channel: channel, Start: kpiDay(dayN), End: kpiDay(dayN + 1),
		Ratio: true, Numerator: num, Denominator: den}
}

func kpiValue(metric, brand, channel string, dayN int, v float64) store.KPIPoint {
	return store.KPIPoint{Metric: metric, Brand: brand, Channel: channel, Start: kpiDay(dayN), End: kpiDay(dayN + 1), Value: v}
}

func putKPI(t *testing.T, s store.Store, ps ...store.KPIPoint) {
	t.Helper()
	if err := s.PutKPIPoints(t.Context(), ps); err != nil {
		t.Fatalf("PutKPIPoints: %v", err)
	}
}

func kpiBuckets(t *testing.T, s store.Store, f store.KPIFilter, bounds ...time.Time) []store.KPIBucket {
	t.Helper()
	return must(s.KPIBuckets(t.Context(), f, bounds))(t)
}

func checkKPIBucket(t *testing.T, what string, got, want store.KPIBucket) {
	t.Helper()
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	if got.Points != want.Points || got.Values != want.Values || !near(got.Numerator, want.Numerator) ||
		!near(got.Denominator, want.Denominator) || !near(got.Sum, want.Sum) {
		t.Errorf("%s = %+v, want %+v", what, got, want)
	}
}

func testKPIBuckets(t *testing.T, s store.Store) {
	putKPI(t, s,
		kpiRatio("er", "acme", "x", 0, 10, 100),
		kpiRatio("er", "acme", "x", 1, 20, 400),
		kpiRatio("er", "acme", "ig", 1, 5, 50),
		kpiRatio("er", "acme", "ig", 2, 7.5, 10),
		kpiRatio("other", "acme", "x", 1, 1000, 1000),
	)
	got := kpiBuckets(t, s, store.KPIFilter{Metric: "er"}, kpiDay(0), kpiDay(1), kpiDay(3), kpiDay(5))
	if len(got) != 3 {
		t.Fatalf("KPIBuckets gave %d buckets for 4 bounds, want 3", len(got))
	}
	checkKPIBucket(t, "day 0", got[0], store.KPIBucket{Points: 1, Numerator: 10, Denominator: 100})
	checkKPIBucket(t, "days 1-2", got[1], store.KPIBucket{Points: 3, Numerator: 32.5, Denominator: 460})
	checkKPIBucket(t, "days 3-4 (empty)", got[2], store.KPIBucket{})
	if got := kpiBuckets(t, s, store.KPIFilter{Metric: "er"}, kpiDay(0)); len(got) != 0 {
		t.Errorf("one bound gave %d buckets, want none", len(got))
	}
	if _, err := s.KPIBuckets(t.Context(), store.KPIFilter{Metric: "er"}, []time.Time{kpiDay(1), kpiDay(0)}); err == nil {
		t.Error("decreasing bounds: want an error")
	}
}

func testKPIFilters(t *testing.T, s store.Store) {
	putKPI(t, s,
		kpiValue("leads", "acme", "x", 0, 1),
		kpiValue("leads", "acme", "ig", 0, 2),
		kpiValue("leads", "globex", "x", 0, 4),
		kpiValue("leads", "globex", "ig", 0, 8),
	)
	for _, tc := range []struct {
		f   store.KPIFilter
		sum float64
	}{
		{store.KPIFilter{Metric: "leads"}, 15},
		{store.KPIFilter{Metric: "leads", Brand: "acme"}, 3},
		{store.KPIFilter{Metric: "leads", Channel: "x"}, 5},
		{store.KPIFilter{Metric: "leads", Brand: "globex", Channel: "ig"}, 8},
		{store.KPIFilter{Metric: "leads", Brand: "umbrella"}, 0},
		{store.KPIFilter{Metric: "csat"}, 0},
	} {
		got := kpiBuckets(t, s, tc.f, kpiDay(0), kpiDay(1))
		if got[0].Sum != tc.sum {
			t.Errorf("%+v: sum %v, want %v", tc.f, got[0].Sum, tc.sum)
		}
	}
}

func testKPIRepeatReplaces(t *testing.T, s store.Store) {
	putKPI(t, s, kpiRatio("er", "acme", "x", 0, 1, 10))
	putKPI(t, s, kpiRatio("er", "acme", "x", 0, 3, 30)) // a webhook retry with corrected numbers
	f := store.KPIFilter{Metric: "er"}
	checkKPIBucket(t, "after a repeat", kpiBuckets(t, s, f, kpiDay(0), kpiDay(1))[0], store.KPIBucket{Points: 1, Numerator: 3, Denominator: 30})

	// Within one call the later point of a key wins; the same key given in
	// another zone is the same key.
	p := kpiRatio("er", "acme", "x", 0, 5, 50)
	p.Start, p.End = p.Start.UTC(), p.End.UTC()
	putKPI(t, s, kpiRatio("er", "acme", "x", 0, 4, 40), p)
	checkKPIBucket(t, "after a batch repeating a key", kpiBuckets(t, s, f, kpiDay(0), kpiDay(1))[0], store.KPIBucket{Points: 1, Numerator: 5, Denominator: 50})

	// A point may change kind: a value replaces a ratio.
	putKPI(t, s, kpiValue("er", "acme", "x", 0, 0.25))
	checkKPIBucket(t, "after a change of kind", kpiBuckets(t, s, f, kpiDay(0), kpiDay(1))[0], store.KPIBucket{Points: 1, Values: 1, Sum: 0.25})

	// A different end is a different key.
	longer := kpiValue("er", "acme", "x", 0, 1)
	longer.End = kpiDay(2)
	putKPI(t, s, longer)
	if got := kpiBuckets(t, s, f, kpiDay(0), kpiDay(1))[0].Points; got != 2 {
		t.Errorf("points after a point with another end = %d, want 2", got)
	}
}

// testKPIOlderDeliveryNeverOverwrites: a captured delivery replayed after
// a correction used to revert it (/kpi leads went back from 90 to 40).
func testKPIOlderDeliveryNeverOverwrites(t *testing.T, s store.Store) {
	sent := func(p store.KPIPoint, minutes int) store.KPIPoint {
		p.SentAt = base().Add(time.Duration(minutes) * time.Minute)
		return p
	}
	f := store.KPIFilter{Metric: "leads"}
	sum := func() float64 {
		t.Helper()
		return kpiBuckets(t, s, f, kpiDay(0), kpiDay(1))[0].Sum
	}
	original, correction := sent(kpiValue("leads", "acme", "x", 0, 40), 0), sent(kpiValue("leads", "acme", "x", 0, 90), 1)
	putKPI(t, s, original)
	putKPI(t, s, correction)
	putKPI(t, s, original) // the replay
	if got := sum(); got != 90 {
		t.Fatalf("after a replay of the original: %v, want the correction 90 kept", got)
	}
	putKPI(t, s, sent(kpiValue("leads", "acme", "x", 0, 10), -60)) // a delivery delayed for an hour
	if got := sum(); got != 90 {
		t.Errorf("after a delayed older delivery: %v, want 90", got)
	}
	putKPI(t, s, sent(kpiValue("leads", "acme", "x", 0, 95), 1)) // sent together: a retry may fix it
	if got := sum(); got != 95 {
		t.Errorf("after a point sent at the same time: %v, want 95", got)
	}
	// The same holds for ratios, and within one call: the point sent last
	// wins wherever it is listed.
	putKPI(t, s, sent(kpiRatio("er", "acme", "x", 0, 3, 30), 10), sent(kpiRatio("er", "acme", "x", 0, 1, 10), 5))
	putKPI(t, s, sent(kpiRatio("er", "acme", "x", 0, 2, 20), 9))
	checkKPIBucket(t, "ratio", kpiBuckets(t, s, store.KPIFilter{Metric: "er"}, kpiDay(0), kpiDay(1))[0],
		store.KPIBucket{Points: 1, Numerator: 3, Denominator: 30})
	// A newer send time in another zone is still newer.
	later := sent(kpiValue("leads", "acme", "x", 0, 99), 2)
	later.SentAt = later.SentAt.In(time.FixedZone("UTC-5", -5*3600))
	putKPI(t, s, later)
	if got := sum(); got != 99 {
		t.Errorf("after a later point in another zone: %v, want 99", got)
	}
}

func testKPILast(t *testing.T, s store.Store) {
	putKPI(t, s,
		kpiValue("followers", "acme", "x", 0, 100),
		kpiValue("followers", "acme", "x", 2, 120), // the latest of acme/x in days 0-2
		kpiValue("followers", "acme", "x", 1, 110),
		kpiValue("followers", "acme", "ig", 1, 50),   // the latest of acme/ig
		kpiRatio("followers", "acme", "ig", 2, 1, 1), // not a value
		kpiValue("followers", "acme", "x", 3, 999),   // next period
		kpiValue("followers", "globex", "x", 0, 7),
	)
	// Of two points starting together, the longer one is the later.
	longer := kpiValue("followers", "globex", "x", 0, 8)
	longer.End = kpiDay(2)
	putKPI(t, s, longer)
	f := store.KPIFilter{Metric: "followers"}
	latest := func(f store.KPIFilter, bounds ...time.Time) []float64 {
		t.Helper()
		return must(s.KPILatest(t.Context(), f, bounds))(t)
	}
	if got := latest(f, kpiDay(0), kpiDay(3), kpiDay(4), kpiDay(5)); !slices.Equal(got, []float64{178, 999, 0}) {
		t.Errorf("KPILatest = %v, want [120+50+8 999 0]", got)
	}
	f.Brand = "acme"
	if got := latest(f, kpiDay(0), kpiDay(3)); !slices.Equal(got, []float64{170}) {
		t.Errorf("KPILatest for acme = %v, want [170]", got)
	}
	if got := latest(f, kpiDay(0)); len(got) != 0 {
		t.Errorf("KPILatest with one bound = %v, want none", got)
	}
	checkKPIBucket(t, "the same points summed", kpiBuckets(t, s, store.KPIFilter{Metric: "followers"}, kpiDay(0), kpiDay(3))[0],
		store.KPIBucket{Points: 7, Values: 6, Sum: 395, Numerator: 1, Denominator: 1})
}

func testKPIValues(t *testing.T, s store.Store) {
	putKPI(t, s,
		kpiValue("rt", "acme", "x", 2, 30),
		kpiValue("rt", "acme", "x", 0, 10),
		kpiValue("rt", "globex", "x", 1, 20),
		kpiValue("rt", "acme", "x", 5, 99),    // outside
		kpiRatio("rt", "acme", "ig", 1, 1, 2), // not a value
	)
	got := must(s.KPIValues(t.Context(), store.KPIFilter{Metric: "rt"}, kpiDay(0), kpiDay(5)))(t)
	var vs []float64
	for _, v := range got {
		vs = append(vs, v.Value)
	}
	if len(vs) != 3 || vs[0] != 10 || vs[1] != 20 || vs[2] != 30 {
		t.Fatalf("KPIValues = %v, want [10 20 30] oldest first", vs)
	}
	checkTime(t, "first start", got[0].Start, kpiDay(0))
	got = must(s.KPIValues(t.Context(), store.KPIFilter{Metric: "rt", Brand: "acme"}, kpiDay(0), kpiDay(5)))(t)
	if len(got) != 2 {
		t.Errorf("KPIValues for acme = %+v, want 2 values", got)
	}
}

func testKPIBoundaries(t *testing.T, s store.Store) {
	// A point belongs to the period its start falls in, whatever its end.
	edge := kpiValue("leads", "acme", "x", 1, 1)
	late := kpiValue("leads", "acme", "x", 0, 2)
	late.Start = kpiDay(1).Add(-time.Microsecond)
	late.End = kpiDay(1).Add(time.Hour)
	putKPI(t, s, edge, late, kpiValue("leads", "acme", "x", 2, 4))
	got := kpiBuckets(t, s, store.KPIFilter{Metric: "leads"}, kpiDay(0), kpiDay(1), kpiDay(2))
	checkKPIBucket(t, "before the edge", got[0], store.KPIBucket{Points: 1, Values: 1, Sum: 2})
	checkKPIBucket(t, "from the edge", got[1], store.KPIBucket{Points: 1, Values: 1, Sum: 1})
}

func testKPIRefusesBadPoints(t *testing.T, s store.Store) {
	good := kpiValue("leads", "acme", "x", 0, 1)
	noMetric := good
	noMetric.Metric = ""
	backwards := good
	backwards.End = good.Start
	nan := good
	nan.Value = math.NaN()
	inf := kpiRatio("er", "acme", "x", 0, 1, math.Inf(1))
	for name, bad := range map[string]store.KPIPoint{"no metric": noMetric, "end before start": backwards, "NaN": nan, "infinite": inf} {
		err := s.PutKPIPoints(t.Context(), []store.KPIPoint{good, bad})
		if !bot.IsCode(err, bot.EInvalid) {
			t.Errorf("%s: PutKPIPoints = %v, want an %s error", name, err, bot.EInvalid)
		}
	}
	if got := kpiBuckets(t, s, store.KPIFilter{Metric: "leads"}, kpiDay(0), kpiDay(1)); got[0].Points != 0 {
		t.Errorf("a refused batch stored %d points, want none", got[0].Points)
	}
	if err := s.PutKPIPoints(t.Context(), nil); err != nil {
		t.Errorf("PutKPIPoints(nil) = %v", err)
	}
}

func testKPILargeBatch(t *testing.T, s store.Store) {
	var ps []store.KPIPoint
	want := store.KPIBucket{}
	for d := range 400 {
		for _, ch := range []string{"x", "ig", "fb"} {
			ps = append(ps, kpiRatio("er", "acme", ch, d, float64(d), 1000))
			want.Points++
			want.Numerator += float64(d)
			want.Denominator += 1000
		}
	}
	putKPI(t, s, ps...)
	checkKPIBucket(t, "1200 points", kpiBuckets(t, s, store.KPIFilter{Metric: "er"}, kpiDay(0), kpiDay(400))[0], want)
}

// testKPIConcurrentWrites stores the same points from several writers at
// once, half of them listing the points in reverse: webhook deliveries and
// imports must not deadlock each other (PostgreSQL used to detect one and
// fail a write).
func testKPIConcurrentWrites(t *testing.T, s store.Store) {
	var ps []store.KPIPoint
	for i := range 100 {
		ps = append(ps, kpiValue("leads", "acme", "x", i, 1))
	}
	reversed := slices.Clone(ps)
	slices.Reverse(reversed)
	errs := make(chan error, 40)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			in := ps
			if w%2 == 1 {
				in = reversed
			}
			for range 5 {
				if err := s.PutKPIPoints(t.Context(), in); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent PutKPIPoints: %v", err)
	}
	got := kpiBuckets(t, s, store.KPIFilter{Metric: "leads"}, kpiDay(0), kpiDay(100))
	checkKPIBucket(t, "after the concurrent writes", got[0], store.KPIBucket{Points: 100, Values: 100, Sum: 100})
}
