package kpi

import (
	"context"
	"fmt"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// TrendPeriods is how many periods a result covers: the current one, the
// previous one and six more for the sparkline.
const TrendPeriods = 8

// Query asks for one KPI over a period.
type Query struct {
	Metric  string
	Brand   string // "" = every brand
	Channel string // "" = every channel
	Period  Period
	// Department narrows routing KPIs to the issues routed to it ("" =
	// every department); other KPIs have no department.
	Department string
}

// Result is a KPI's value over the trend's periods.
type Result struct {
	KPI    config.KPI
	Query  Query
	Spans  []Span  // oldest first; the last is the current period
	Values []Value // one per span
	Note   string  // a caveat to show, e.g. a filter that does not apply
}

// Current is the value of the current period.
func (r Result) Current() Value { return r.at(1) }

// Previous is the value of the period right before the current one.
func (r Result) Previous() Value { return r.at(2) }

func (r Result) at(fromEnd int) Value {
	if len(r.Values) < fromEnd {
		return Value{}
	}
	return r.Values[len(r.Values)-fromEnd]
}

// Compute evaluates one KPI for q over TrendPeriods periods ending today
// in the org time zone. An unknown metric is an EInvalid error listing the
// known ones.
func (s *Service) Compute(ctx context.Context, q Query) (Result, error) {
	k, ok := s.Config.KPI(q.Metric)
	if !ok {
		return Result{}, unknownMetric(s.Config, q.Metric)
	}
	if q.Period == "" {
		q.Period = DefaultPeriod
	}
	q.Metric = strings.ToLower(k.ID)
	return s.computeSpans(ctx, k, q, q.Period.Spans(s.Clock.Now(), s.Config.Org.Location, TrendPeriods))
}

// computeSpans evaluates k for q over consecutive spans.
func (s *Service) computeSpans(ctx context.Context, k config.KPI, q Query, spans []Span) (Result, error) {
	res := Result{KPI: k, Query: q, Spans: spans}
	var (
		totals []Totals
		err    error
	)
	if k.Source == SourceData {
		res.Values, err = s.cachedDataValues(ctx, k, q, spans)
	} else {
		totals, res.Note, err = s.computedTotals(ctx, k, q, spans)
		res.Values = evaluateAll(k, totals)
	}
	if err != nil {
		return res, fmt.Errorf("compute KPI %s: %w", k.ID, err)
	}
	return res, nil
}

func unknownMetric(cfg *config.Config, metric string) error {
	return bot.Errorf(bot.EInvalid, "unknown KPI %q; known KPIs: %s", clip(metric), strings.Join(cfg.KPIIDs(), ", "))
}

func evaluateAll(k config.KPI, totals []Totals) []Value {
	out := make([]Value, len(totals))
	for i, t := range totals {
		out[i] = Evaluate(k, t)
	}
	return out
}

// dataValues computes a data KPI from the store: sums per period in SQL,
// each series' latest value only for the "last" aggregate, and the single
// values only when a median or percentile needs them.
func (s *Service) dataValues(ctx context.Context, k config.KPI, q Query, spans []Span) ([]Value, error) {
	f := store.KPIFilter{Metric: q.Metric, Brand: q.Brand, Channel: q.Channel}
	edges := spanEdges(spans)
	buckets, err := s.points.KPIBuckets(ctx, f, edges)
	if err != nil {
		return nil, err
	}
	if len(buckets) != len(spans) {
		return nil, fmt.Errorf("store gave %d buckets for %d periods", len(buckets), len(spans))
	}
	totals := make([]Totals, len(spans))
	for i, b := range buckets {
		totals[i].KPIBucket = b
	}
	if needsLast(k) {
		latest, err := s.points.KPILatest(ctx, f, edges)
		if err != nil {
			return nil, err
		}
		for i := range min(len(latest), len(totals)) {
			totals[i].Last = latest[i]
		}
	}
	if needsSamples(k) {
		values, err := s.points.KPIValues(ctx, f, edges[0], edges[len(edges)-1])
		if err != nil {
			return nil, err
		}
		for _, v := range values {
			for i, sp := range spans {
				if sp.Contains(v.Start) {
					totals[i].Samples = append(totals[i].Samples, v.Value)
				}
			}
		}
	}
	return evaluateAll(k, totals), nil
}
