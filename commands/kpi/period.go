package kpi

import (
	"fmt"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// Period names a reporting window. Every window is a whole number of
// calendar days in the org time zone, from local midnight to local
// midnight, and always ends with today (today included, so far as it has
// data):
//
//   - 7d: today and the 6 days before it.
//   - 30d: today and the 29 days before it.
//   - mtd: the 1st of this month through today.
//   - qtd: the 1st day of this quarter through today.
//
// The previous window, and each earlier one in the trend, is the same
// number of days right before (so the month to date on the 23rd compares
// with the 23 days before the 1st).
type Period string

// The periods /kpi accepts.
const (
	Days7          Period = "7d"
	Days30         Period = "30d"
	MonthToDate    Period = "mtd"
	QuarterToDate  Period = "qtd"
	DefaultPeriod         = Days30
	periodsChoices        = "7d, 30d, mtd, qtd"
)

// ParsePeriod reads a --period value; "" is the default, 30d.
func ParsePeriod(s string) (Period, error) {
	switch p := Period(strings.ToLower(strings.TrimSpace(s))); p {
	case "":
		return DefaultPeriod, nil
	case Days7, Days30, MonthToDate, QuarterToDate:
		return p, nil
	}
	return "", bot.Errorf(bot.EInvalid, "unknown period %q; periods: %s", s, periodsChoices)
}

// Label describes the period for people.
func (p Period) Label() string {
	switch p {
	case Days7:
		return "last 7 days"
	case MonthToDate:
		return "month to date"
	case QuarterToDate:
		return "quarter to date"
	}
	return "last 30 days"
}

// Span is one reporting window, [From, To).
type Span struct {
	From time.Time
	To   time.Time
}

// Contains reports whether t falls in the span.
func (s Span) Contains(t time.Time) bool { return !t.Before(s.From) && t.Before(s.To) }

// Days is how many calendar days the span covers (23 or 25 hours across a
// clock change still count as one day).
func (s Span) Days() int {
	return int(s.To.Sub(s.From).Round(24*time.Hour) / (24 * time.Hour))
}

// String shows the span's first and last day, e.g. "2026-10-25 – 2026-11-23".
func (s Span) String() string {
	last := s.To.AddDate(0, 0, -1)
	if s.Days() <= 1 {
		return s.From.Format(time.DateOnly)
	}
	return fmt.Sprintf("%s – %s", s.From.Format(time.DateOnly), last.Format(time.DateOnly))
}

// Spans returns n consecutive windows of the period, oldest first, the last
// one being the current window at now in loc.
func (p Period) Spans(now time.Time, loc *time.Location, n int) []Span {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := now.In(loc).Date()
	// Calendar arithmetic on UTC dates, then local midnights: a window
	// across a clock change is still a whole number of days.
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	first := p.firstDay(today)
	days := int(today.Sub(first)/(24*time.Hour)) + 1
	fy, fm, fd := first.Date()
	spans := make([]Span, n)
	for i := range n {
		back := (n - 1 - i) * days
		spans[i] = Span{
			From: time.Date(fy, fm, fd-back, 0, 0, 0, 0, loc),
			To:   time.Date(fy, fm, fd-back+days, 0, 0, 0, 0, loc),
		}
	}
	return spans
}

// firstDay is the first day of the current window that ends with today.
func (p Period) firstDay(today time.Time) time.Time {
	y, m, _ := today.Date()
	switch p {
	case Days7:
		return today.AddDate(0, 0, -6)
	case MonthToDate:
		return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	case QuarterToDate:
		return time.Date(y, (m-1)/3*3+1, 1, 0, 0, 0, 0, time.UTC)
	}
	return today.AddDate(0, 0, -29)
}

// spanEdges returns the bounds of consecutive spans: each From, then the
// last To.
func spanEdges(spans []Span) []time.Time {
	out := make([]time.Time, 0, len(spans)+1)
	for _, sp := range spans {
		out = append(out, sp.From)
	}
	if len(spans) > 0 {
		out = append(out, spans[len(spans)-1].To)
	}
	return out
}
