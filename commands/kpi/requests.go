package kpi

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/interlock-coe/interlock/store"
)

// RequestList is what the service-request KPIs read; store.Requests
// provides it.
type RequestList interface {
	ListRequests(ctx context.Context, q store.RequestQuery) ([]store.ServiceRequest, error)
}

// requestMeasures are the measures of service requests (/request), counted
// in the period they were placed; --brand matches a request's --brand
// field. Each also exists per service with the service's name appended
// (backlog_listening-report):
//   - requested: every request that was not cancelled.
//   - delivered: requests done; delivered_on_time: done by their due date.
//     Their ratio is the on-time delivery share.
//   - backlog: requests still open now; late: open and past their due date.
//   - delivery_hours: hours from the request to delivery (default of median
//     and p90).
func (s *Service) requestMeasures() []string {
	base := []string{"requested", "delivered", "delivered_on_time", "backlog", "late", "delivery_hours"}
	out := slices.Clone(base)
	for _, svc := range s.Config.ServiceNames() {
		for _, m := range base {
			out = append(out, m+"_"+svc)
		}
	}
	return out
}

// maxRequests bounds the requests one KPI reads.
const maxRequests = 10000

func (s *Service) requestItems(ctx context.Context, q Query, span Span) ([]item, string, error) {
	if s.requests == nil {
		return nil, "no service requests are available", nil
	}
	rs, err := s.requests.ListRequests(ctx, store.RequestQuery{RequestedFrom: span.From, RequestedTo: span.To, Limit: maxRequests})
	if err != nil {
		return nil, "", fmt.Errorf("list requests: %w", err)
	}
	var note string
	if len(rs) == maxRequests {
		note = fmt.Sprintf("only the latest %d requests counted", maxRequests)
	}
	if q.Channel != "" {
		note = "requests are not per channel: every channel counted"
	}
	now := s.Clock.Now()
	var out []item
	for _, r := range rs {
		if r.Status == store.RequestCancelled || q.Brand != "" && r.Fields["brand"] != q.Brand {
			continue
		}
		out = append(out, item{at: r.RequestedAt, measures: requestMeasuresOf(r, now)})
	}
	slices.SortFunc(out, func(a, b item) int { return a.at.Compare(b.at) })
	return out, note, nil
}

func requestMeasuresOf(r store.ServiceRequest, now time.Time) map[string]float64 {
	m := map[string]float64{"requested": 1}
	switch {
	case r.Status == store.RequestDone:
		m["delivered"] = 1
		m["delivery_hours"] = r.DoneAt.Sub(r.RequestedAt).Hours()
		if !r.DoneAt.After(r.DueAt) {
			m["delivered_on_time"] = 1
		}
	case r.Open():
		m["backlog"] = 1
		if now.After(r.DueAt) {
			m["late"] = 1
		}
	}
	for k, v := range m {
		m[k+"_"+r.Service] = v
	}
	return m
}
