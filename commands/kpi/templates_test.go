package kpi

import (
	"testing"
	"time"

	"github.com/interlock-coe/interlock/store"
)

// TestTemplateShareByDepartment counts the answers filled from a template
// among all answers, per department with --dept.
func TestTemplateShareByDepartment(t *testing.T) {
	h, svc := newHarness(t)
	day := h.Clock.Now().Add(-24 * time.Hour)
	none := time.Duration(-1)
	for i, dept := range []string{"customer-care", "customer-care", "customer-care", "customer-care", "sales", "sales"} {
		routeTo(t, h.Store, dept, "acme", "x", day, none, 10*time.Minute)
		if i == 0 || i == 4 {
			id := int64(i + 1)
			_, err := h.Store.UpdateRoutedIssue(t.Context(), id, func(is *store.RoutedIssue) error {
				is.Template, is.TemplateVersion = "late-parcel", 1
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	routeTo(t, h.Store, "sales", "acme", "x", day, 5*time.Minute, none) // claimed, never answered: not an answer
	for dept, want := range map[string]float64{"": 100.0 * 2 / 6, "customer-care": 25, "sales": 50} {
		if got := compute(t, svc, Query{Metric: "template-share", Department: dept, Period: Days7}); !got.OK || !near(got.V, want) {
			t.Errorf("template-share for %q = %+v, want %v", dept, got, want)
		}
	}
	h.Say("/kpi template-share --dept sales --period 7d").Contains(t, "50%")
	h.Say("/kpi template-share --dept nowhere").Fails(t, "invalid", `unknown department "nowhere"`)
}
