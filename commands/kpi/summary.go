package kpi

import (
	"context"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// KPISummary returns one line per KPI with data over [since, until), e.g.
// "Median first response: 42 min (target 60 min ✅ met)", for the monthly
// sync's agenda (it implements syncs.KPIReport). Routing KPIs count only
// the issues routed to department ("" = every department); the other KPIs
// are org-wide. A KPI that cannot be computed is left out and logged.
func (s *Service) KPISummary(ctx context.Context, department string, since, until time.Time) ([]string, error) {
	if !until.After(since) {
		return nil, nil
	}
	spans := []Span{{From: since, To: until}}
	var out []string
	for _, k := range s.Config.KPIs {
		q := Query{Metric: strings.ToLower(k.ID)}
		if k.Source == SourceRouting {
			q.Department = department
		}
		res, err := s.computeSpans(ctx, k, q, spans)
		if bot.IsCode(err, bot.EInvalid) {
			s.Log.Warn("KPI left out of the summary", "kpi", k.ID, "err", err)
			continue
		}
		if err != nil {
			return nil, err
		}
		if v := res.Current(); v.OK {
			out = append(out, summaryLine(res, v))
		}
	}
	if len(out) > 0 {
		out = append(out, "more with /kpi")
	}
	return out, nil
}

func summaryLine(r Result, v Value) string {
	line := r.KPI.Name + ": " + FormatValue(r.KPI, v)
	if r.KPI.Target != 0 {
		line += " (target " + FormatTarget(r.KPI, v) + ")"
	}
	return line
}
