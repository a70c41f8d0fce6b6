package kpi

import (
	"math"
	"testing"

	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

func TestEvaluateEachFormula(t *testing.T) {
	ratio := config.KPI{ID: "engagement-rate", Formula: FormulaRatio, Numerator: "engagements", Denominator: "impressions", Unit: "%"}
	plainRatio := ratio
	plainRatio.Unit = ""
	value := func(agg string) config.KPI { return config.KPI{ID: "v", Formula: FormulaValue, Aggregate: agg} }
	values := Totals{KPIBucket: store.KPIBucket{Points: 4, Values: 4, Sum: 10}, Last: 7}
	samples := func(xs ...float64) Totals {
		return Totals{KPIBucket: store.KPIBucket{Points: int64(len(xs)), Values: int64(len(xs))}, Samples: xs}
	}
	tests := []struct {
		name string
		k    config.KPI
		t    Totals
		want Value
	}{
		// 30/1000 and 10/100 average to 6.5%, but the rate of the sums is 40/1100.
		{"ratio of sums, in percent", ratio, Totals{KPIBucket: store.KPIBucket{Points: 2, Numerator: 40, Denominator: 1100}}, Value{100 * 40.0 / 1100, true}},
		{"ratio without a unit", plainRatio, Totals{KPIBucket: store.KPIBucket{Points: 1, Numerator: 1, Denominator: 4}}, Value{0.25, true}},
		{"ratio with a zero denominator", ratio, Totals{KPIBucket: store.KPIBucket{Points: 1}}, Value{}},
		{"ratio without data", ratio, Totals{}, Value{}},
		{"value sum", value(AggregateSum), values, Value{10, true}},
		{"value mean", value(AggregateMean), values, Value{2.5, true}},
		{"value last", value(AggregateLast), values, Value{7, true}},
		{"value without data", value(AggregateSum), Totals{}, Value{}},
		{"median of an odd count", config.KPI{Formula: FormulaMedian}, samples(9, 1, 5), Value{5, true}},
		{"median of an even count", config.KPI{Formula: FormulaMedian}, samples(10, 1, 4, 3), Value{3.5, true}},
		{"median of one", config.KPI{Formula: FormulaMedian}, samples(42), Value{42, true}},
		{"median without data", config.KPI{Formula: FormulaMedian}, samples(), Value{}},
		// Rank 0.9·9 = 8.1: 90 + 0.1·(100−90).
		{"p90 interpolates", config.KPI{Formula: FormulaP90}, samples(100, 10, 20, 30, 40, 50, 60, 70, 80, 90), Value{91, true}},
		{"p90 of two", config.KPI{Formula: FormulaP90}, samples(0, 10), Value{9, true}},
		{"p90 of one", config.KPI{Formula: FormulaP90}, samples(3), Value{3, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Evaluate(tt.k, tt.t)
			if got.OK != tt.want.OK || math.Abs(got.V-tt.want.V) > 1e-12 {
				t.Errorf("Evaluate = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestEvaluateDoesNotReorderSamples(t *testing.T) {
	xs := []float64{3, 1, 2}
	Evaluate(config.KPI{Formula: FormulaMedian}, Totals{Samples: xs})
	if xs[0] != 3 || xs[1] != 1 || xs[2] != 2 {
		t.Errorf("samples changed to %v", xs)
	}
}

func TestFormatting(t *testing.T) {
	pct := config.KPI{ID: "er", Unit: "%", Better: "higher", Target: 3.5, Formula: FormulaRatio}
	minutes := config.KPI{ID: "rt", Unit: "min", Better: "lower", Target: 60, Formula: FormulaMedian}
	count := config.KPI{ID: "leads", Better: "higher", Formula: FormulaValue, Aggregate: AggregateSum}
	ok := func(v float64) Value { return Value{v, true} }
	tests := []struct{ got, want string }{
		{FormatValue(pct, ok(3.4712)), "3.47%"},
		{FormatValue(pct, ok(45.67)), "45.7%"},
		{FormatValue(minutes, ok(42)), "42 min"},
		{FormatValue(count, ok(1234567)), "1,234,567"},
		{FormatValue(count, ok(-1234.4)), "-1,234"},
		{FormatValue(minutes, ok(72.00000000001)), "72 min"},
		{FormatValue(pct, ok(3.5)), "3.5%"},
		{FormatValue(pct, ok(0.001)), "0%"},
		{FormatValue(pct, ok(-0.001)), "0%"},
		{FormatValue(count, Value{}), "no data"},
		{FormatChange(pct, ok(3.5), ok(3.25)), "▲ +0.25 pp, better"},
		{FormatChange(minutes, ok(50), ok(40)), "▲ +10 min (+25%), worse"},
		{FormatChange(minutes, ok(30), ok(40)), "▼ −10 min (−25%), better"},
		{FormatChange(count, ok(5), ok(5)), "＝ no change"},
		{FormatChange(count, ok(5), Value{}), "n/a"},
		{FormatChange(count, ok(5), ok(0)), "▲ +5, better"},
		{FormatTarget(pct, ok(3.5)), "3.5% ✅ met"},
		{FormatTarget(pct, ok(3.4)), "3.5% ❌ not met"},
		{FormatTarget(minutes, ok(60)), "60 min ✅ met"},
		{FormatTarget(minutes, ok(61)), "60 min ❌ not met"},
		{FormatTarget(minutes, Value{}), "60 min (no data)"},
		{FormatTarget(count, ok(5)), "none"},
		{Sparkline([]Value{ok(1), ok(2), ok(3), ok(4), ok(5), ok(6), ok(7), ok(8)}), "▁▂▃▄▅▆▇█"},
		{Sparkline([]Value{ok(10), {}, ok(0), ok(5)}), "█·▁▅"},
		{Sparkline([]Value{ok(2), ok(2)}), "▄▄"},
		{Sparkline([]Value{{}, {}}), "··"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}

// TestSparklineWithExtremeValues: any finite number is a valid data point,
// so the range can overflow and a ratio can be infinite; the sparkline must
// still draw (it used to index outside its levels and panic).
func TestSparklineWithExtremeValues(t *testing.T) {
	for _, tc := range []struct {
		vs   []Value
		want string
	}{
		{[]Value{{V: -1.7e308, OK: true}, {V: 0, OK: true}, {V: 1.7e308, OK: true}}, "▁▁█"},
		{[]Value{{V: 1, OK: true}, {V: math.Inf(1), OK: true}, {}}, "▁█·"},
		{[]Value{{V: math.Inf(-1), OK: true}, {V: 5, OK: true}, {V: math.Inf(1), OK: true}}, "▁▄█"},
	} {
		if got := Sparkline(tc.vs); got != tc.want {
			t.Errorf("Sparkline(%v) = %q, want %q", tc.vs, got, tc.want)
		}
	}
}
