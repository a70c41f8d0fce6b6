package spike

import (
	"fmt"
	"math"
)

// State is what a window means for its series.
type State int

// States of a window, from calm to alarming.
const (
	// Unknown: too little history to judge.
	Unknown State = iota
	// Normal: back at the baseline (within ResolveK spreads of it).
	Normal
	// Elevated: above normal but not a spike; an active alert stays active.
	Elevated
	// Spike: the window alerts.
	Spike
)

func (s State) String() string {
	switch s {
	case Normal:
		return "normal"
	case Elevated:
		return "elevated"
	case Spike:
		return "spike"
	}
	return "unknown"
}

// Default tuning that the configuration does not expose.
const (
	DefaultMinLift    = 1.5 // a spike is at least 1.5× the expected count
	DefaultMinHistory = 3   // past windows needed before judging
	DefaultResolveK   = 1.0 // back to normal within one spread of the baseline
)

// Params tune detection.
type Params struct {
	K           float64 // spreads above the expected count that make a spike (listening.k)
	MinMentions int64   // a window with fewer mentions is never a spike (listening.min_mentions)
	MinLift     float64 // a spike is at least this multiple of the expected count
	MinHistory  int     // past windows needed before judging
	ResolveK    float64 // within this many spreads of the baseline counts as normal
}

// DefaultParams returns Params for the configured k and minimum volume.
func DefaultParams(k float64, minMentions int64) Params {
	return Params{K: k, MinMentions: minMentions, MinLift: DefaultMinLift, MinHistory: DefaultMinHistory, ResolveK: DefaultResolveK}
}

// Verdict is the judgement of one window against a baseline.
type Verdict struct {
	State     State
	Mentions  int64
	Expected  float64 // mentions the baseline predicts for a window this long
	Sigma     float64 // standard deviation of that prediction
	Threshold float64 // mentions above which the window is a spike
	Multiple  float64 // mentions ÷ expected (expected floored at 1)
	Why       string  // one line for logs and messages
}

// epsilon absorbs floating-point error in threshold comparisons, so that
// exactly 10× a baseline counts as "≥ 10×".
const epsilon = 1e-9

// Detect judges window w against baseline b.
func Detect(p Params, b Baseline, w Window) Verdict {
	v := Verdict{Mentions: w.Mentions, Expected: b.Rate * w.Hours()}
	floor := math.Max(v.Expected, 1)
	v.Multiple = float64(w.Mentions) / floor
	v.Sigma = math.Max(b.Spread*w.Hours(), math.Sqrt(floor))
	v.Threshold = v.Expected + p.K*v.Sigma
	count := float64(w.Mentions)
	switch {
	case b.Windows < p.MinHistory:
		v.State = Unknown
		v.Why = fmt.Sprintf("only %d past windows (need %d)", b.Windows, p.MinHistory)
	case count <= v.Expected+math.Min(p.ResolveK, p.K)*v.Sigma+epsilon:
		v.State = Normal
		v.Why = fmt.Sprintf("%d mentions, baseline ≈%s", w.Mentions, FormatCount(v.Expected))
	case w.Mentions < p.MinMentions:
		v.State = Elevated
		v.Why = fmt.Sprintf("%d mentions is below the minimum of %d", w.Mentions, p.MinMentions)
	case count <= v.Threshold+epsilon:
		v.State = Elevated
		v.Why = fmt.Sprintf("%d mentions is within %g spreads of the baseline ≈%s", w.Mentions, p.K, FormatCount(v.Expected))
	case v.Multiple+epsilon < p.MinLift:
		v.State = Elevated
		v.Why = fmt.Sprintf("%.1f× baseline is below the minimum lift of %g×", v.Multiple, p.MinLift)
	default:
		v.State = Spike
		v.Why = fmt.Sprintf("%d mentions, %.1f× the baseline ≈%s (threshold %s)", w.Mentions, v.Multiple, FormatCount(v.Expected), FormatCount(v.Threshold))
	}
	return v
}

// FormatCount shows a count compactly: 950, 4,000, 12.5k, 1.2M, 3.4B. The
// unit is chosen after rounding, so 999,960 is "1M", not "1000k".
func FormatCount(x float64) string {
	switch a := math.Abs(x); {
	case tenths(a/1e6) >= 1000:
		return trim(x/1e9) + "B"
	case tenths(a/1e3) >= 1000:
		return trim(x/1e6) + "M"
	case math.Round(a) >= 1e4:
		return trim(x/1e3) + "k"
	default:
		return grouped(int64(math.Round(x)))
	}
}

// tenths rounds x to one decimal, as trim shows it.
func tenths(x float64) float64 { return math.Round(x*10) / 10 }

// grouped writes n with thousands separators: 9,999.
func grouped(n int64) string {
	if n < 0 {
		return "-" + grouped(-n)
	}
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// trim formats x with one decimal, dropping a trailing ".0".
func trim(x float64) string {
	s := fmt.Sprintf("%.1f", x)
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		return s[:len(s)-2]
	}
	return s
}
