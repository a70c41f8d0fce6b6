package chart_test

import (
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot/chart"
)

var update = flag.Bool("update", false, "rewrite docs/chart-kpi.png")

// ExampleKPI is the chart shown in the README: a year of weekly engagement
// rate against its target and baseline band.
func exampleKPI() chart.Line {
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	var rate, low, high []chart.Point
	for i := 0; i < 52; i++ {
		t := start.AddDate(0, 0, 7*i)
		v := 2.6 + 0.5*float64(i)/52 + 0.15*math.Sin(float64(i)/3)
		rate = append(rate, chart.Point{T: t, V: math.Round(v*100) / 100})
		low = append(low, chart.Point{T: t, V: 2.5})
		high = append(high, chart.Point{T: t, V: 3.1})
	}
	target := 3.0
	return chart.Line{Title: "Engagement rate (%)", Width: 900, Height: 400, Target: &target,
		Series: []chart.Series{{Name: "Engagement rate", Points: rate}}, Band: &chart.Band{Low: low, High: high}}
}

// TestExampleImage renders the README's chart; with -update it rewrites the file.
func TestExampleImage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chart-kpi.png")
	if *update {
		path = filepath.Join("..", "..", "docs", "chart-kpi.png")
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := exampleKPI().RenderPNG(f); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, b, 900, 400)
}
