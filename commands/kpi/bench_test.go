package kpi

import (
	"log/slog"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/store"
	"github.com/interlock-coe/interlock/store/sqlite"
)

// BenchmarkKPIQuery measures answers from the embedded store, without the
// cache, over a year of daily points for 3 brands × 4 channels of a ratio
// KPI and a value KPI (365 × 3 × 4 points each).
func BenchmarkKPIQuery(b *testing.B) {
	cfg := exampleConfig(b)
	st, err := sqlite.Open(b.Context(), b.TempDir(), slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	clock := &commandstest.Clock{}
	clock.Set(commandstest.Start)
	if err := st.PutKPIPoints(b.Context(), yearOfPoints(commandstest.Start, cfg.Org.Location)); err != nil {
		b.Fatal(err)
	}
	svc := New(commands.Deps{Config: cfg, Store: st, Clock: clock})
	for _, q := range []Query{
		{Metric: "engagement-rate", Brand: "acme", Period: Days30},
		{Metric: "engagement-rate", Brand: "acme", Channel: "x", Period: Days7},
		{Metric: "engagement-rate", Period: QuarterToDate},
		{Metric: "leads", Period: Days30},
	} {
		b.Run(q.Metric+"/"+q.Brand+"/"+q.Channel+"/"+string(q.Period), func(b *testing.B) {
			for b.Loop() {
				if _, err := svc.Compute(b.Context(), q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// yearOfPoints is a year of daily engagement-rate and leads points ending
// at now, for every test brand and channel.
func yearOfPoints(now time.Time, loc *time.Location) []store.KPIPoint {
	y, m, d := now.In(loc).Date()
	var ps []store.KPIPoint
	for age := range 365 {
		start := time.Date(y, m, d-age, 0, 0, 0, 0, loc)
		end := time.Date(y, m, d-age+1, 0, 0, 0, 0, loc)
		for bi, brand := range testBrands {
			for ci, ch := range testChannels {
				ps = append(ps,
					store.KPIPoint{Metric: "engagement-rate", Brand: brand, Channel: ch, Start: start, End: end,
						Ratio: true, Numerator: float64(100 + age%50 + bi + ci), Denominator: 10000},
					store.KPIPoint{Metric: "leads", Brand: brand, Channel: ch, Start: start, End: end, Value: float64(age % 7)})
			}
		}
	}
	return ps
}
