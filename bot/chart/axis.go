package chart

import (
	"time"

	"github.com/go-analyze/charts"
)

// axisFontSize is the size of the time axis' labels, fixed so that their
// width can be measured before drawing.
const axisFontSize = 12

// plotMargin is the part of a chart's width that is not the plot: the
// value axis' labels and the paddings, counted generously so that labels
// get at least the room assumed.
const plotMargin = 80

// niceSteps are label intervals (in points) that read as round periods:
// hours of a day, days of a week or month.
var niceSteps = map[int]bool{1: true, 2: true, 3: true, 4: true, 6: true, 7: true, 8: true, 12: true,
	14: true, 24: true, 28: true, 30: true, 48: true, 56: true, 84: true, 168: true}

// axisLabels chooses the time axis' labels for a chart width pixels wide:
// one label every step points from the first, step dividing the number of
// points (so the library places them exactly, evenly spaced) and leaving
// a gap between labels, so they never overlap. The other labels are blank. count is the LabelCount the axis needs for that.
func axisLabels(times []time.Time, loc *time.Location, width int, font charts.FontStyle) (labels []string, count int) {
	text := formatTimes(times, loc)
	n := len(text)
	measure := charts.NewPainter(charts.PainterOptions{Width: width, Height: 100})
	font.FontColor = charts.ColorBlack // MeasureText measures nothing invisible
	first, other := measure.MeasureText(text[0], 0, font).Width(), 0
	for _, s := range text[1:] {
		other = max(other, measure.MeasureText(s, 0, font).Width())
	}
	step := labelStep(n, float64(max(width-plotMargin, 1))/float64(n), first, other)
	labels = make([]string, n)
	for i := 0; i < n; i += step {
		labels[i] = text[i]
	}
	return labels, n / step
}

// labelStep is the smallest divisor of n (or a round one at most twice
// that) whose labels, slot pixels apart per point, leave a gap between
// them: the first label (first pixels wide) starts at the plot's edge, the
// others (at most other wide) are centred under their point.
func labelStep(n int, slot float64, first, other int) int {
	fits := func(step int) bool {
		d := float64(step) * slot
		return d >= float64(other)+labelGap(other) &&
			d+slot/2 >= float64(first)+float64(other)/2+labelGap(other)
	}
	fallback := 0
	for step := 1; step < n; step++ {
		if fallback > 0 && step > 2*fallback {
			break // a round step this much sparser is not worth its labels
		}
		if n%step != 0 || !fits(step) {
			continue
		}
		if niceSteps[step] {
			return step
		}
		if fallback == 0 {
			fallback = step
		}
	}
	if fallback == 0 {
		return n // only the first label fits
	}
	return fallback
}

// labelGap is the least free space between two labels: a quarter of a
// label, and never under 8 pixels.
func labelGap(labelWidth int) float64 { return max(8, float64(labelWidth)/4) }

// formatTimes formats times by the span they cover: hours within two days,
// days within a quarter, months beyond (the year on the first label only,
// unless the times span several years).
func formatTimes(times []time.Time, loc *time.Location) []string {
	if loc == nil {
		loc = time.UTC
	}
	first, last := times[0].In(loc), times[len(times)-1].In(loc)
	layout, firstLayout := "Jan", "Jan '06"
	switch span := last.Sub(first); {
	case span <= 48*time.Hour:
		layout, firstLayout = "15:04", "15:04"
	case span <= 92*24*time.Hour:
		layout, firstLayout = "Jan 2", "Jan 2"
	case first.Year() != last.Year():
		layout = firstLayout
	}
	out := make([]string, len(times))
	for i, t := range times {
		out[i] = t.In(loc).Format(layout)
	}
	out[0] = first.Format(firstLayout)
	return out
}
