// Package spike decides whether a window of social-listening data is a
// spike against its own history, and classifies a spike by the crisis
// playbook's thresholds. It is pure arithmetic: no clock, no store, no chat.
//
// # Why a median baseline
//
// The baseline of a series is the median of the hourly mention rates of its
// past windows (listening.baseline_window, 7 days by default), and its spread
// is the median absolute deviation scaled by 1.4826, which estimates the
// standard deviation for normally distributed data. A window is a spike when
// its count exceeds the expected count by more than k spreads
// (listening.k), carries at least listening.min_mentions mentions and is at
// least MinLift times the expected count. This is Socialmetrix's rule
// ("recent mean above the weekly mean by k standard deviations") with robust
// estimators instead of mean and standard deviation, because:
//
//   - Earlier spikes inside the baseline window do not inflate it. With mean
//     and standard deviation one storm last Tuesday raises both for a week
//     and masks the next one; the median ignores up to half the windows
//     being outliers.
//   - An ongoing spike does not teach the baseline to expect itself: the
//     second and third hours of a storm are judged against the same quiet
//     history, so the alert stays active until volume really returns. A
//     lasting change of level does become the new normal, after about half
//     the baseline window.
//   - It needs no state beyond the stored points, so it survives restarts,
//     is identical on every replica, and a retried or late point cannot
//     corrupt it (an EWMA folds every update in once and for all).
//
// Counts are at least Poisson-noisy, so the spread is floored at the square
// root of the expected count: a perfectly flat history does not make every
// small wobble significant. The volume floor keeps quiet topics quiet (2 → 8
// mentions is a 4× jump but no crisis), and MinLift keeps statistically
// significant but tiny lifts on very busy topics out of chat.
package spike

import (
	"math"
	"slices"
	"time"
)

// madScale turns a median absolute deviation into an estimate of the
// standard deviation of normally distributed data.
const madScale = 1.4826

// Window is one observed window of a series: its span and its mentions.
type Window struct {
	Start    time.Time
	End      time.Time
	Mentions int64
}

// Hours is the window's length in hours.
func (w Window) Hours() float64 { return w.End.Sub(w.Start).Hours() }

// Rate is the window's mentions per hour; 0 for an empty span.
func (w Window) Rate() float64 {
	h := w.Hours()
	if h <= 0 {
		return 0
	}
	return float64(w.Mentions) / h
}

// Baseline is the normal level of a series.
type Baseline struct {
	Rate    float64 // median mentions per hour
	Spread  float64 // robust standard deviation of the hourly rate
	Windows int     // how many past windows it summarises
}

// NewBaseline summarises past windows. Windows with an empty span are
// ignored.
func NewBaseline(history []Window) Baseline {
	rates := make([]float64, 0, len(history))
	for i := range history {
		// Hours once a window: time.Time.Sub checks for overflow with an
		// Add, and a live batch computes this for every point.
		if h := history[i].Hours(); h > 0 {
			rates = append(rates, float64(history[i].Mentions)/h)
		}
	}
	if len(rates) == 0 {
		return Baseline{}
	}
	m := median(rates)
	// The deviations reuse the rates' slice: the rates are no longer needed.
	for i, r := range rates {
		rates[i] = math.Abs(r - m)
	}
	return Baseline{Rate: m, Spread: madScale * median(rates), Windows: len(rates)}
}

// median returns the median of xs, which it reorders. It selects rather
// than sorts: every point of a live batch is judged against a week of
// windows, and a full sort was most of that judgement's cost.
func median(xs []float64) float64 {
	n := len(xs)
	upper := selectKth(xs, n/2)
	if n%2 == 1 {
		return upper
	}
	// After selection, xs[:n/2] holds the n/2 smallest: the lower middle
	// is their largest.
	return (slices.Max(xs[:n/2]) + upper) / 2
}

// selectKth reorders xs so that xs[k] is the value a sort would put there,
// with no larger value before it and no smaller one after (Hoare's
// selection, middle pivot).
func selectKth(xs []float64, k int) float64 {
	lo, hi := 0, len(xs)-1
	for lo < hi {
		pivot := xs[lo+(hi-lo)/2]
		i, j := lo, hi
		for i <= j {
			for xs[i] < pivot {
				i++
			}
			for xs[j] > pivot {
				j--
			}
			if i <= j {
				xs[i], xs[j] = xs[j], xs[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return xs[k]
		}
	}
	return xs[k]
}
