package experiment

import (
	"fmt"
	"math"

	"github.com/interlock-coe/interlock/store"
)

// Standard normal quantiles for a two-sided test at 95% and 80% power.
const (
	zAlpha = 1.959963984540054  // Φ⁻¹(0.975)
	zBeta  = 0.8416212335729143 // Φ⁻¹(0.80)
	alpha  = 0.05
	// minExpected is the smallest expected count of successes and of
	// failures in each arm for which the z-test's normal approximation is
	// trusted (the textbook rule n·p ≥ 5); below it the exact test is used.
	minExpected = 5
)

// Analysis is the read-out of an A/B test on two proportions.
type Analysis struct {
	RateA, RateB float64
	// Lift is B's rate relative to A's (0.375 = +37.5%); NaN when A's rate
	// is 0.
	Lift   float64
	Z      float64
	PValue float64 // two-sided; 1 when undefined
	// Exact is true when PValue comes from Fisher's exact test because an
	// arm expects fewer than minExpected successes or failures, which the
	// z-test's normal approximation cannot be trusted with.
	Exact  bool
	Winner string // "a", "b", or "" when neither won at 95%
	// MoreTrials is, when there is no winner, about how many more trials
	// each arm needs for 80% power to detect the observed difference; 0
	// when the arms do not differ at all.
	MoreTrials int64
}

// Analyze runs a two-proportion z-test with a pooled standard error (or,
// when the counts are too small for it, Fisher's exact test) and, without a
// significant result, a power calculation for the observed effect. Both arms
// must have trials > 0 and 0 ≤ successes ≤ trials.
func Analyze(a, b store.Arm) Analysis {
	an := Analysis{RateA: rate(a), RateB: rate(b), Lift: math.NaN(), PValue: 1}
	if an.RateA > 0 {
		an.Lift = (an.RateB - an.RateA) / an.RateA
	}
	pooled := float64(a.Successes+b.Successes) / float64(a.Trials+b.Trials)
	se := math.Sqrt(pooled * (1 - pooled) * (1/float64(a.Trials) + 1/float64(b.Trials)))
	if se > 0 {
		an.Z = (an.RateB - an.RateA) / se
		an.PValue = math.Erfc(math.Abs(an.Z) / math.Sqrt2)
		if smallCounts(a, b, pooled) {
			an.PValue, an.Exact = fisherExact(a, b), true
		}
	}
	switch {
	case an.PValue < alpha && an.RateB > an.RateA:
		an.Winner = "b"
	case an.PValue < alpha && an.RateA > an.RateB:
		an.Winner = "a"
	default:
		an.MoreTrials = moreTrials(an.RateA, an.RateB, min(a.Trials, b.Trials))
	}
	return an
}

func rate(a store.Arm) float64 { return float64(a.Successes) / float64(a.Trials) }

// smallCounts reports whether an arm expects, under the pooled rate, fewer
// than minExpected successes or failures.
func smallCounts(a, b store.Arm, pooled float64) bool {
	for _, n := range []float64{float64(a.Trials), float64(b.Trials)} {
		if n*pooled < minExpected || n*(1-pooled) < minExpected {
			return true
		}
	}
	return false
}

// fisherExact is the two-sided p-value of Fisher's exact test: the
// probability, with the margins fixed, of a table at most as likely as the
// one observed. The hypergeometric weights are built by their ratio from the
// mode outwards (no factorials, so no overflow) and the walk stops where
// they underflow; with small expected counts it is short.
func fisherExact(a, b store.Arm) float64 {
	nA, nB := float64(a.Trials), float64(b.Trials)
	k := float64(a.Successes + b.Successes)
	lo, hi := max(0, k-nB), min(k, nA)
	mode := max(lo, min(hi, math.Floor((k+1)*(nA+1)/(nA+nB+2))))
	// up(x) is P(x+1)/P(x), x being A's successes.
	up := func(x float64) float64 { return (k - x) * (nA - x) / ((x + 1) * (nB - k + x + 1)) }
	// weights[0] is the mode's; then the tables above it, then below it.
	weights := []float64{1}
	observed := 0.0 // an observed table past the underflow weighs nothing
	if float64(a.Successes) == mode {
		observed = 1
	}
	for x, w := mode, 1.0; x < hi && w > 0; x++ {
		w *= up(x)
		weights = append(weights, w)
		if x+1 == float64(a.Successes) {
			observed = w
		}
	}
	for x, w := mode, 1.0; x > lo && w > 0; x-- {
		w /= up(x - 1)
		weights = append(weights, w)
		if x-1 == float64(a.Successes) {
			observed = w
		}
	}
	limit := observed * (1 + 1e-7)
	var total, tail float64
	for _, w := range weights {
		total += w
		if w <= limit {
			tail += w
		}
	}
	return min(1, tail/total)
}

// moreTrials is the sample size per arm for a two-sided test at 95% with 80%
// power to detect rates pa vs pb, less the trials the smaller arm has, and
// rounded up to two significant figures (it is an estimate).
func moreTrials(pa, pb float64, have int64) int64 {
	delta := math.Abs(pb - pa)
	if delta == 0 {
		return 0
	}
	mean := (pa + pb) / 2
	root := zAlpha*math.Sqrt(2*mean*(1-mean)) + zBeta*math.Sqrt(pa*(1-pa)+pb*(1-pb))
	need := math.Ceil(root * root / (delta * delta))
	more := need - float64(have)
	if more < 1 {
		more = 1
	}
	return roundUp2(more)
}

// roundUp2 rounds x up to two significant figures.
func roundUp2(x float64) int64 {
	if x >= math.MaxInt64/2 {
		return math.MaxInt64 / 2
	}
	scale := math.Pow(10, math.Max(0, math.Floor(math.Log10(x))-1))
	return int64(math.Ceil(x/scale) * scale)
}

// Verdict says in plain words what the analysis means.
func (an Analysis) Verdict() string {
	switch {
	case an.Winner == "b" && math.IsNaN(an.Lift):
		return "B wins at 95% confidence (A had no successes, so there is no relative lift)"
	case an.Winner == "b":
		return fmt.Sprintf("B wins at 95%% confidence (%s relative lift)", formatLift(an.Lift))
	case an.Winner == "a":
		return fmt.Sprintf("A wins at 95%% confidence (B is %s relative)", formatLift(an.Lift))
	}
	if an.MoreTrials == 0 {
		return "no clear winner — the variants performed identically"
	}
	return fmt.Sprintf("no clear winner — need about %s more trials per arm", groupThousands(an.MoreTrials))
}

// Method names the test behind the p-value, for the read-out.
func (an Analysis) Method() string {
	if an.Exact {
		return "two-sided Fisher's exact test: too few successes or failures for a z-test"
	}
	return fmt.Sprintf("two-sided z-test, z = %.2f", an.Z)
}

// formatLift shows a relative lift as a signed percentage.
func formatLift(lift float64) string {
	if math.IsNaN(lift) {
		return "n/a (A had no successes)"
	}
	return fmt.Sprintf("%+.1f%%", lift*100)
}

// formatP shows a p-value with enough digits to be read.
func formatP(p float64) string {
	if p < 0.0001 {
		return "< 0.0001"
	}
	return fmt.Sprintf("%.4f", p)
}

// groupThousands writes n with thousands separators: 12,000.
func groupThousands(n int64) string {
	s := fmt.Sprintf("%d", n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
