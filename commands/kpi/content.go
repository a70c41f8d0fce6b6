package kpi

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/interlock-coe/interlock/store"
)

// ContentList is what the content KPIs read; store.Contents provides it.
type ContentList interface {
	ListContent(ctx context.Context, q store.ContentQuery) ([]store.ContentItem, error)
}

// contentMeasures are the measures of content items, counted in the period
// they were submitted:
//   - submitted: every item; approved: items approved.
//   - cycle_minutes: minutes from submission to the final approval
//     (default of median and p90); cycle_minutes_<level> the same for one
//     sensitivity only (e.g. cycle_minutes_regulated).
//   - stages_decided: stages approved or rejected; stages_within_target:
//     those decided within their turnaround target (from when they were
//     last asked). Their ratio is the share of stages decided on time.
func (s *Service) contentMeasures() []string {
	out := []string{"submitted", "approved", "cycle_minutes", "stages_decided", "stages_within_target"}
	for _, level := range s.Config.ContentLevels() {
		out = append(out, "cycle_minutes_"+level)
	}
	return out
}

// maxContentItems bounds the items one KPI reads.
const maxContentItems = 10000

func (s *Service) contentItems(ctx context.Context, q Query, span Span) ([]item, string, error) {
	if s.content == nil {
		return nil, "no content records are available", nil
	}
	items, err := s.content.ListContent(ctx, store.ContentQuery{
		Brand: q.Brand, SubmittedFrom: span.From, SubmittedTo: span.To, Limit: maxContentItems,
	})
	if err != nil {
		return nil, "", fmt.Errorf("list content: %w", err)
	}
	var note string
	if len(items) == maxContentItems {
		note = fmt.Sprintf("only the latest %d items counted", maxContentItems)
	}
	var out []item
	for _, it := range items {
		if q.Channel != "" && !strings.EqualFold(it.Channel, q.Channel) {
			continue
		}
		out = append(out, item{at: it.SubmittedAt, measures: contentMeasuresOf(it)})
	}
	slices.SortFunc(out, func(a, b item) int { return a.at.Compare(b.at) })
	return out, note, nil
}

func contentMeasuresOf(it store.ContentItem) map[string]float64 {
	m := map[string]float64{"submitted": 1}
	if it.Status == store.ContentApproved {
		minutes := it.DecidedAt.Sub(it.SubmittedAt).Minutes()
		m["approved"], m["cycle_minutes"], m["cycle_minutes_"+it.Sensitivity] = 1, minutes, minutes
	}
	for _, st := range it.Stages {
		if st.DecidedAt.IsZero() {
			continue
		}
		m["stages_decided"]++
		if !st.DecidedAt.After(st.StartedAt.Add(st.Target)) {
			m["stages_within_target"]++
		}
	}
	return m
}
