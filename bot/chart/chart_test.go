package chart_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image"
	"image/png"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot/chart"
)

func hourly(n int, f func(i int) float64) []chart.Point {
	start := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	out := make([]chart.Point, n)
	for i := range out {
		out[i] = chart.Point{T: start.Add(time.Duration(i) * time.Hour), V: f(i)}
	}
	return out
}

func daily(n int, f func(i int) float64) []chart.Point {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]chart.Point, n)
	for i := range out {
		out[i] = chart.Point{T: start.AddDate(0, 0, i), V: f(i)}
	}
	return out
}

// checkPNG decodes a PNG and checks its size and that it is not blank.
func checkPNG(t *testing.T, b []byte, w, h int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode png: %v", err)
	}
	if got := img.Bounds().Size(); got != (image.Point{w, h}) {
		t.Fatalf("size = %v, want %dx%d", got, w, h)
	}
	if n := distinctColours(img); n < 4 {
		t.Fatalf("png has %d distinct colours; looks blank", n)
	}
}

func distinctColours(img image.Image) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r >> 8, g >> 8, bl >> 8, a >> 8}] = true
		}
	}
	return len(seen)
}

func checkXML(t *testing.T, b []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("svg is not XML: %v", err)
		}
	}
}

func TestLineRendersPNGAndSVG(t *testing.T) {
	target := 3.0
	tests := []struct {
		name  string
		line  chart.Line
		lines []int
	}{
		{"one series", chart.Line{Title: "Mentions", Width: 640, Height: 320,
			Series: []chart.Series{{Name: "mentions", Points: hourly(24, func(i int) float64 { return float64(i % 7) })}}}, []int{24}},
		{"one point per hour for a week", chart.Line{Title: "Mentions",
			Series: []chart.Series{{Name: "mentions", Points: hourly(168, func(i int) float64 { return float64(i%13 + 1) })}}}, []int{168}},
		{"kpi with band and target", chart.Line{Title: "Engagement rate", Width: 900, Height: 420, Target: &target,
			Series: []chart.Series{{Name: "engagement", Points: daily(365, func(i int) float64 { return 2.5 + float64(i%30)/30 })}},
			Band:   &chart.Band{Low: daily(365, func(int) float64 { return 2.4 }), High: daily(365, func(int) float64 { return 3.2 })}},
			[]int{365, 365, 365, 365}},
		{"two series", chart.Line{Width: 500, Height: 300, Series: []chart.Series{
			{Name: "a", Points: daily(10, func(i int) float64 { return float64(i) })},
			{Name: "b", Points: daily(10, func(i int) float64 { return float64(10 - i) })}}}, []int{10, 10}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var p, s bytes.Buffer
			if err := tc.line.RenderPNG(&p); err != nil {
				t.Fatal(err)
			}
			w, h := tc.line.Width, tc.line.Height
			if w == 0 {
				w, h = chart.DefaultWidth, chart.DefaultHeight
			}
			checkPNG(t, p.Bytes(), w, h)
			if err := tc.line.RenderSVG(&s); err != nil {
				t.Fatal(err)
			}
			checkXML(t, s.Bytes())
			got, err := chart.SVGLines(s.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if !equal(got, tc.lines) {
				t.Fatalf("svg line points = %v, want %v", got, tc.lines)
			}
		})
	}
}

func TestBarRendersPNGAndSVG(t *testing.T) {
	b := chart.Bar{Title: "SLA met by department", Categories: []string{"care", "legal", "sales"},
		Values: []float64{92.5, 80, 100}, Unit: "%", Width: 600, Height: 300}
	var p, s bytes.Buffer
	if err := b.RenderPNG(&p); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, p.Bytes(), 600, 300)
	if err := b.RenderSVG(&s); err != nil {
		t.Fatal(err)
	}
	checkXML(t, s.Bytes())
	if !bytes.Contains(s.Bytes(), []byte("legal")) {
		t.Fatal("svg lacks a category label")
	}
}

func TestNoData(t *testing.T) {
	if err := (chart.Line{}).RenderPNG(io.Discard); !errors.Is(err, chart.ErrNoData) {
		t.Fatalf("line err = %v", err)
	}
	if err := (chart.Bar{Categories: []string{"a"}}).RenderPNG(io.Discard); !errors.Is(err, chart.ErrNoData) {
		t.Fatalf("bar err = %v", err)
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestSinglePointAndEmptySeries checks that a chart with one time shows
// its value next to the dot, that a series with no point says so in the
// legend, and that a chart with no point at all is ErrNoData.
func TestSinglePointAndEmptySeries(t *testing.T) {
	l := chart.Line{Width: 560, Height: 220, Series: []chart.Series{
		{Name: "Crises opened", Points: hourly(1, func(int) float64 { return 2.75 })},
		{Name: "Leads"},
	}}
	var s bytes.Buffer
	if err := l.RenderSVG(&s); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{">2.75<", ">Leads (no data yet)<"} {
		if !bytes.Contains(s.Bytes(), []byte(want)) {
			t.Errorf("svg lacks %q", want)
		}
	}
	var p bytes.Buffer
	if err := l.RenderPNG(&p); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, p.Bytes(), 560, 220)
	empty := chart.Line{Series: []chart.Series{{Name: "Leads"}}}
	if err := empty.RenderSVG(io.Discard); !errors.Is(err, chart.ErrNoData) {
		t.Fatalf("a chart without points: err %v, want ErrNoData", err)
	}
}

// TestDarkTheme checks that the dark theme paints the wall's dark
// background and light text, and leaves the default light.
func TestDarkTheme(t *testing.T) {
	line := chart.Line{Width: 560, Height: 220, Series: []chart.Series{{Name: "mentions", Points: hourly(48, func(i int) float64 { return float64(i) })}}}
	bar := chart.Bar{Categories: []string{"care", "legal"}, Values: []float64{90, 80}, Width: 400, Height: 200}
	for _, tc := range []struct {
		name   string
		render func(w io.Writer) error
		want   []string
	}{
		{"line light", line.RenderSVG, []string{"fill:white", "rgb(70,70,70)"}},
		{"bar light", bar.RenderSVG, []string{"fill:white"}},
		{"line dark", withTheme(line, chart.Dark).RenderSVG, []string{"rgb(22,27,34)", "rgb(230,237,243)"}},
		{"bar dark", chart.Bar{Categories: bar.Categories, Values: bar.Values, Theme: chart.Dark}.RenderSVG, []string{"rgb(22,27,34)", "rgb(230,237,243)"}},
	} {
		var s bytes.Buffer
		if err := tc.render(&s); err != nil {
			t.Fatal(err)
		}
		for _, want := range tc.want {
			if !bytes.Contains(s.Bytes(), []byte(want)) {
				t.Errorf("%s: svg lacks %q", tc.name, want)
			}
		}
		if dark := bytes.Contains(s.Bytes(), []byte("rgb(22,27,34)")); dark != strings.HasSuffix(tc.name, "dark") {
			t.Errorf("%s: dark background %v", tc.name, dark)
		}
	}
}

func withTheme(l chart.Line, th chart.Theme) chart.Line {
	l.Theme = th
	return l
}
