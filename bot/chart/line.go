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
type Line struct {
	Title    string
	Series   []Series
	Band     *Band
	Target   *float64
	Width    int
	Height   int
	Location *time.Location
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
		names = append(names, s.Name)
	}
	if l.Target != nil {
		values = append(values, constant(len(times), *l.Target))
		names = append(names, "Target")
	}
	opt := charts.NewLineChartOptionWithData(values)
	opt.Title.Text = l.Title
	opt.Legend.SeriesNames = names
	opt.Legend.Offset = charts.OffsetRight
	opt.XAxis.Labels = labels(times, l.Location)
	opt.LineStrokeWidth = lineStrokeWidth
	opt.ValueFormatter = formatValue
	opt.XAxis.LabelCountAdjustment = -2
	opt.Theme = charts.GetDefaultTheme().WithSeriesColors(colours(len(l.Series), l.Band != nil, l.Target != nil))
	// The band and target are references, not data: (nearly) no point markers.
	for i := len(l.Series); i < len(opt.SeriesList); i++ {
		opt.SeriesList[i].Symbol = charts.Symbol{Shape: charts.SymbolDot, Size: 0.5}
	}
	return render(w, format, l.Width, l.Height, func(p *charts.Painter) error { return p.LineChart(opt) })
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

// labels formats times by the span they cover: hours within two days, days
// within a quarter, months beyond.
func labels(times []time.Time, loc *time.Location) []string {
	if loc == nil {
		loc = time.UTC
	}
	span := times[len(times)-1].Sub(times[0])
	layout := "Jan '06"
	switch {
	case span <= 48*time.Hour:
		layout = "15:04"
	case span <= 92*24*time.Hour:
		layout = "Jan 2"
	}
	out := make([]string, len(times))
	for i, t := range times {
		out[i] = t.In(loc).Format(layout)
	}
	return out
}

var (
	palette = []charts.Color{
		charts.ColorRGB(84, 112, 198), charts.ColorRGB(238, 102, 102), charts.ColorRGB(250, 200, 88),
		charts.ColorRGB(115, 192, 222), charts.ColorRGB(59, 162, 114), charts.ColorRGB(154, 96, 180),
	}
	bandColour   = charts.ColorRGB(180, 180, 180)
	targetColour = charts.ColorRGB(59, 162, 114)
)

// colours gives data series the palette, the band grey and the target green.
func colours(series int, band, target bool) []charts.Color {
	var out []charts.Color
	for i := 0; i < series; i++ {
		out = append(out, palette[i%len(palette)])
	}
	if band {
		out = append(out, bandColour, bandColour)
	}
	if target {
		out = append(out, targetColour)
	}
	return out
}
