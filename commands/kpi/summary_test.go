package kpi

import (
	"slices"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/commands/syncs"
	"github.com/interlock-coe/interlock/store"
)

// The sync agenda can show these KPIs.
var _ syncs.KPIReport = (*Service)(nil)

func TestKPISummaryForTheSyncAgenda(t *testing.T) {
	h, svc := newHarness(t)
	now := h.Clock.Now()
	since, until := now.AddDate(0, -1, 0), now
	none := time.Duration(-1)
	routeTo(t, h.Store, "customer-care", "acme", "x", now.Add(-48*time.Hour), 20*time.Minute, none)
	routeTo(t, h.Store, "sales", "acme", "x", now.Add(-48*time.Hour), 3*time.Hour, none)
	err := svc.PutKPIPoints(t.Context(), []store.KPIPoint{
		{Metric: "leads", Brand: "acme", Channel: "x", Start: now.Add(-72 * time.Hour), End: now.Add(-48 * time.Hour), Value: 40},
		{Metric: "leads", Brand: "globex", Channel: "x", Start: now.Add(-72 * time.Hour), End: now.Add(-48 * time.Hour), Value: 2},
		{Metric: "leads", Brand: "acme", Channel: "x", Start: since.Add(-time.Hour), End: since, Value: 1000}, // before
	})
	if err != nil {
		t.Fatal(err)
	}
	for dept, want := range map[string][]string{
		"sales": {
			"Median first response: 180 min (target 60 min ❌ not met)",
			"90th percentile first response: 180 min (target 120 min ❌ not met)",
			"Answered within SLA: 0% (target 90% ❌ not met)",
			"Leads: 42", "more with /kpi",
		},
		"": {
			"Median first response: 100 min (target 60 min ❌ not met)",
			"90th percentile first response: 164 min (target 120 min ❌ not met)",
			"Answered within SLA: 50% (target 90% ❌ not met)",
			"Leads: 42", "more with /kpi",
		},
	} {
		got, err := svc.KPISummary(t.Context(), dept, since, until)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("KPISummary(%q) = %q, %v\nwant %q", dept, got, err, want)
		}
	}
	if got, err := svc.KPISummary(t.Context(), "", until, until); err != nil || len(got) != 0 {
		t.Errorf("empty span: %q, %v", got, err)
	}
}
