package kpi

import (
	"math"
	"slices"

	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// Formulas and aggregates of the configuration (config.KPI).
const (
	FormulaRatio  = "ratio"  // Σ numerator / Σ denominator
	FormulaValue  = "value"  // the values combined by the aggregate
	FormulaMedian = "median" // the middle value
	FormulaP90    = "p90"    // the 90th percentile

	AggregateSum  = "sum"
	AggregateMean = "mean"
	AggregateLast = "last"
)

// Sources of a KPI's data (config.KPI.Source).
const (
	SourceData     = "data"     // POST /hooks/metrics and CSV imports
	SourceRouting  = "routing"  // routed issues
	SourceCrises   = "crises"   // crisis rooms
	SourceContent  = "content"  // content approvals
	SourceRequests = "requests" // service requests (/request)
)

// Value is a KPI's value for one period; OK is false when the period has
// no data to compute it from (no points, or a zero denominator).
type Value struct {
	V  float64 `json:"v"`
	OK bool    `json:"ok"`
}

// Totals are one period's data, already added up where the formula allows
// (store.KPIBucket), plus what the "last" aggregate and the median or
// percentile need.
type Totals struct {
	store.KPIBucket
	Last    float64   // Σ of each series' latest value, for "last" only
	Samples []float64 // the values, for median and p90 only
}

// Evaluate computes k's value from one period's totals. A ratio whose unit
// is "%" is shown in percent (×100); every other value is as given.
func Evaluate(k config.KPI, t Totals) Value {
	switch k.Formula {
	case FormulaRatio:
		if t.Denominator == 0 {
			return Value{}
		}
		v := t.Numerator / t.Denominator
		if k.Unit == "%" {
			v *= 100
		}
		return Value{V: v, OK: true}
	case FormulaMedian:
		return percentile(t.Samples, 0.5)
	case FormulaP90:
		return percentile(t.Samples, 0.9)
	}
	if t.Values == 0 {
		return Value{}
	}
	switch k.Aggregate {
	case AggregateSum:
		return Value{V: t.Sum, OK: true}
	case AggregateMean:
		return Value{V: t.Sum / float64(t.Values), OK: true}
	}
	return Value{V: t.Last, OK: true}
}

// percentile returns the p-quantile of xs by linear interpolation between
// the closest ranks (rank p·(n−1) of the sorted values, as spreadsheets'
// PERCENTILE.INC): the median of an even count is the mean of the middle
// two.
func percentile(xs []float64, p float64) Value {
	if len(xs) == 0 {
		return Value{}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	rank := p * float64(len(s)-1)
	lo := int(math.Floor(rank))
	hi := min(lo+1, len(s)-1)
	frac := rank - float64(lo)
	return Value{V: s[lo] + frac*(s[hi]-s[lo]), OK: true}
}

// needsLast reports whether k is aggregated by each series' latest value.
func needsLast(k config.KPI) bool {
	return k.Formula == FormulaValue && k.Aggregate == AggregateLast
}

// needsSamples reports whether k is computed from single values rather
// than from sums.
func needsSamples(k config.KPI) bool {
	return k.Formula == FormulaMedian || k.Formula == FormulaP90
}
