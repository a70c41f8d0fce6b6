package spike

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// hourly returns consecutive one-hour windows with the given counts.
func hourly(counts ...int64) []Window {
	out := make([]Window, len(counts))
	for i, c := range counts {
		start := t0.Add(time.Duration(i) * time.Hour)
		out[i] = Window{Start: start, End: start.Add(time.Hour), Mentions: c}
	}
	return out
}

func repeat(n int, c int64) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = c
	}
	return out
}

func TestNewBaseline(t *testing.T) {
	tests := []struct {
		name        string
		history     []Window
		rate, sprd  float64
		windowCount int
	}{
		{"empty", nil, 0, 0, 0},
		{"flat", hourly(400, 400, 400, 400), 400, 0, 4},
		{"odd count median", hourly(1, 5, 3), 3, madScale * 2, 3},
		{"even count median", hourly(10, 20, 30, 40), 25, madScale * 10, 4},
		{"an outlier does not move it", hourly(400, 410, 390, 4000, 400), 400, madScale * 10, 5},
		{"rates, not counts", []Window{
			{Start: t0, End: t0.Add(15 * time.Minute), Mentions: 100},
			{Start: t0, End: t0.Add(2 * time.Hour), Mentions: 800},
			{Start: t0, End: t0.Add(time.Hour), Mentions: 400},
		}, 400, 0, 3},
		{"empty spans ignored", []Window{{Start: t0, End: t0, Mentions: 9}}, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBaseline(tt.history)
			if !near(b.Rate, tt.rate) || !near(b.Spread, tt.sprd) || b.Windows != tt.windowCount {
				t.Errorf("got %+v, want rate %g spread %g windows %d", b, tt.rate, tt.sprd, tt.windowCount)
			}
		})
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestDetect(t *testing.T) {
	p := DefaultParams(3, 100)
	steady := NewBaseline(hourly(380, 400, 420, 400, 390, 410, 400, 400))
	quiet := NewBaseline(hourly(2, 1, 3, 2, 2, 2))
	busy := NewBaseline(hourly(repeat(24, 10000)...))
	tests := []struct {
		name     string
		p        Params
		b        Baseline
		w        Window
		want     State
		multiple float64
	}{
		{"400 to 4,000 is a spike", p, steady, hourly(4000)[0], Spike, 10},
		{"a quiet topic 2 to 8 is not", p, quiet, hourly(8)[0], Elevated, 4},
		{"...even at 60", p, quiet, hourly(60)[0], Elevated, 30},
		{"...but 150 is", p, quiet, hourly(150)[0], Spike, 75},
		{"steady volume is normal", p, steady, hourly(410)[0], Normal, 1.025},
		{"a small rise is elevated", p, steady, hourly(450)[0], Elevated, 1.125},
		{"below the minimum lift", p, busy, hourly(11000)[0], Elevated, 1.1},
		{"busy topic doubling", p, busy, hourly(20000)[0], Spike, 2},
		{"too little history", p, NewBaseline(hourly(400, 400)), hourly(4000)[0], Unknown, 10},
		{"a 15-minute window is scaled", p, steady, Window{Start: t0, End: t0.Add(15 * time.Minute), Mentions: 1000}, Spike, 10},
		{"min_mentions 0 lets small topics alert", DefaultParams(3, 0), quiet, hourly(12)[0], Spike, 6},
		{"exactly 10x", p, NewBaseline(hourly(repeat(10, 400)...)), hourly(4000)[0], Spike, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Detect(tt.p, tt.b, tt.w)
			if v.State != tt.want {
				t.Errorf("state = %s (%s), want %s", v.State, v.Why, tt.want)
			}
			if !near(v.Multiple, tt.multiple) {
				t.Errorf("multiple = %g, want %g", v.Multiple, tt.multiple)
			}
			if v.Why == "" {
				t.Error("no explanation")
			}
		})
	}
}

func TestDetectFloorsTheSpreadAtPoissonNoise(t *testing.T) {
	flat := NewBaseline(hourly(repeat(24, 400)...))
	v := Detect(DefaultParams(3, 100), flat, hourly(450)[0])
	if v.Sigma != 20 || v.Threshold != 460 || v.State != Elevated {
		t.Errorf("got sigma %g threshold %g state %s; want 20, 460, elevated", v.Sigma, v.Threshold, v.State)
	}
}

var playbook = []Level{
	{Name: "sev1", VolumeMultiple: 10, NegativeShare: 0.6, MinReach: 1_000_000, Press: true},
	{Name: "sev2", VolumeMultiple: 5, NegativeShare: 0.4},
	{Name: "sev3", VolumeMultiple: 3},
	{Name: "sev4"},
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name    string
		s       Signal
		sev     string
		reasons []string
	}{
		{"ten times", Signal{Multiple: 10, Mentions: 4000}, "sev1", []string{"mentions 10.0× baseline (≥ 10×)"}},
		{"negative share with reach", Signal{Multiple: 2, Mentions: 1000, Negative: 620, Reach: 1_200_000}, "sev1",
			[]string{"negative share 62% with reach 1.2M (≥ 60% with reach ≥ 1M)"}},
		{"negative share without the reach", Signal{Multiple: 2, Mentions: 1000, Negative: 620, Reach: 50_000}, "sev2",
			[]string{"negative share 62% (≥ 40%)"}},
		{"press", Signal{Multiple: 2, Mentions: 300, Press: true}, "sev1", []string{"press pickup"}},
		{"every sev1 reason", Signal{Multiple: 12, Mentions: 1000, Negative: 700, Reach: 2_000_000, Press: true}, "sev1",
			[]string{"mentions 12.0× baseline (≥ 10×)", "negative share 70% with reach 2M (≥ 60% with reach ≥ 1M)", "press pickup"}},
		{"five times", Signal{Multiple: 6, Mentions: 2400}, "sev2", []string{"mentions 6.0× baseline (≥ 5×)"}},
		{"three times", Signal{Multiple: 3.2, Mentions: 1280}, "sev3", []string{"mentions 3.2× baseline (≥ 3×)"}},
		{"nothing met", Signal{Multiple: 1.8, Mentions: 720}, "sev4", []string{"mentions 1.8× baseline (below every playbook threshold)"}},
		{"no mentions", Signal{Multiple: 0, Negative: 0}, "sev4", []string{"mentions 0.0× baseline (below every playbook threshold)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Classify(playbook, tt.s)
			if c.Severity != tt.sev || !slices.Equal(c.Reasons, tt.reasons) {
				t.Errorf("got %s %q, want %s %q", c.Severity, c.Reasons, tt.sev, tt.reasons)
			}
		})
	}
	if c := Classify(nil, Signal{Multiple: 50}); c.Severity != "" {
		t.Errorf("no levels: got %+v", c)
	}
}

func TestFormatCount(t *testing.T) {
	for in, want := range map[float64]string{0: "0", 950: "950", 9999: "9,999", 4000: "4,000", -1500: "-1,500", 12500: "12.5k", 40000: "40k", 1_200_000: "1.2M", 1e6: "1M", 3.4e9: "3.4B",
		// Rounding picks the unit: never "10,000", "1000k" or "1000M".
		9999.6: "10k", 999_960: "1M", 999_960_000: "1B", 9_999_400: "10M"} {
		if got := FormatCount(in); got != want {
			t.Errorf("FormatCount(%g) = %q, want %q", in, got, want)
		}
	}
}

func TestStateString(t *testing.T) {
	got := strings.Join([]string{Unknown.String(), Normal.String(), Elevated.String(), Spike.String()}, ",")
	if got != "unknown,normal,elevated,spike" {
		t.Error(got)
	}
}
