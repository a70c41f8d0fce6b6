package kpi

import (
	"bytes"
	"fmt"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/bot/chart"
)

// Chart sizes of the KPI images posted to chat.
const (
	ChartWidth  = 900
	ChartHeight = 400
)

// Chart draws a result's trend (one point per period, at the period's
// start) against the KPI's target. /kpi <metric> --chart and the digests
// post the same picture.
func Chart(r Result) chart.Line {
	var pts []chart.Point
	for i, v := range r.Values {
		if v.OK {
			pts = append(pts, chart.Point{T: r.Spans[i].From, V: v.V})
		}
	}
	title := r.KPI.Name
	if r.KPI.Unit != "" {
		title += " (" + r.KPI.Unit + ")"
	}
	c := chart.Line{Title: title, Width: ChartWidth, Height: ChartHeight,
		Series: []chart.Series{{Name: r.KPI.Name, Points: pts}}}
	if len(r.Spans) > 0 {
		c.Location = r.Spans[0].From.Location()
	}
	if r.KPI.Target != 0 {
		t := r.KPI.Target
		c.Target = &t
	}
	return c
}

// ChartFile renders Chart(r) as a PNG file named kpi-<id>.png; ok is false
// when no period has data (nothing to draw).
func ChartFile(r Result) (f bot.File, ok bool, err error) {
	var buf bytes.Buffer
	if err := Chart(r).RenderPNG(&buf); err == chart.ErrNoData {
		return f, false, nil
	} else if err != nil {
		return f, false, fmt.Errorf("chart of %s: %w", r.KPI.ID, err)
	}
	return bot.File{Name: "kpi-" + r.KPI.ID + ".png", Title: r.KPI.Name, Data: buf.Bytes()}, true, nil
}
