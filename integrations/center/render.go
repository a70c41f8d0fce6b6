package center

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/interlock-coe/interlock/bot/chart"
	feature "github.com/interlock-coe/interlock/commands/center"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// assets are the page's stylesheet and script, served from the binary:
// the page needs nothing from the internet.
var assets, _ = fs.Sub(assetFS, ".")

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"alertChart": alertChart,
	"kpiChart":   kpiChart,
	"clock":      func(t time.Time) string { return t.UTC().Format("Jan 2 15:04 UTC") },
	"join":       strings.Join,
	"sevClass":   func(s string) string { return "sev sev-" + strings.ToLower(s) },
}).ParseFS(templateFS, "templates/*.html"))

// overviewPage is what the main page's template gets.
type overviewPage struct {
	feature.Overview
	Viewer  feature.Viewer
	Wall    bool
	CSRF    string
	CanAct  bool // a signed-in person on a page with actions
	Partial bool // only the main region, for a live refresh
}

// crisisPage is what a crisis page's template gets.
type crisisPage struct {
	feature.CrisisDetail
	Person  string
	Partial bool
}

type messagePage struct {
	Title, Text string
}

func (h *Handler) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, data); err != nil {
		h.log.Error("command center template", "page", name, "err", err)
		http.Error(w, "the page could not be drawn", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// message answers with a short page that says what happened.
func (h *Handler) message(w http.ResponseWriter, status int, title, text string) {
	h.render(w, status, "message", messagePage{Title: title, Text: text})
}

// Chart sizes: wide and short, to sit beside the numbers.
const (
	chartWidth  = 560
	chartHeight = 220
)

// alertChart draws an alert's last 48 hours against its baseline band,
// dark on the wall screen.
func alertChart(a feature.AlertRow, wall bool) template.HTML {
	line := chart.Line{Series: []chart.Series{{Name: "Mentions per hour", Points: points(a.Chart.Points)}},
		Width: chartWidth, Height: chartHeight, Theme: theme(wall)}
	if a.Chart.BandHigh > 0 {
		band := chart.Band{}
		for _, p := range a.Chart.Points {
			band.Low = append(band.Low, chart.Point{T: p.At, V: a.Chart.BandLow})
			band.High = append(band.High, chart.Point{T: p.At, V: a.Chart.BandHigh})
		}
		line.Band = &band
	}
	return svg(line)
}

// kpiChart draws a KPI's trend with its target line, dark on the wall screen.
func kpiChart(k feature.KPIRow, wall bool) template.HTML {
	line := chart.Line{Series: []chart.Series{{Name: k.Name, Points: points(k.Chart.Points)}},
		Width: chartWidth, Height: chartHeight, Theme: theme(wall)}
	if k.Chart.Target != 0 && len(k.Chart.Points) > 0 {
		t := k.Chart.Target
		line.Target = &t
	}
	return svg(line)
}

func theme(wall bool) chart.Theme {
	if wall {
		return chart.Dark
	}
	return chart.Light
}

// noData stands in for a chart with no point to draw.
const noData = template.HTML(`<p class="nochart">No data yet</p>`)

func points(ps []feature.Point) []chart.Point {
	out := make([]chart.Point, len(ps))
	for i, p := range ps {
		out[i] = chart.Point{T: p.At, V: p.Value}
	}
	return out
}

// svg renders a chart inline. The SVG is the chart library's own output
// from numbers and fixed labels, never from outside text, so it is safe
// to embed as it is. Drawing is most of a page's cost and charts change
// at most hourly, so each drawing is kept for the same data.
func svg(l chart.Line) template.HTML {
	// By value: the band and target are pointers, whose addresses differ.
	key := fmt.Sprintf("%s|%d|%d|%d|%v", l.Title, l.Width, l.Height, l.Theme, l.Series)
	if l.Band != nil {
		key += fmt.Sprint("|", l.Band.Low, l.Band.High)
	}
	if l.Target != nil {
		key += fmt.Sprint("|", *l.Target)
	}
	if s, ok := charts.get(key); ok {
		return s
	}
	s := draw(l)
	charts.put(key, s)
	return s
}

// chartCacheSize bounds the drawings kept: a page shows at most a few
// dozen charts.
const chartCacheSize = 256

// chartCache keeps drawn charts by their data. It is emptied when full.
type chartCache struct {
	mu sync.Mutex
	m  map[string]template.HTML
}

// charts is the drawings cache: immutable values keyed by their whole
// input, so sharing it across handlers changes no behaviour.
var charts = &chartCache{m: map[string]template.HTML{}}

func (c *chartCache) get(key string) (template.HTML, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.m[key]
	return s, ok
}

func (c *chartCache) put(key string, s template.HTML) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= chartCacheSize {
		c.m = map[string]template.HTML{}
	}
	c.m[key] = s
}

func draw(l chart.Line) template.HTML {
	var buf bytes.Buffer
	err := l.RenderSVG(&buf)
	if errors.Is(err, chart.ErrNoData) {
		return noData
	}
	if err != nil {
		return ""
	}
	s := buf.String()
	if i := strings.Index(s, "<svg"); i > 0 {
		s = s[i:] // drop any XML prolog: the SVG sits inside HTML
	}
	return template.HTML(s) //nolint:gosec // generated from numbers only
}
