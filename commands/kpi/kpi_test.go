package kpi

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/store"
)

var (
	testBrands   = []string{"acme", "globex", "umbrella"}
	testChannels = []string{"instagram", "facebook", "x", "linkedin"}
)

// dailyData is a CSV file of daily data and, per brand, the daily
// engagements and impressions (all channels) by age in days (0 = today),
// for hand calculations.
type dailyData struct {
	csv                      string
	engagements, impressions map[string][]float64 // brand → by age
}

// dailyCSV is days of daily data ending today (in loc) for every brand and
// channel: engagement rate, CSAT, mention volume and leads.
func dailyCSV(today time.Time, loc *time.Location, days int) dailyData {
	rng := rand.New(rand.NewPCG(8, 365))
	y, m, d := today.In(loc).Date()
	data := dailyData{engagements: map[string][]float64{}, impressions: map[string][]float64{}}
	var b strings.Builder
	b.WriteString(CSVHeader + "\n")
	for age := range days {
		date := time.Date(y, m, d-age, 0, 0, 0, 0, loc).Format(time.DateOnly)
		for _, brand := range testBrands {
			var eng, imp float64
			for _, ch := range testChannels {
				e, i := float64(50+rng.IntN(900)), float64(5000+rng.IntN(50000))
				eng, imp = eng+e, imp+i
				fmt.Fprintf(&b, "%s,%s,%s,%s,engagement-rate,,%g,%g\n", date, date, brand, ch, e, i)
				fmt.Fprintf(&b, "%s,%s,%s,%s,csat,,%d,%d\n", date, date, brand, ch, 40+rng.IntN(50), 100)
				fmt.Fprintf(&b, "%s,%s,%s,%s,mention-volume,%d,,\n", date, date, brand, ch, rng.IntN(2000))
				fmt.Fprintf(&b, "%s,%s,%s,%s,leads,%d,,\n", date, date, brand, ch, rng.IntN(20))
			}
			data.engagements[brand] = append(data.engagements[brand], eng)
			data.impressions[brand] = append(data.impressions[brand], imp)
		}
	}
	data.csv = b.String()
	return data
}

// rate is Σengagements/Σimpressions × 100 over the ages [from, to).
func (d dailyData) rate(brand string, from, to int) float64 {
	var e, i float64
	for age := from; age < to; age++ {
		e += d.engagements[brand][age]
		i += d.impressions[brand][age]
	}
	return 100 * e / i
}

func newHarness(t *testing.T, opts ...commandstest.Option) (*commandstest.Harness, *Service) {
	t.Helper()
	h := commandstest.New(t, []commandstest.Register{Register}, opts...)
	return h, New(h.Deps)
}

// TestImportedYearGivesTheHandCalculatedEngagementRate is the issue's
// done-when check.
func TestImportedYearGivesTheHandCalculatedEngagementRate(t *testing.T) {
	t.Parallel()
	h, svc := newHarness(t)
	cfg := h.Deps.Config
	data := dailyCSV(h.Clock.Now(), cfg.Org.Location, 365)
	rep, err := ImportCSV(t.Context(), svc, cfg, h.Clock.Now(), strings.NewReader(data.csv))
	if err != nil || rep.BadCount != 0 || rep.Stored != 365*3*4*4 {
		t.Fatalf("import: %v\n%s", err, rep)
	}

	// The last 30 days are today and the 29 days before it, all channels.
	hand, handPrev := data.rate("acme", 0, 30), data.rate("acme", 30, 60)
	res, err := svc.Compute(t.Context(), Query{Metric: "engagement-rate", Brand: "acme", Period: Days30})
	if err != nil {
		t.Fatal(err)
	}
	if cur := res.Current(); !cur.OK || math.Abs(cur.V-hand) > 1e-9 {
		t.Errorf("engagement rate = %+v, want Σengagements/Σimpressions = %v", cur, hand)
	}
	if prev := res.Previous(); math.Abs(prev.V-handPrev) > 1e-9 {
		t.Errorf("previous = %+v, want %v", prev, handPrev)
	}

	k, _ := cfg.KPI("engagement-rate")
	h.Say("/kpi engagement-rate --brand acme --period 30d").Contains(t,
		"Engagement rate · Acme · all channels · last 30 days",
		"Latest (2026-10-25 – 2026-11-23): "+FormatValue(k, Value{hand, true}),
		"Previous (2026-09-25 – 2026-10-24): "+FormatValue(k, Value{handPrev, true}),
		"Change: "+FormatChange(k, Value{hand, true}, Value{handPrev, true}),
		"Target: "+FormatTarget(k, Value{hand, true}),
		"Trend (8 × 30 days): "+Sparkline(res.Values),
		"engagement-rate = Σ engagements / Σ impressions × 100, from data points; higher is better",
	)
}

func TestKPICommandInput(t *testing.T) {
	h, _ := newHarness(t)
	h.Say("/kpi reach").Fails(t, bot.EInvalid, `unknown KPI "reach"; known KPIs: engagement-rate, response-time-median, response-time-p90, sla-share`)
	h.Say("/kpi csat leads").Fails(t, bot.EInvalid, "one metric at a time")
	h.Say("/kpi csat --period 90d").Fails(t, bot.EInvalid, "unknown period")
	h.Say("/kpi csat --brand initech").Fails(t, bot.EInvalid, "unknown brand")
	h.Say("/kpi csat --channel in/stagram").Fails(t, bot.EInvalid, "is not a channel name")
	h.Say("/kpi csat --colour red").Fails(t, bot.EInvalid, "Usage: /kpi [metric] [--brand B] [--channel C] [--dept D] [--period 7d|30d|mtd|qtd]")
	res := h.Say("/kpi CSAT --channel Instagram --period qtd").Contains(t,
		"Customer satisfaction · all brands · instagram · quarter to date",
		"Latest (2026-10-01 – 2026-11-23): no data", "Change: n/a", "Target: 85% (no data)", "Trend (8 × 54 days): ········")
	if !res.Private() {
		t.Error("the answer should be private")
	}
}

func TestScorecard(t *testing.T) {
	t.Parallel()
	h, svc := newHarness(t)
	data := dailyCSV(h.Clock.Now(), h.Deps.Config.Org.Location, 8*7)
	if _, err := ImportCSV(t.Context(), svc, h.Deps.Config, h.Clock.Now(), strings.NewReader(data.csv)); err != nil {
		t.Fatal(err)
	}
	res := h.Say("/kpi --period 7d --brand globex")
	res.Contains(t, "KPI scorecard · Globex · all channels · last 7 days (2026-11-17 – 2026-11-23)",
		"Details and definitions: /kpi <metric>")
	k, _ := h.Deps.Config.KPI("engagement-rate")
	want := FormatValue(k, Value{data.rate("globex", 0, 7), true}) + " (prev " + FormatValue(k, Value{data.rate("globex", 7, 14), true})
	res.Contains(t, "Engagement rate: "+want)
	for _, k := range h.Deps.Config.KPIs {
		res.Contains(t, "  "+k.Name+": ")
	}
	res.Contains(t, "Median first response: no data (prev no data, n/a) · target 60 min (no data) · ········")
}

// TestPeriodBoundariesInBerlin checks that points belong to the local day
// their period starts on: 23:30 on the month's last day is that month, 00:30
// on the 1st the next.
func TestPeriodBoundariesInBerlin(t *testing.T) {
	h, svc := newHarness(t)
	loc := h.Deps.Config.Org.Location
	if loc.String() != "Europe/Berlin" {
		t.Fatalf("the example's time zone is %s", loc)
	}
	at := func(mo time.Month, d, hh, mm int) time.Time { return time.Date(2026, mo, d, hh, mm, 0, 0, loc) }
	for _, p := range []struct {
		start time.Time
		leads float64
	}{
		{at(10, 31, 23, 30), 1}, // October, although 22:30 UTC
		{at(11, 1, 0, 30), 8},   // November, although 23:30 UTC on 31 October
		{at(10, 1, 0, 30), 4},   // October, although 22:30 UTC on 30 September
		{at(9, 30, 23, 30), 2},  // September
	} {
		pt := store.KPIPoint{Metric: "leads", Brand: "acme", Channel: "x", Start: p.start, End: p.start.Add(20 * time.Minute), Value: p.leads}
		if err := svc.PutKPIPoints(t.Context(), []store.KPIPoint{pt}); err != nil {
			t.Fatal(err)
		}
	}
	leads := func(now time.Time) (cur, prev Value) {
		t.Helper()
		h.Clock.Set(now)
		res, err := svc.Compute(t.Context(), Query{Metric: "leads", Period: MonthToDate})
		if err != nil {
			t.Fatal(err)
		}
		return res.Current(), res.Previous()
	}
	if cur, _ := leads(at(10, 31, 23, 45)); cur.V != 5 {
		t.Errorf("October to date on its last evening = %v, want 1+4", cur.V)
	}
	// On 1 November the month to date is that one day; before it, 31 October.
	if cur, prev := leads(at(11, 1, 12, 0)); cur.V != 8 || prev.V != 1 {
		t.Errorf("1 November: mtd %v, previous %v; want 8 and 1", cur.V, prev.V)
	}
	h.Say("/kpi leads --period mtd").Contains(t, "Latest (2026-11-01): 8", "Previous (2026-10-31): 1")
}

func TestAnswersAreCachedAndInvalidatedByWrites(t *testing.T) {
	h, svc := newHarness(t)
	leads := func() float64 {
		t.Helper()
		res, err := svc.Compute(t.Context(), Query{Metric: "leads", Period: Days7})
		if err != nil {
			t.Fatal(err)
		}
		return res.Current().V
	}
	start := h.Clock.Now()
	point := func(v float64) []store.KPIPoint {
		return []store.KPIPoint{{Metric: "leads", Brand: "acme", Channel: "x", Start: start, End: start.Add(time.Hour), Value: v}}
	}
	if err := svc.PutKPIPoints(t.Context(), point(3)); err != nil {
		t.Fatal(err)
	}
	if got := leads(); got != 3 {
		t.Fatalf("leads = %v, want 3", got)
	}
	// A write that bypasses the service is not seen until the cache expires.
	if err := h.Store.PutKPIPoints(t.Context(), point(5)); err != nil {
		t.Fatal(err)
	}
	if got := leads(); got != 3 {
		t.Errorf("leads right after a write behind the cache's back = %v, want the cached 3", got)
	}
	h.Clock.Set(h.Clock.Now().Add(CacheTTL + time.Second))
	if got := leads(); got != 5 {
		t.Errorf("leads after the cache expired = %v, want 5", got)
	}
	// A write through the service (webhook, import) is seen at once.
	if err := svc.PutKPIPoints(t.Context(), point(7)); err != nil {
		t.Fatal(err)
	}
	if got := leads(); got != 7 {
		t.Errorf("leads after a write through the service = %v, want 7", got)
	}
}
