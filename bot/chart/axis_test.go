package chart

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-analyze/charts"
)

func times(n int, step time.Duration, start time.Time) []time.Time {
	out := make([]time.Time, n)
	for i := range out {
		out[i] = start.Add(time.Duration(i) * step)
	}
	return out
}

// TestAxisLabels checks the time axis' labels for the point counts the
// charts show (one, a few, a day or two of hours, a week of hours, a year
// of days): evenly spaced from the first point, at a step that divides the
// count, and the labels between them blank.
func TestAxisLabels(t *testing.T) {
	hour := time.Date(2027, 3, 1, 1, 0, 0, 0, time.UTC)
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		times []time.Time
		width int
		want  string // the shown labels, in order, with their indices
	}{
		{"1 point", times(1, time.Hour, hour), 560, "0:01:00"},
		{"2 points", times(2, time.Hour, hour), 560, "0:01:00 1:02:00"},
		{"7 days", times(7, 24*time.Hour, day), 560, "0:Jan 1 1:Jan 2 2:Jan 3 3:Jan 4 4:Jan 5 5:Jan 6 6:Jan 7"},
		{"24 hours", times(24, time.Hour, hour), 560, "0:01:00 4:05:00 8:09:00 12:13:00 16:17:00 20:21:00"},
		{"48 hours", times(48, time.Hour, hour), 560, "0:01:00 8:09:00 16:17:00 24:01:00 32:09:00 40:17:00"},
		{"48 hours, wide", times(48, time.Hour, hour), 1200, "0:01:00 3:04:00 6:07:00 9:10:00 12:13:00 15:16:00 18:19:00 21:22:00 24:01:00 27:04:00 30:07:00 33:10:00 36:13:00 39:16:00 42:19:00 45:22:00"},
		{"168 hours", times(168, time.Hour, hour), 560, "0:Mar 1 28:Mar 2 56:Mar 3 84:Mar 4 112:Mar 5 140:Mar 6"},
		{"365 days", times(365, 24*time.Hour, day), 560, "0:Jan '26 73:Mar 146:May 219:Aug 292:Oct"},
		{"365 days, across years", times(365, 24*time.Hour, day.AddDate(0, 6, 0)), 900, "0:Jul '26 73:Sep '26 146:Nov '26 219:Feb '27 292:Apr '27"},
	}
	font := charts.FontStyle{FontSize: axisFontSize}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			labels, count := axisLabels(tc.times, nil, tc.width, font)
			if len(labels) != len(tc.times) {
				t.Fatalf("%d labels for %d points", len(labels), len(tc.times))
			}
			var shown []string
			var at []int
			for i, l := range labels {
				if l != "" {
					shown = append(shown, strconv.Itoa(i)+":"+l)
					at = append(at, i)
				}
			}
			if got := strings.Join(shown, " "); got != tc.want {
				t.Errorf("labels\n got %s\nwant %s", got, tc.want)
			}
			// Evenly spaced from the first point, the step dividing the count,
			// and as many as the axis is told to place.
			step := len(labels)
			if len(at) > 1 {
				step = at[1] - at[0]
			}
			if at[0] != 0 || len(labels)%step != 0 || count != len(labels)/step {
				t.Errorf("labels at %v, count %d: want every %d-th from 0 with count %d", at, count, step, len(labels)/step)
			}
			for i := 1; i < len(at); i++ {
				if at[i]-at[i-1] != step {
					t.Errorf("labels at %v are not evenly spaced", at)
				}
			}
		})
	}
}

// TestLabelStepLeavesGaps checks the geometry labelStep promises: labels
// centred a step apart, the first one starting at the edge, never touch.
func TestLabelStepLeavesGaps(t *testing.T) {
	for _, n := range []int{1, 2, 7, 24, 48, 168, 365} {
		for _, slot := range []float64{0.5, 1.3, 3, 10, 40, 120} {
			const first, other = 52, 41
			step := labelStep(n, slot, first, other)
			if n%step != 0 {
				t.Fatalf("n %d slot %g: step %d does not divide n", n, slot, step)
			}
			if step == n {
				continue // a single label
			}
			d := float64(step) * slot
			if gap := d - other; gap < 8 {
				t.Errorf("n %d slot %g step %d: labels %g px apart", n, slot, step, gap)
			}
			if gap := d + slot/2 - other/2.0 - first; gap < 8 {
				t.Errorf("n %d slot %g step %d: first two labels %g px apart", n, slot, step, gap)
			}
			if step > 1 {
				// No divisor under half the step fits (a round step is chosen
				// over a smaller one only up to twice it).
				for smaller := 1; smaller < step/2; smaller++ {
					if n%smaller == 0 && float64(smaller)*slot >= other+max(8, other/4.0) &&
						float64(smaller)*slot+slot/2 >= first+other/2.0+max(8, other/4.0) {
						t.Errorf("n %d slot %g: step %d chosen though %d fits", n, slot, step, smaller)
					}
				}
			}
		}
	}
}
