package chart

import "github.com/go-analyze/charts"

// Theme is a chart's colour scheme.
type Theme int

// Themes. The zero value is Light, so chat uploads and digests keep their
// white pictures without asking.
const (
	// Light is dark text on white: chat uploads, digests, the laptop page.
	Light Theme = iota
	// Dark is light text and grid on the wall screen's dark card colour, with
	// brighter series colours that stay legible from across a room.
	Dark
)

// colours are a theme's series colours and the chart's frame.
type colours struct {
	palette []charts.Color
	band    charts.Color
	target  charts.Color
	base    charts.ColorPalette
}

var (
	lightColours = colours{
		palette: []charts.Color{
			charts.ColorRGB(84, 112, 198), charts.ColorRGB(238, 102, 102), charts.ColorRGB(250, 200, 88),
			charts.ColorRGB(115, 192, 222), charts.ColorRGB(59, 162, 114), charts.ColorRGB(154, 96, 180),
		},
		band:   charts.ColorRGB(180, 180, 180),
		target: charts.ColorRGB(59, 162, 114),
		base:   charts.GetTheme(charts.ThemeLight),
	}
	// darkColours match the wall's stylesheet (card #161b22, text #e6edf3,
	// lines #30363d, muted #9aa4af).
	darkColours = colours{
		palette: []charts.Color{
			charts.ColorRGB(88, 166, 255), charts.ColorRGB(255, 123, 114), charts.ColorRGB(227, 179, 65),
			charts.ColorRGB(121, 192, 255), charts.ColorRGB(86, 211, 100), charts.ColorRGB(210, 168, 255),
		},
		band:   charts.ColorRGB(139, 148, 158),
		target: charts.ColorRGB(63, 185, 80),
		base: charts.MakeTheme(charts.ThemeOption{
			IsDarkMode:         true,
			AxisStrokeColor:    charts.ColorRGB(154, 164, 175),
			AxisSplitLineColor: charts.ColorRGB(48, 54, 61),
			BackgroundColor:    charts.ColorRGB(22, 27, 34),
			TextColor:          charts.ColorRGB(230, 237, 243),
		}),
	}
)

func (t Theme) colours() colours {
	if t == Dark {
		return darkColours
	}
	return lightColours
}

// series gives data series the palette, the band its grey and the target its green.
func (c colours) series(series int, band, target bool) []charts.Color {
	var out []charts.Color
	for i := 0; i < series; i++ {
		out = append(out, c.palette[i%len(c.palette)])
	}
	if band {
		out = append(out, c.band, c.band)
	}
	if target {
		out = append(out, c.target)
	}
	return out
}
