package digest

import (
	"context"
	"fmt"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/kpi"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// section renders one configured section as message fields.
func (b *build) section(ctx context.Context, name string) ([]bot.Field, error) {
	switch name {
	case "kpis":
		return b.kpiFields(), nil
	case "crises":
		return []bot.Field{b.crisisField()}, nil
	case "alerts":
		return b.alertFields(ctx)
	case "routed":
		return b.routedFields(ctx)
	case "tests":
		return b.testFields(ctx)
	case "decisions":
		return b.decisionFields(ctx)
	case "content":
		return b.contentFields(ctx)
	}
	return nil, nil
}

// kpiFields: one line per KPI, as the /kpi scorecard writes it.
func (b *build) kpiFields() []bot.Field {
	var out []bot.Field
	for _, id := range b.kpiIDs() {
		res, ok := b.results[strings.ToLower(id)]
		if !ok {
			continue
		}
		k, cur, prev := res.KPI, res.Current(), res.Previous()
		out = append(out, bot.Field{Title: k.Name, Value: fmt.Sprintf("%s (prev %s, %s) · target %s",
			kpi.FormatValue(k, cur), kpi.FormatValue(k, prev), kpi.FormatChange(k, cur, prev), kpi.FormatTarget(k, cur))})
	}
	return out
}

func (b *build) crisisField() bot.Field {
	f := bot.Field{Title: fmt.Sprintf("Crises (%d)", len(b.crises))}
	if len(b.crises) == 0 {
		f.Value = "none"
		return f
	}
	lines := make([]string, len(b.crises))
	for i, cr := range b.crises {
		lines[i] = crisisLine(cr, b.Config.Org.Location)
	}
	f.Value = strings.Join(lines, "\n")
	return f
}

// alertFields counts the listening alerts opened in the span, by brand.
func (b *build) alertFields(ctx context.Context) ([]bot.Field, error) {
	alerts, err := b.Store.ListListeningAlerts(ctx, true, 500)
	if err != nil {
		return nil, fmt.Errorf("list alerts: %w", err)
	}
	byBrand := map[string]int{}
	n := 0
	for _, a := range alerts {
		if b.span.Contains(a.OpenedAt) {
			byBrand[a.Brand]++
			n++
		}
	}
	return []bot.Field{{Title: fmt.Sprintf("Listening alerts (%d)", n), Value: countsLine(byBrand)}}, nil
}

// routedFields: per department, each routing KPI (SLA share, response
// times) computed for that department, and the open backlog.
func (b *build) routedFields(ctx context.Context) ([]bot.Field, error) {
	var out []bot.Field
	for _, dep := range b.Config.Departments {
		var parts []string
		for _, k := range b.routingKPIs() {
			res, err := b.kpis.Compute(ctx, kpi.Query{Metric: k.ID, Period: b.period, Department: dep.ID})
			if err != nil {
				return nil, err
			}
			parts = append(parts, k.Name+" "+kpi.FormatValue(k, res.Current()))
		}
		open, err := b.Store.ListRoutedIssues(ctx, store.RoutedIssueQuery{Unresolved: true, Department: dep.ID, Limit: 1000})
		if err != nil {
			return nil, fmt.Errorf("backlog of %s: %w", dep.ID, err)
		}
		parts = append(parts, fmt.Sprintf("backlog %d open", len(open)))
		out = append(out, bot.Field{Title: dep.Name, Value: strings.Join(parts, " · ")})
	}
	return out, nil
}

// routingKPIs are the digest's routing KPIs, or every routing KPI.
func (b *build) routingKPIs() []config.KPI {
	var out []config.KPI
	for _, id := range b.kpiIDs() {
		if k, ok := b.Config.KPI(id); ok && k.Source == kpi.SourceRouting {
			out = append(out, k)
		}
	}
	return out
}

func (b *build) testFields(ctx context.Context) ([]bot.Field, error) {
	tests, err := b.Store.ListExperiments(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("list tests: %w", err)
	}
	byStatus := map[string]int{}
	for _, t := range tests {
		byStatus[t.Status]++
	}
	return []bot.Field{{Title: fmt.Sprintf("Tests (%d)", len(tests)), Value: countsLine(byStatus)}}, nil
}

// decisionFields counts the decisions logged in the span by kind; their
// text stays in /decision, where the privacy rule is applied per reader.
func (b *build) decisionFields(ctx context.Context) ([]bot.Field, error) {
	ds, err := b.Store.ListDecisions(ctx, store.DecisionQuery{Since: b.span.From, Limit: 500})
	if err != nil {
		return nil, fmt.Errorf("list decisions: %w", err)
	}
	byKind := map[string]int{}
	n := 0
	for _, d := range ds {
		if b.span.Contains(d.At) {
			byKind[d.Kind]++
			n++
		}
	}
	return []bot.Field{{Title: fmt.Sprintf("Decisions logged (%d)", n), Value: countsLine(byKind)}}, nil
}

func (b *build) contentFields(ctx context.Context) ([]bot.Field, error) {
	items, err := b.Store.ListContent(ctx, store.ContentQuery{SubmittedFrom: b.span.From, SubmittedTo: b.span.To})
	if err != nil {
		return nil, fmt.Errorf("list content: %w", err)
	}
	byStatus := map[string]int{}
	for _, it := range items {
		byStatus[it.Status]++
	}
	return []bot.Field{{Title: fmt.Sprintf("Content submitted (%d)", len(items)), Value: countsLine(byStatus)}}, nil
}

// countsLine: "acme 2 · globex 1", sorted by name; "none" when empty.
func countsLine(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	var parts []string
	for _, k := range sortedKeys(m) {
		name := k
		if name == "" {
			name = "all"
		}
		parts = append(parts, fmt.Sprintf("%s %d", name, m[k]))
	}
	return strings.Join(parts, " · ")
}
