package digest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/bot/chart"
	"github.com/interlock-coe/interlock/commands/kpi"
	"github.com/interlock-coe/interlock/config"
)

// Chart sizes of the images posted to chat: the KPI charts' size.
const (
	ChartWidth  = kpi.ChartWidth
	ChartHeight = kpi.ChartHeight
)

// MentionsKPI is the KPI drawn as mentions by brand, when configured.
const MentionsKPI = "mention-volume"

// charts draws the digest's pictures: each KPI's trend against its target
// (kpis), crises over time (crises), SLA share by department (routed) and
// mentions by brand (alerts).
func (b *build) charts(ctx context.Context) ([]bot.File, error) {
	var files []bot.File
	add := func(name, title string, render func(w io.Writer) error) error {
		var buf bytes.Buffer
		if err := render(&buf); err != nil {
			return fmt.Errorf("chart %s: %w", name, err)
		}
		files = append(files, bot.File{Name: name, Title: title, Data: buf.Bytes()})
		return nil
	}
	for _, sec := range b.d.Sections {
		var err error
		switch sec {
		case "kpis":
			for _, id := range b.kpiIDs() {
				if res, ok := b.results[strings.ToLower(id)]; ok && hasData(res) {
					if err = add("kpi-"+res.KPI.ID+".png", res.KPI.Name, kpi.Chart(res).RenderPNG); err != nil {
						return nil, err
					}
				}
			}
		case "crises":
			err = add("crises.png", "Crises opened per period", b.crisisChart().RenderPNG)
		case "routed":
			var c chart.Bar
			if c, err = b.slaChart(ctx); err == nil && len(c.Values) > 0 {
				err = add("sla-by-department.png", c.Title, c.RenderPNG)
			}
		case "alerts":
			var c chart.Bar
			if c, err = b.mentionsChart(ctx); err == nil && len(c.Values) > 0 {
				err = add("mentions-by-brand.png", c.Title, c.RenderPNG)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

func hasData(r kpi.Result) bool {
	for _, v := range r.Values {
		if v.OK {
			return true
		}
	}
	return false
}

// crisisChart counts the crises opened in each of the trend's periods.
func (b *build) crisisChart() chart.Bar {
	spans := b.period.Spans(b.Clock.Now(), b.Config.Org.Location, kpi.TrendPeriods)
	c := chart.Bar{Title: "Crises opened per period", Width: ChartWidth, Height: ChartHeight}
	for _, sp := range spans {
		n := 0
		for _, cr := range b.all {
			if sp.Contains(cr.OpenedAt) {
				n++
			}
		}
		c.Categories = append(c.Categories, sp.From.Format("Jan 2"))
		c.Values = append(c.Values, float64(n))
	}
	return c
}

// slaChart is the SLA KPI of each department, as /kpi computes it.
func (b *build) slaChart(ctx context.Context) (chart.Bar, error) {
	k, ok := b.slaKPI()
	if !ok {
		return chart.Bar{}, nil
	}
	c := chart.Bar{Title: k.Name + " by department", Unit: k.Unit, Width: ChartWidth, Height: ChartHeight}
	for _, dep := range b.Config.Departments {
		res, err := b.kpis.Compute(ctx, kpi.Query{Metric: k.ID, Period: b.period, Department: dep.ID})
		if err != nil {
			return c, err
		}
		if v := res.Current(); v.OK {
			c.Categories = append(c.Categories, dep.Name)
			c.Values = append(c.Values, v.V)
		}
	}
	return c, nil
}

// slaKPI is the routing KPI of the share answered within SLA.
func (b *build) slaKPI() (config.KPI, bool) {
	for _, k := range b.Config.KPIs {
		if k.Source == kpi.SourceRouting && k.Numerator == "answered_within_sla" {
			return k, true
		}
	}
	return config.KPI{}, false
}

// mentionsChart is the mentions KPI of each brand, as /kpi --brand shows it.
func (b *build) mentionsChart(ctx context.Context) (chart.Bar, error) {
	k, ok := b.Config.KPI(MentionsKPI)
	if !ok {
		return chart.Bar{}, nil
	}
	c := chart.Bar{Title: k.Name + " by brand", Width: ChartWidth, Height: ChartHeight}
	for _, br := range b.Config.Brands {
		res, err := b.kpis.Compute(ctx, kpi.Query{Metric: k.ID, Period: b.period, Brand: br.ID})
		if err != nil {
			return c, err
		}
		if v := res.Current(); v.OK {
			c.Categories = append(c.Categories, br.Name)
			c.Values = append(c.Values, v.V)
		}
	}
	return c, nil
}
