package syncs

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// KPIBucketReader adds up KPI data points; store.KPIs implements it.
type KPIBucketReader interface {
	KPIBuckets(ctx context.Context, f store.KPIFilter, bounds []time.Time) ([]store.KPIBucket, error)
}

// StoredKPIs is the KPI report used when no KPI feature provides one: the
// org-wide month of every KPI fed by data points (the webhook and imports)
// that adds up: ratios, and values summed or averaged. KPIs computed from
// routed issues or crises, levels, medians and percentiles are left to
// /kpi.
type StoredKPIs struct {
	Points KPIBucketReader
	KPIs   []config.KPI
}

// KPISummary implements KPIReport. The department does not narrow data
// points, which are per brand and channel.
func (s StoredKPIs) KPISummary(ctx context.Context, _ string, since, until time.Time) ([]string, error) {
	var out []string
	for _, k := range s.KPIs {
		if !summable(k) {
			continue
		}
		bs, err := s.Points.KPIBuckets(ctx, store.KPIFilter{Metric: k.ID}, []time.Time{since, until})
		if err != nil {
			return nil, fmt.Errorf("add up %s: %w", k.ID, err)
		}
		if len(bs) == 0 {
			continue
		}
		if v, ok := kpiValue(k, bs[0]); ok {
			out = append(out, k.Name+": "+kpiLine(k, v))
		}
	}
	if len(out) > 0 {
		out = append(out, "more with /kpi")
	}
	return out, nil
}

// summable reports whether k's month is computed from sums of data points:
// a ratio, or a value that is summed or averaged (a level such as
// followers, "last", needs the latest point per series and is left to /kpi).
func summable(k config.KPI) bool {
	if k.Source != "data" {
		return false
	}
	return k.Formula == "ratio" || k.Formula == "value" && (k.Aggregate == "sum" || k.Aggregate == "mean")
}

// kpiValue computes a ratio or value KPI from a month's bucket, like /kpi.
func kpiValue(k config.KPI, b store.KPIBucket) (float64, bool) {
	if k.Formula == "ratio" {
		if b.Denominator == 0 {
			return 0, false
		}
		v := b.Numerator / b.Denominator
		if k.Unit == "%" {
			v *= 100
		}
		return v, true
	}
	if b.Values == 0 {
		return 0, false
	}
	if k.Aggregate == "mean" {
		return b.Sum / float64(b.Values), true
	}
	return b.Sum, true
}

// kpiLine shows a value with its unit and how it compares with the target.
func kpiLine(k config.KPI, v float64) string {
	s := withUnit(k.Unit, strconv.FormatFloat(v, 'f', decimals(v), 64))
	if k.Target == 0 {
		return s
	}
	mark := "✗ below target"
	met := v >= k.Target
	if k.Better == "lower" {
		mark, met = "✗ above target", v <= k.Target
	}
	if met {
		mark = "✓ on target"
	}
	return fmt.Sprintf("%s (target %s, %s)", s, withUnit(k.Unit, strconv.FormatFloat(k.Target, 'f', -1, 64)), mark)
}

// decimals shows small numbers with one decimal and large ones without.
func decimals(v float64) int {
	if v >= 1000 || v == float64(int64(v)) {
		return 0
	}
	return 1
}

func withUnit(unit, n string) string {
	switch unit {
	case "":
		return n
	case "%":
		return n + "%"
	}
	return n + " " + unit
}
