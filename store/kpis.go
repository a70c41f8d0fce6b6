package store

import (
	"context"
	"time"
)

// KPIPoint is one data point of a KPI for one brand, one channel and one
// period: a direct value, or (Ratio) a numerator and a denominator that are
// summed separately, so that a ratio is never an average of rates. The key
// is (Metric, Brand, Channel, Start, End): storing a point with the key of
// a stored one replaces it.
type KPIPoint struct {
	Metric      string
	Brand       string
	Channel     string
	Start       time.Time // inclusive
	End         time.Time // exclusive
	Ratio       bool      // Numerator and Denominator hold the data; Value is unused
	Value       float64
	Numerator   float64
	Denominator float64
	// SentAt is when the sender sent the point. A stored point is replaced
	// only by one sent at the same time or later, so a delayed or replayed
	// delivery never undoes a correction.
	SentAt time.Time
}

// KPIFilter selects the points of one metric. An empty Brand or Channel
// matches every brand or channel.
type KPIFilter struct {
	Metric  string
	Brand   string
	Channel string
}

// KPIBucket is what the points of one period add up to. A point belongs to
// the period its Start falls in.
type KPIBucket struct {
	Points      int64   // every point in the period
	Numerator   float64 // Σ numerator of the ratio points
	Denominator float64 // Σ denominator of the ratio points
	Values      int64   // how many value points
	Sum         float64 // Σ value of the value points
}

// KPIValue is the value of one value point.
type KPIValue struct {
	Start time.Time
	Value float64
}

// KPIs keeps KPI data points.
type KPIs interface {
	// PutKPIPoints stores points in one transaction, replacing stored
	// points with the same key that were sent at the same time or earlier
	// (a stored point sent later is kept); of two points with one key in
	// ps, the one sent later wins, and of two sent together the later in ps.
	PutKPIPoints(ctx context.Context, ps []KPIPoint) error
	// KPIBuckets adds up the points matching f per period, for the periods
	// [bounds[i], bounds[i+1]); it returns len(bounds)-1 buckets (none for
	// fewer than two bounds). Bounds must increase.
	KPIBuckets(ctx context.Context, f KPIFilter, bounds []time.Time) ([]KPIBucket, error)
	// KPILatest returns, per period as for KPIBuckets, the sum over every
	// brand and channel matching f of the series' latest value point in
	// the period (latest Start, then latest End): the total of a level
	// such as followers. A period without value points gives 0.
	KPILatest(ctx context.Context, f KPIFilter, bounds []time.Time) ([]float64, error)
	// KPIValues lists the values of the value points matching f whose Start
	// is in [from, to), oldest first: the input of medians and percentiles.
	KPIValues(ctx context.Context, f KPIFilter, from, to time.Time) ([]KPIValue, error)
}
