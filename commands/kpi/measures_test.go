package kpi

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// extraKPIs are added to the example configuration: a crisis p90, an SLA
// share over every issue whose outcome is known, and a misconfigured one.
// The example already defines crisis-count and time-to-assemble.
const extraKPIs = `kpis:
  - id: assemble-p90
    formula: p90
    numerator: assemble_minutes
    unit: min
    source: crises
  - id: sla-met
    name: SLA met
    formula: ratio
    numerator: answered_within_sla
    denominator: due
    unit: "%"
    source: routing
  - id: broken
    name: Broken KPI
    formula: ratio
    numerator: replies
    denominator: routed
    source: routing
`

func withExtraKPIs() commandstest.Option {
	return commandstest.WithConfig(strings.Replace(string(config.Example()), "kpis:\n", extraKPIs, 1))
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func compute(t *testing.T, svc *Service, q Query) Value {
	t.Helper()
	res, err := svc.Compute(t.Context(), q)
	if err != nil {
		t.Fatalf("Compute(%+v): %v", q, err)
	}
	return res.Current()
}

// routeIssue stores an issue for customer care routed at routed, due an
// hour later, and records its claim and answer offsets (negative = none).
func routeIssue(t *testing.T, st store.Store, brand, platform string, routed time.Time, claim, answer time.Duration) {
	t.Helper()
	routeTo(t, st, "customer-care", brand, platform, routed, claim, answer)
}

func routeTo(t *testing.T, st store.Store, dept, brand, platform string, routed time.Time, claim, answer time.Duration) {
	t.Helper()
	is, _, err := st.CreateRoutedIssue(t.Context(), store.RoutedIssue{
		Brand: brand, Platform: platform, Text: "parcel never came", Department: dept,
		Status: store.IssueOpen, ReceivedAt: routed, RoutedAt: routed, DueAt: routed.Add(time.Hour),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.UpdateRoutedIssue(t.Context(), is.ID, func(is *store.RoutedIssue) error {
		if claim >= 0 {
			is.Status, is.ClaimedBy, is.ClaimedAt = store.IssueClaimed, "dana", routed.Add(claim)
		}
		if answer >= 0 {
			is.Status, is.AnsweredBy, is.AnsweredAt, is.Reply = store.IssueAnswered, "dana", routed.Add(answer), "sorry"
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRoutingKPIsFromRoutedIssues(t *testing.T) {
	h, svc := newHarness(t, withExtraKPIs())
	day := h.Clock.Now().Add(-24 * time.Hour)
	none := time.Duration(-1)
	routeIssue(t, h.Store, "acme", "instagram", day, 10*time.Minute, none)                        // 10 min, in time
	routeIssue(t, h.Store, "acme", "x", day, none, 30*time.Minute)                                // 30 min, in time
	routeIssue(t, h.Store, "acme", "instagram", day, 90*time.Minute, 2*time.Hour)                 // 90 min, late
	routeIssue(t, h.Store, "globex", "x", day, 50*time.Minute, 20*time.Minute)                    // 20 min: the answer came first
	routeIssue(t, h.Store, "acme", "x", day, none, none)                                          // overdue, no response
	routeIssue(t, h.Store, "acme", "x", h.Clock.Now().Add(-10*time.Minute), none, none)           // not due yet
	routeIssue(t, h.Store, "acme", "x", h.Clock.Now().Add(-40*24*time.Hour), 5*time.Minute, none) // before the period

	week := func(metric, brand, channel string) Value {
		return compute(t, svc, Query{Metric: metric, Brand: brand, Channel: channel, Period: Days7})
	}
	for _, tc := range []struct {
		metric, brand, channel string
		want                   float64
	}{
		{"response-time-median", "", "", 25},          // of 10, 20, 30, 90
		{"response-time-p90", "", "", 72},             // rank 2.7: 30 + 0.7 × 60
		{"sla-share", "", "", 75},                     // 3 of 4 answered
		{"sla-met", "", "", 60},                       // 3 of 5 whose outcome is known
		{"response-time-median", "acme", "", 30},      // of 10, 30, 90
		{"response-time-median", "", "instagram", 50}, // of 10, 90
		{"sla-share", "globex", "", 100},
	} {
		if got := week(tc.metric, tc.brand, tc.channel); !got.OK || !near(got.V, tc.want) {
			t.Errorf("%s brand=%q channel=%q: %+v, want %v", tc.metric, tc.brand, tc.channel, got, tc.want)
		}
	}
	if got := week("response-time-median", "umbrella", ""); got.OK {
		t.Errorf("a brand without issues: %+v, want no data", got)
	}
	res := h.Say("/kpi")
	res.Contains(t, "Median first response: 25 min", "SLA met: 60%",
		`Broken KPI: ⚠ KPI broken: "replies" is not a measure of routed issues; measures: routed, answered, due,`)
	h.Say("/kpi response-time-p90 --period 7d").Contains(t, "Latest (2026-11-17 – 2026-11-23): 72 min",
		"Target: 120 min ✅ met", "response-time-p90 = p90 of response_minutes, from routed issues; lower is better")
}

// crisisList is a fixed list of crises standing in for store.Crises.
type crisisList []store.Crisis

func (c crisisList) ListCrises(context.Context, bool) ([]store.Crisis, error) { return c, nil }

func TestCrisisKPIs(t *testing.T) {
	h, svc := newHarness(t, withExtraKPIs())
	now := h.Clock.Now()
	opened := func(ago, assemble time.Duration, brand string) store.Crisis {
		c := store.Crisis{Brand: brand, OpenedAt: now.Add(-ago)}
		if assemble >= 0 {
			c.AssembledAt = c.OpenedAt.Add(assemble)
		}
		return c
	}
	svc.crises = crisisList{
		opened(2*time.Hour, 12*time.Minute, "acme"),
		opened(26*time.Hour, -1, "globex"),      // never assembled
		opened(50*time.Hour, 4*time.Minute, ""), // every brand
		opened(72*time.Hour, 30*time.Minute, "acme"),
		opened(9*24*time.Hour, 2*time.Minute, "acme"), // the week before
	}
	for _, tc := range []struct {
		q    Query
		want Value
	}{
		{Query{Metric: "crisis-count", Period: Days7}, Value{4, true}},
		{Query{Metric: "crisis-count", Brand: "acme", Period: Days7}, Value{3, true}},
		{Query{Metric: "time-to-assemble", Period: Days7}, Value{12, true}}, // of 4, 12, 30
		{Query{Metric: "assemble-p90", Period: Days7}, Value{26.4, true}},   // rank 1.8: 12 + 0.8 × 18
		{Query{Metric: "time-to-assemble", Brand: "globex", Period: Days7}, Value{4, true}},
		{Query{Metric: "crisis-count", Brand: "umbrella", Period: Days7}, Value{1, true}},
	} {
		if got := compute(t, svc, tc.q); got.OK != tc.want.OK || !near(got.V, tc.want.V) {
			t.Errorf("%+v: %+v, want %+v", tc.q, got, tc.want)
		}
	}
	res, err := svc.Compute(t.Context(), Query{Metric: "crisis-count", Channel: "x", Period: Days7})
	if err != nil || res.Previous().V != 1 || !strings.Contains(res.Note, "not per channel") {
		t.Errorf("per channel: %+v, %v; want last week's 1 and a note", res, err)
	}
	// Without crisis records the crisis KPIs say so rather than fail.
	svc.crises = nil
	res, err = svc.Compute(t.Context(), Query{Metric: "crisis-count"})
	if err != nil || res.Current().OK || res.Note == "" {
		t.Errorf("without crisis records: %+v, %v", res, err)
	}
}
