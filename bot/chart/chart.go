// Package chart draws the few chart shapes Interlock posts and serves: a time
// line (a KPI against its target and baseline band) and bars by category. The
// same chart renders as PNG (for chat uploads) or SVG (for the web page).
// Fonts come embedded in the charting library, so nothing is fetched at run time.
package chart

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/go-analyze/charts"
)

// Default sizes used when a chart leaves Width or Height at zero.
const (
	DefaultWidth  = 800
	DefaultHeight = 400
)

// ErrNoData is returned when a chart has nothing to draw.
var ErrNoData = errors.New("chart: no data")

// lineStrokeWidth is the width of data lines; it is unusual on purpose so that
// SVGLines can tell data lines from grid and legend strokes.
const lineStrokeWidth = 2.5

func size(w, h int) (int, int) {
	if w <= 0 {
		w = DefaultWidth
	}
	if h <= 0 {
		h = DefaultHeight
	}
	return w, h
}

// render paints with draw on a new painter of the given format and writes the bytes.
func render(w io.Writer, format string, width, height int, draw func(*charts.Painter) error) error {
	width, height = size(width, height)
	p := charts.NewPainter(charts.PainterOptions{Width: width, Height: height, OutputFormat: format})
	if err := draw(p); err != nil {
		return fmt.Errorf("chart: draw: %w", err)
	}
	b, err := p.Bytes()
	if err != nil {
		return fmt.Errorf("chart: encode %s: %w", format, err)
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("chart: write %s: %w", format, err)
	}
	return nil
}

// formatValue keeps axis labels short: at most two decimals, no trailing zeros.
func formatValue(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}
