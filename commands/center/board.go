package center

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/kpi"
	"github.com/interlock-coe/interlock/commands/privacy"
	"github.com/interlock-coe/interlock/store"
)

// Limits of the overview, so that the page stays one screen and one
// request stays cheap whatever the backlog.
const (
	issuesPerQueue  = 12
	readIssues      = 1000
	alertsShown     = 12
	decisionsShown  = 10
	decisionsRead   = 200
	syncsShown      = 3
	ChartHours      = 48
	readAlerts      = 200
	readKPIPeriods  = kpi.TrendPeriods
	proposalPreview = 140
)

// KPIs computes KPI trends; *kpi.Service implements it.
type KPIs interface {
	Compute(ctx context.Context, q kpi.Query) (kpi.Result, error)
}

// kpiFresh is how long a computed scorecard is shown before it is computed
// again: KPIs move by the day, and computing them is most of a page's
// reading.
const kpiFresh = time.Minute

// Board is the read model of the command center.
type Board struct {
	d    commands.Deps
	rule privacy.Rule
	KPIs KPIs // nil: the scorecard is empty

	mu        sync.Mutex
	scorecard map[string]scorecard // by brand
}

type scorecard struct {
	rows []KPIRow
	at   time.Time
}

// NewBoard returns the read model over d's store.
func NewBoard(d commands.Deps) *Board {
	return &Board{d: d, rule: privacy.New(d)}
}

// Viewer is who looks at the board: a signed-in person, or a wall screen
// (read-only, sees inside no crisis).
type Viewer struct {
	Person string
	Wall   bool
}

// Overview is everything on the main page.
type Overview struct {
	Now             time.Time
	Brand           string
	Brands          []string
	Crises          []CrisisRow
	Alerts          []AlertRow
	Queues          []Queue
	KPIs            []KPIRow
	Tests           []TestRow
	Syncs           []SyncRow
	Decisions       []DecisionRow
	HiddenDecisions string
	Search          string
}

// Overview builds the main page for v, for one brand or all (""), with
// the decision log searched for search.
func (b *Board) Overview(ctx context.Context, v Viewer, brand, search string) (Overview, error) {
	now := b.d.Clock.Now()
	o := Overview{Now: now, Brand: brand, Brands: b.d.Config.BrandIDs(), Search: search}
	person := v.Person
	if v.Wall {
		person = "" // a wall screen sees inside no crisis
	}
	viewer := b.rule.Viewer(person)
	steps := []struct {
		name string
		fill func() error
	}{
		{"crises", func() (err error) { o.Crises, err = b.crises(ctx, viewer, v.Wall, brand, now); return }},
		{"alerts", func() (err error) { o.Alerts, err = b.alerts(ctx, brand, now); return }},
		{"queues", func() (err error) { o.Queues, err = b.queues(ctx, brand, now); return }},
		{"kpis", func() (err error) { o.KPIs, err = b.cachedKPIs(ctx, brand, now); return }},
		{"tests", func() (err error) { o.Tests, err = b.tests(ctx, brand); return }},
		{"syncs", func() (err error) { o.Syncs, err = b.syncs(ctx, now); return }},
		{"decisions", func() (err error) {
			o.Decisions, o.HiddenDecisions, err = b.decisions(ctx, viewer, search, v.Wall)
			return
		}},
	}
	for _, s := range steps {
		if err := s.fill(); err != nil {
			return Overview{}, fmt.Errorf("command center %s: %w", s.name, err)
		}
	}
	return o, nil
}

func matchesBrand(want, got string) bool {
	return want == "" || got == "" || strings.EqualFold(want, got)
}

// Countdown formats how long until t ("12m", "1h05m") or how long past it
// ("-3m"), to the minute.
func Countdown(now, t time.Time) string {
	d := t.Sub(now).Round(time.Minute)
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	h, m := int(d.Hours()), int(d.Minutes())%60
	if h >= 48 {
		return fmt.Sprintf("%s%dd", sign, h/24)
	}
	if h > 0 {
		return fmt.Sprintf("%s%dh%02dm", sign, h, m)
	}
	return fmt.Sprintf("%s%dm", sign, m)
}

// Age formats how long ago t was.
func Age(now, t time.Time) string { return strings.TrimPrefix(Countdown(t, now), "-") }

// TestRow is a test picked or running.
type TestRow struct {
	ID      int64
	Title   string
	Status  string
	Owner   string
	Channel string
}

func (b *Board) tests(ctx context.Context, brand string) ([]TestRow, error) {
	var out []TestRow
	for _, status := range []string{store.ExperimentRunning, store.ExperimentPicked} {
		es, err := b.d.Store.ListExperiments(ctx, status)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			if matchesBrand(brand, e.OwnerBrand) {
				out = append(out, TestRow{ID: e.ID, Title: e.Title, Status: e.Status, Owner: e.Owner, Channel: e.Channel})
			}
		}
	}
	return out, nil
}

// SyncRow is an upcoming department sync.
type SyncRow struct {
	ID         int64
	Department string
	At         time.Time
	In         string
}

func (b *Board) syncs(ctx context.Context, now time.Time) ([]SyncRow, error) {
	ss, err := b.d.Store.ListSyncs(ctx)
	if err != nil {
		return nil, err
	}
	sort.Slice(ss, func(i, j int) bool { return ss[i].NextAt.Before(ss[j].NextAt) })
	var out []SyncRow
	for _, s := range ss {
		if len(out) == syncsShown {
			break
		}
		out = append(out, SyncRow{ID: s.ID, Department: s.Department, At: s.NextAt, In: Countdown(now, s.NextAt)})
	}
	return out, nil
}

// DecisionRow is one entry of the decision log.
type DecisionRow struct {
	ID    int64
	Kind  string
	Text  string
	Actor string
	At    time.Time
}

func (b *Board) decisions(ctx context.Context, v *privacy.Viewer, search string, wall bool) ([]DecisionRow, string, error) {
	if wall {
		search = ""
	}
	ds, err := b.d.Store.ListDecisions(ctx, store.DecisionQuery{Search: search, Limit: decisionsRead})
	if err != nil {
		return nil, "", err
	}
	ds, hidden, err := v.Decisions(ctx, ds)
	if err != nil {
		return nil, "", err
	}
	var out []DecisionRow
	for _, d := range ds {
		if len(out) == decisionsShown {
			break
		}
		out = append(out, DecisionRow{ID: d.ID, Kind: d.Kind, Text: d.Text, Actor: d.Actor, At: d.At})
	}
	return out, privacy.HiddenNote(hidden), nil
}

// cachedKPIs returns the brand's scorecard, computed at most once a
// kpiFresh.
func (b *Board) cachedKPIs(ctx context.Context, brand string, now time.Time) ([]KPIRow, error) {
	b.mu.Lock()
	sc, ok := b.scorecard[brand]
	b.mu.Unlock()
	if ok && now.Sub(sc.at) < kpiFresh && !now.Before(sc.at) {
		return sc.rows, nil
	}
	rows, err := b.kpis(ctx, brand)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	if b.scorecard == nil {
		b.scorecard = map[string]scorecard{}
	}
	b.scorecard[brand] = scorecard{rows: rows, at: now}
	b.mu.Unlock()
	return rows, nil
}
