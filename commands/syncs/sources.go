package syncs

import (
	"context"
	"fmt"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/privacy"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// AgendaQuery is what an agenda section covers: one sync's department over
// the month before the occurrence.
type AgendaQuery struct {
	SyncID     int64
	Department config.Department
	Since      time.Time // a month before the occurrence
	Until      time.Time // now
	Location   *time.Location
}

// Section is one part of an agenda: a title and bullet lines, or Empty when
// there is nothing to say.
type Section struct {
	Title string
	Lines []string
	Empty string
}

// AgendaSource contributes one section to every agenda. Features that know
// something a sync should discuss (KPIs, routed issues) implement it, or one
// of the smaller interfaces below that the built-in sections adapt.
type AgendaSource interface {
	AgendaSection(ctx context.Context, q AgendaQuery) (Section, error)
}

// KPIReport is what a KPI feature implements to put KPIs on the agenda.
type KPIReport interface {
	// KPISummary returns one line per KPI relevant to department over
	// [since, until), e.g. "Median first response: 42 min (target 60)".
	KPISummary(ctx context.Context, department string, since, until time.Time) ([]string, error)
}

// CrisisLister lists crises; store.Crises implements it.
type CrisisLister interface {
	ListCrises(ctx context.Context, all bool) ([]store.Crisis, error)
}

// RoutedIssueLister lists routed issues; store.Routes implements it.
type RoutedIssueLister interface {
	ListRoutedIssues(ctx context.Context, q store.RoutedIssueQuery) ([]store.RoutedIssue, error)
}

// DefaultSources are the agenda's sections in order: test results, KPIs,
// crises, overdue routed issues and the last sync's notes. The optional
// inputs come from d.Store when it provides them: crises (CrisisLister),
// routed issues (RoutedIssueLister) and KPIs — report when given, else
// the store's own KPIReport, else the store's data points (StoredKPIs). A
// missing one shows as a labelled placeholder, so the agenda says what it
// could not include rather than hiding it.
func DefaultSources(d commands.Deps, report KPIReport) []AgendaSource {
	crises, _ := d.Store.(CrisisLister)
	routes, _ := d.Store.(RoutedIssueLister)
	if report == nil {
		report = storeKPIs(d)
	}
	return []AgendaSource{
		TestResults{Decisions: d.Store},
		KPIs{Report: report},
		Crises{Lister: crises},
		OverdueIssues{Lister: routes},
		FollowUps{Decisions: d.Store},
	}
}

// storeKPIs is the store's KPI report, or nil when it keeps no KPIs.
func storeKPIs(d commands.Deps) KPIReport {
	if r, ok := d.Store.(KPIReport); ok {
		return r
	}
	if p, ok := d.Store.(KPIBucketReader); ok && d.Config != nil {
		return StoredKPIs{Points: p, KPIs: d.Config.KPIs}
	}
	return nil
}

// TestResults lists the test results recorded in the decision log.
type TestResults struct{ Decisions store.Decisions }

// AgendaSection implements AgendaSource.
func (s TestResults) AgendaSection(ctx context.Context, q AgendaQuery) (Section, error) {
	sec := Section{Title: "Test results", Empty: "no test results this month"}
	ds, err := s.Decisions.ListDecisions(ctx, store.DecisionQuery{Kind: store.KindResult, Since: q.Since, Limit: 20})
	if err != nil {
		return sec, fmt.Errorf("list test results: %w", err)
	}
	for i := len(ds) - 1; i >= 0; i-- { // oldest first reads like a story
		sec.Lines = append(sec.Lines, ds[i].Text)
	}
	return sec, nil
}

// KPIs shows the KPI feature's summary, or says that none is connected.
type KPIs struct{ Report KPIReport }

// AgendaSection implements AgendaSource.
func (s KPIs) AgendaSection(ctx context.Context, q AgendaQuery) (Section, error) {
	if s.Report == nil {
		return Section{Title: "KPIs (optional)", Empty: "no KPI source is connected yet"}, nil
	}
	sec := Section{Title: "KPIs", Empty: "no KPI data this month"}
	lines, err := s.Report.KPISummary(ctx, q.Department.ID, q.Since, q.Until)
	if err != nil {
		return sec, fmt.Errorf("summarise KPIs: %w", err)
	}
	sec.Lines = lines
	return sec, nil
}

// Crises lists the crises opened in the month and those still open.
type Crises struct{ Lister CrisisLister }

// AgendaSection implements AgendaSource.
func (s Crises) AgendaSection(ctx context.Context, q AgendaQuery) (Section, error) {
	if s.Lister == nil {
		return Section{Title: "Crises", Empty: "crisis records are not available"}, nil
	}
	sec := Section{Title: "Crises", Empty: "no crises this month"}
	cs, err := s.Lister.ListCrises(ctx, true)
	if err != nil {
		return sec, fmt.Errorf("list crises: %w", err)
	}
	for _, c := range cs {
		if c.Status != store.CrisisOpen && c.OpenedAt.Before(q.Since) {
			continue
		}
		// The agenda is read outside the crisis rooms: what privacy lets
		// everyone see, never the summary.
		sec.Lines = append(sec.Lines, fmt.Sprintf("%s %s %s%s — %s", bot.FormatID(c.ID), c.Severity, privacy.Title(c, false), inBrand(c.Brand), c.Status))
	}
	return sec, nil
}

// OverdueIssues lists the department's routed issues that are past their
// first-response deadline without an answer.
type OverdueIssues struct{ Lister RoutedIssueLister }

// AgendaSection implements AgendaSource.
func (s OverdueIssues) AgendaSection(ctx context.Context, q AgendaQuery) (Section, error) {
	title := "Overdue routed issues for " + q.Department.Name
	if s.Lister == nil {
		return Section{Title: title, Empty: "routed issues are not available"}, nil
	}
	sec := Section{Title: title, Empty: "none — every issue was answered in time"}
	is, err := s.Lister.ListRoutedIssues(ctx, store.RoutedIssueQuery{Unresolved: true, Department: q.Department.ID, Limit: 200})
	if err != nil {
		return sec, fmt.Errorf("list routed issues: %w", err)
	}
	for i := len(is) - 1; i >= 0; i-- {
		r := is[i]
		if !r.AnsweredAt.IsZero() || r.DueAt.IsZero() || !r.DueAt.Before(q.Until) {
			continue
		}
		sec.Lines = append(sec.Lines, fmt.Sprintf("%s %s%s — due %s, %s", bot.FormatID(r.ID), clip(r.Text, 80), inBrand(r.Brand),
			r.DueAt.In(q.Location).Format("Mon 02 Jan 15:04"), r.Status))
	}
	return sec, nil
}

// FollowUps lists the notes recorded for this sync in the last month.
type FollowUps struct{ Decisions store.Decisions }

// AgendaSection implements AgendaSource.
func (s FollowUps) AgendaSection(ctx context.Context, q AgendaQuery) (Section, error) {
	sec := Section{Title: "Follow-ups from the last sync", Empty: "no notes recorded"}
	ds, err := s.Decisions.ListDecisions(ctx, store.DecisionQuery{Kind: store.KindSyncNote, Ref: syncRef(q.SyncID), Since: q.Since, Limit: 20})
	if err != nil {
		return sec, fmt.Errorf("list sync notes: %w", err)
	}
	for i := len(ds) - 1; i >= 0; i-- {
		sec.Lines = append(sec.Lines, fmt.Sprintf("%s (@%s)", ds[i].Text, ds[i].Actor))
	}
	return sec, nil
}

func inBrand(brand string) string {
	if brand == "" {
		return ""
	}
	return " (" + brand + ")"
}

// clip shortens text to at most n runes.
func clip(text string, n int) string {
	rs := []rune(text)
	if len(rs) <= n {
		return text
	}
	return string(rs[:n-1]) + "…"
}
