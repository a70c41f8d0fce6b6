package chart

import (
	"io"

	"github.com/go-analyze/charts"
)

// Bar is a bar chart by category (SLA share by department, mentions by brand).
// Values[i] belongs to Categories[i]. Unit, when set, is appended to the value
// labels ("%").
type Bar struct {
	Title      string
	Categories []string
	Values     []float64
	Unit       string
	Width      int
	Height     int
	Theme      Theme
}

// RenderPNG writes the chart as a PNG image.
func (b Bar) RenderPNG(w io.Writer) error { return b.render(w, charts.ChartOutputPNG) }

// RenderSVG writes the chart as an SVG document.
func (b Bar) RenderSVG(w io.Writer) error { return b.render(w, charts.ChartOutputSVG) }

func (b Bar) render(w io.Writer, format string) error {
	if len(b.Values) == 0 || len(b.Values) != len(b.Categories) {
		return ErrNoData
	}
	opt := charts.NewBarChartOptionWithData([][]float64{b.Values})
	opt.Title.Text = b.Title
	opt.CategoryAxis.Labels = b.Categories
	opt.ValueFormatter = func(v float64) string { return formatValue(v) + b.Unit }
	opt.SeriesList[0].Label.Show = charts.Ptr(true)
	opt.SeriesList[0].Label.ValueFormatter = opt.ValueFormatter
	col := b.Theme.colours()
	opt.Theme = col.base.WithSeriesColors(col.palette[:1])
	return render(w, format, b.Width, b.Height, func(p *charts.Painter) error { return p.BarChart(opt) })
}
