// Package kpi implements /kpi: one org-wide definition of each KPI (in the
// configuration), data points in through POST /hooks/metrics and CSV
// imports, response-time and SLA KPIs computed from routed issues, crisis
// KPIs from crisis rooms, and answers with the previous period, the change,
// the target and a sparkline, aggregated in the store and cached in the
// coordination store.
package kpi

import (
	"context"
	"log/slog"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/store"
)

// Service answers KPI questions and records data points. /kpi, the metrics
// webhook and the CSV importer all go through it.
type Service struct {
	commands.Deps
	points   store.KPIs
	issues   RoutedIssues // nil: routing KPIs have no data
	crises   CrisisList   // nil: crisis KPIs have no data
	content  ContentList  // nil: content KPIs have no data
	requests RequestList  // nil: request KPIs have no data
}

// New returns a service over d; d.Coord may be nil (no cache). Routed
// issues and crises are read from d.Store when it provides them
// (RoutedIssues, CrisisList).
func New(d commands.Deps) *Service {
	if d.Clock == nil {
		d.Clock = bot.SystemClock{}
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	s := &Service{Deps: d, points: d.Store}
	s.issues, _ = d.Store.(RoutedIssues)
	s.crises, _ = d.Store.(CrisisList)
	s.content, _ = d.Store.(ContentList)
	s.requests, _ = d.Store.(RequestList)
	return s
}

// Register adds /kpi to r.
func Register(r *bot.Router, d commands.Deps) { New(d).Register(r) }

// Register adds /kpi to r.
func (s *Service) Register(r *bot.Router) {
	r.Register(bot.Command{
		Group: "kpi", Args: "[metric] [--brand B] [--channel C] [--dept D] [--period 7d|30d|mtd|qtd] [--chart]",
		Summary: "Show a KPI (latest, previous, change, target, trend), or the scorecard of every KPI",
		Examples: []string{
			"/kpi",
			"/kpi engagement-rate --brand acme --period 30d",
			"/kpi response-time-median --period mtd",
			"/kpi template-share --dept customer-care",
			"/kpi engagement-rate --chart",
		},
		Options:  []string{"brand", "channel", "dept", "period"},
		Switches: []string{"chart"},
		Handler:  s.command,
	})
}

func (s *Service) command(ctx context.Context, c *bot.Context) error {
	q, err := s.parseQuery(c.Args)
	if err != nil {
		return err
	}
	if q.Metric == "" {
		return s.scorecard(ctx, c, q)
	}
	res, err := s.Compute(ctx, q)
	if err != nil {
		return err
	}
	if c.Args.Has("chart") {
		return s.withChart(c, res)
	}
	return c.Private(s.detail(res))
}

// withChart answers with the detail and the KPI's chart attached.
func (s *Service) withChart(c *bot.Context, res Result) error {
	f, ok, err := ChartFile(res)
	if err != nil {
		return err
	}
	if !ok {
		m := s.detail(res)
		m.Text = strings.TrimSpace(m.Text + "\nNo chart: no period has data.")
		return c.Private(m)
	}
	return c.PrivateFiles(s.detail(res), []bot.File{f})
}

func (s *Service) parseQuery(a bot.Args) (Query, error) {
	if len(a.Words) > 1 {
		return Query{}, bot.Errorf(bot.EInvalid, "one metric at a time; unexpected %q", a.Text(1))
	}
	q := Query{Metric: strings.ToLower(strings.TrimPrefix(a.Word(0), "#"))}
	if q.Metric != "" {
		if _, ok := s.Config.KPI(q.Metric); !ok {
			return q, unknownMetric(s.Config, q.Metric)
		}
	}
	var err error
	if q.Brand, err = s.Brand(a.Flag("brand")); err != nil {
		return q, err
	}
	if a.Has("channel") {
		if q.Channel, err = checkChannel(a.Flag("channel")); err != nil {
			return q, bot.Errorf(bot.EInvalid, "%s", err.Error())
		}
	}
	if a.Has("dept") {
		d, ok := s.Config.Department(a.Flag("dept"))
		if !ok {
			return q, bot.Errorf(bot.EInvalid, "unknown department %q; departments: %s", a.Flag("dept"), strings.Join(s.Config.DepartmentIDs(), ", "))
		}
		q.Department = d.ID
	}
	q.Period, err = ParsePeriod(a.Flag("period"))
	return q, err
}

// scorecard answers /kpi without a metric: every KPI on one line each. A
// KPI that cannot be computed shows why instead of failing the others.
func (s *Service) scorecard(ctx context.Context, c *bot.Context, q Query) error {
	results := make([]Result, 0, len(s.Config.KPIs))
	var errs []error
	for _, k := range s.Config.KPIs {
		q.Metric = k.ID
		res, err := s.Compute(ctx, q)
		if err != nil && !bot.IsCode(err, bot.EInvalid) {
			return err
		}
		results = append(results, res)
		errs = append(errs, err)
	}
	return c.Private(s.card(q, results, errs))
}
