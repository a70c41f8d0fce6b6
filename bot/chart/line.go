package chart

import (
	"io"
	"sort"
	"time"

	"github.com/go-analyze/charts"
)

// Point is one value at one time.
type Point struct {
	T time.Time
	V float64
}

// Series is a named line.
type Series struct {
	Name   string
	Points []Point
}

// Band is a baseline range (for example the usual low and high of a KPI),
// drawn as two thin grey lines around the data.
type Band struct {
	Low, High []Point
}

// Line is a time chart: one or more series, an optional baseline band and an
// optional constant target. Times are shown in Location (UTC when nil).
// A series without points is named "(no data yet)" in the legend; a chart
// with a single time shows its points as large dots with their values.
type Line struct {
	Title    string
	Series   []Series
	Band     *Band
	Target   *float64
	Width    int
	Height   int
	Location *time.Location
	Theme    Theme
}

// RenderPNG writes the chart as a PNG image.
func (l Line) RenderPNG(w io.Writer) error { return l.render(w, charts.ChartOutputPNG) }

// RenderSVG writes the chart as an SVG document.
func (l Line) RenderSVG(w io.Writer) error { return l.render(w, charts.ChartOutputSVG) }

// drawn lists every line to draw, in order: data series, band low and high, target.
func (l Line) drawn() []Series {
	out := append([]Series(nil), l.Series...)
	if l.Band != nil {
		out = append(out, Series{Name: "Baseline low", Points: l.Band.Low}, Series{Name: "Baseline high", Points: l.Band.High})
	}
	return out
}

// singlePointSize is the radius of the dot that stands for a chart's only
// point, which has no line to show it.
const singlePointSize = 6

func (l Line) render(w io.Writer, format string) error {
	lines := l.drawn()
	times := timeAxis(lines)
	if len(times) == 0 {
		return ErrNoData
	}
	values := make([][]float64, 0, len(lines)+1)
	names := make([]string, 0, len(lines)+1)
	for _, s := range lines {
		values = append(values, align(times, s.Points))
		name := s.Name
		if len(s.Points) == 0 {
			name += " (no data yet)"
		}
		names = append(names, name)
	}
	if l.Target != nil {
		values = append(values, constant(len(times), *l.Target))
		names = append(names, "Target")
	}
	col := l.Theme.colours()
	width, height := size(l.Width, l.Height)
	opt := charts.NewLineChartOptionWithData(values)
	opt.Title.Text = l.Title
	opt.Legend.SeriesNames = names
	opt.Legend.Offset = charts.OffsetRight
	opt.XAxis.LabelFontStyle = charts.FontStyle{FontSize: axisFontSize, FontColor: col.base.GetXAxisTextColor()}
	opt.XAxis.Labels, opt.XAxis.LabelCount = axisLabels(times, l.Location, width, opt.XAxis.LabelFontStyle)
	// Each point sits in the middle of its slot, under its label, so the
	// labels axisLabels chose are placed exactly.
	opt.XAxis.BoundaryGap = charts.Ptr(true)
	opt.LineStrokeWidth = lineStrokeWidth
	opt.ValueFormatter = formatValue
	opt.Theme = col.base.WithSeriesColors(col.series(len(l.Series), l.Band != nil, l.Target != nil))
	// The band and target are references, not data: (nearly) no point markers.
	for i := len(l.Series); i < len(opt.SeriesList); i++ {
		opt.SeriesList[i].Symbol = charts.Symbol{Shape: charts.SymbolDot, Size: 0.5}
	}
	if len(times) == 1 {
		// One point draws no line: a large dot and its value show it.
		for i := range opt.SeriesList {
			opt.SeriesList[i].Symbol = charts.Symbol{Shape: charts.SymbolDot, Size: singlePointSize}
			opt.SeriesList[i].Label = charts.SeriesLabel{Show: charts.Ptr(true), ValueFormatter: formatValue,
				Distance:  2 * singlePointSize,
				FontStyle: charts.FontStyle{FontSize: 14, FontColor: col.base.GetLabelTextColor()}}
		}
	}
	return render(w, format, width, height, func(p *charts.Painter) error { return p.LineChart(opt) })
}

// timeAxis is the sorted union of every point's time.
func timeAxis(lines []Series) []time.Time {
	seen := map[int64]bool{}
	var out []time.Time
	for _, s := range lines {
		for _, p := range s.Points {
			if k := p.T.UnixNano(); !seen[k] {
				seen[k] = true
				out = append(out, p.T)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// align places a series' values on the shared time axis; missing times are gaps.
func align(times []time.Time, points []Point) []float64 {
	byTime := make(map[int64]float64, len(points))
	for _, p := range points {
		byTime[p.T.UnixNano()] = p.V
	}
	out := make([]float64, len(times))
	for i, t := range times {
		v, ok := byTime[t.UnixNano()]
		if !ok {
			v = charts.GetNullValue()
		}
		out[i] = v
	}
	return out
}

func constant(n int, v float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}
