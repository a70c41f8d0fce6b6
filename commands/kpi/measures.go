package kpi

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// RoutedIssues is what the routing KPIs read; store.Routes provides it.
type RoutedIssues interface {
	// RoutedIssuesBetween lists the issues received in [from, to), for
	// brand ("" = every brand), oldest first.
	RoutedIssuesBetween(ctx context.Context, from, to time.Time, brand string) ([]store.RoutedIssue, error)
}

// CrisisList is what the crisis KPIs read; store.Crises provides it.
type CrisisList interface {
	// ListCrises lists open crises, or all when all is true, newest first.
	ListCrises(ctx context.Context, all bool) ([]store.Crisis, error)
}

// Measures of the computed sources. A KPI with source routing or crises
// names its measures in numerator and denominator (a ratio), or in
// numerator alone (value, median, p90; when empty, the default below).
// Counts are 1 per issue or crisis that has them, so a ratio of counts is a
// share.
//
// Routed issues, in the period they were received; the first response is
// the earlier of the claim and the answer:
//   - routed: every issue.
//   - answered: issues with a first response.
//   - due: issues whose SLA outcome is known (answered, or past the
//     deadline without a first response).
//   - answered_within_sla: issues first responded to by their deadline.
//   - response_minutes: minutes from routing to the first response
//     (default of median and p90).
//   - resolved: resolved issues.
//   - replied: issues answered with a reply; replied_with_template: those
//     whose reply was filled from an approved template (their ratio is the
//     template use share).
//
// Crises, in the period they were opened (a crisis of every brand counts
// for each brand):
//   - opened: every crisis (default of value).
//   - assembled: crises whose invitations were all delivered.
//   - assemble_minutes: minutes from opening to assembled (default of
//     median and p90).
//   - resolved, resolve_minutes: resolved crises; minutes to resolution.
var (
	routingMeasures = []string{"routed", "answered", "due", "answered_within_sla", "response_minutes", "resolved", "replied", "replied_with_template"}
	crisisMeasures  = []string{"opened", "assembled", "assemble_minutes", "resolved", "resolve_minutes"}
)

// item is one routed issue or crisis: when it counts, and its measures
// (absent = not applicable).
type item struct {
	at       time.Time
	measures map[string]float64
}

// computedTotals returns the totals per span of a routing or crisis KPI.
func (s *Service) computedTotals(ctx context.Context, k config.KPI, q Query, spans []Span) ([]Totals, string, error) {
	items, note, err := s.items(ctx, k, q, Span{From: spans[0].From, To: spans[len(spans)-1].To})
	if err != nil {
		return nil, note, err
	}
	num, den, err := s.measureNames(k)
	if err != nil {
		return nil, note, err
	}
	totals := make([]Totals, len(spans))
	for _, it := range items {
		for i, sp := range spans {
			if sp.Contains(it.at) {
				add(&totals[i], k, it.measures, num, den)
			}
		}
	}
	return totals, note, nil
}

// add counts one item's measures into t as k's formula needs them.
func add(t *Totals, k config.KPI, m map[string]float64, num, den string) {
	t.Points++
	if k.Formula == FormulaRatio {
		t.Numerator += m[num]
		t.Denominator += m[den]
		return
	}
	v, ok := m[num]
	if !ok {
		return
	}
	t.Values++
	t.Sum += v
	t.Last = v // items come oldest first
	if needsSamples(k) {
		t.Samples = append(t.Samples, v)
	}
}

// measureNames returns the measures k reads, checked against its source.
func (s *Service) measureNames(k config.KPI) (num, den string, err error) {
	known := routingMeasures
	switch k.Source {
	case SourceCrises:
		known = crisisMeasures
	case SourceContent:
		known = s.contentMeasures()
	case SourceRequests:
		known = s.requestMeasures()
	}
	num, den = k.Numerator, k.Denominator
	if num == "" {
		num = defaultMeasure(k)
	}
	for _, m := range []string{num, den} {
		if m != "" && !slices.Contains(known, m) {
			return "", "", bot.Errorf(bot.EInvalid, "KPI %s: %q is not a measure of %s; measures: %s",
				k.ID, m, sourceLabel(k.Source), strings.Join(known, ", "))
		}
	}
	return num, den, nil
}

func defaultMeasure(k config.KPI) string {
	switch {
	case k.Source == SourceCrises && needsSamples(k):
		return "assemble_minutes"
	case k.Source == SourceCrises:
		return "opened"
	case k.Source == SourceContent && needsSamples(k):
		return "cycle_minutes"
	case k.Source == SourceContent:
		return "approved"
	case k.Source == SourceRequests && needsSamples(k):
		return "delivery_hours"
	case k.Source == SourceRequests:
		return "backlog"
	case needsSamples(k):
		return "response_minutes"
	}
	return "routed"
}

// items loads the routed issues or crises of span, filtered by the query.
func (s *Service) items(ctx context.Context, k config.KPI, q Query, span Span) ([]item, string, error) {
	switch k.Source {
	case SourceCrises:
		return s.crisisItems(ctx, q, span)
	case SourceContent:
		return s.contentItems(ctx, q, span)
	case SourceRequests:
		return s.requestItems(ctx, q, span)
	}
	if s.issues == nil {
		return nil, "no routed issues are available", nil
	}
	issues, err := s.issues.RoutedIssuesBetween(ctx, span.From, span.To, q.Brand)
	if err != nil {
		return nil, "", fmt.Errorf("list routed issues: %w", err)
	}
	now := s.Clock.Now()
	var out []item
	for _, is := range issues {
		if q.Channel != "" && !strings.EqualFold(is.Platform, q.Channel) ||
			q.Department != "" && !strings.EqualFold(is.Department, q.Department) {
			continue
		}
		out = append(out, item{at: is.ReceivedAt, measures: issueMeasures(is, now)})
	}
	return out, "", nil
}

func (s *Service) crisisItems(ctx context.Context, q Query, span Span) ([]item, string, error) {
	if s.crises == nil {
		return nil, "no crisis records are available", nil
	}
	crises, err := s.crises.ListCrises(ctx, true)
	if err != nil {
		return nil, "", fmt.Errorf("list crises: %w", err)
	}
	var note string
	if q.Channel != "" {
		note = "crises are not per channel: every channel counted"
	}
	var out []item
	for _, c := range crises {
		if span.Contains(c.OpenedAt) && (q.Brand == "" || c.Brand == "" || strings.EqualFold(c.Brand, q.Brand)) {
			out = append(out, item{at: c.OpenedAt, measures: crisisMeasuresOf(c)})
		}
	}
	slices.SortFunc(out, func(a, b item) int { return a.at.Compare(b.at) })
	return out, note, nil
}

func issueMeasures(is store.RoutedIssue, now time.Time) map[string]float64 {
	m := map[string]float64{"routed": 1}
	first := firstResponse(is)
	switch {
	case !first.IsZero():
		m["answered"], m["due"] = 1, 1
		m["response_minutes"] = first.Sub(is.RoutedAt).Minutes()
		if !first.After(is.DueAt) {
			m["answered_within_sla"] = 1
		}
	case !is.DueAt.IsZero() && now.After(is.DueAt):
		m["due"] = 1
	}
	if !is.ResolvedAt.IsZero() {
		m["resolved"] = 1
	}
	if !is.AnsweredAt.IsZero() {
		m["replied"] = 1
		if is.Template != "" {
			m["replied_with_template"] = 1
		}
	}
	return m
}

// firstResponse is the earlier of an issue's claim and answer.
func firstResponse(is store.RoutedIssue) time.Time {
	switch {
	case is.ClaimedAt.IsZero():
		return is.AnsweredAt
	case is.AnsweredAt.IsZero() || is.ClaimedAt.Before(is.AnsweredAt):
		return is.ClaimedAt
	}
	return is.AnsweredAt
}

func crisisMeasuresOf(c store.Crisis) map[string]float64 {
	m := map[string]float64{"opened": 1}
	if !c.AssembledAt.IsZero() {
		m["assembled"] = 1
		m["assemble_minutes"] = c.AssembledAt.Sub(c.OpenedAt).Minutes()
	}
	if !c.ResolvedAt.IsZero() {
		m["resolved"] = 1
		m["resolve_minutes"] = c.ResolvedAt.Sub(c.OpenedAt).Minutes()
	}
	return m
}
