package center

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/alerts/spike"
	"github.com/interlock-coe/interlock/commands/kpi"
	"github.com/interlock-coe/interlock/commands/privacy"
	"github.com/interlock-coe/interlock/store"
)

// CrisisRow is an open crisis on the main page. Detail is false when the
// viewer does not see inside the room: the row then has only the title
// (unless confidential) and the severity.
type CrisisRow struct {
	ID          int64
	Severity    string
	Title       string
	Brand       string
	Room        string
	Age         string
	NextCheckIn string
	Detail      bool
	Pending     []PendingRow
}

// PendingRow is a proposal awaiting approval.
type PendingRow struct {
	ID       int64
	Text     string
	From     string   // who proposed it
	Awaiting []string // approver roles that have not approved yet
}

func (b *Board) crises(ctx context.Context, v *privacy.Viewer, wall bool, brand string, now time.Time) ([]CrisisRow, error) {
	cs, err := b.d.Store.ListCrises(ctx, false)
	if err != nil {
		return nil, err
	}
	var (
		out     []CrisisRow
		details []int64 // crises whose pending proposals are shown
	)
	for _, cr := range cs {
		if !matchesBrand(brand, cr.Brand) {
			continue
		}
		sees, err := v.Sees(ctx, cr.ID)
		if err != nil {
			return nil, err
		}
		row := CrisisRow{ID: cr.ID, Severity: cr.Severity, Title: privacy.Title(cr, sees), Brand: cr.Brand, Age: Age(now, cr.OpenedAt)}
		if sees && !wall {
			row.Detail, row.Room = true, cr.RoomName
			row.NextCheckIn = b.nextCheckIn(cr, now)
			details = append(details, cr.ID)
		}
		out = append(out, row)
	}
	if err := b.addPending(ctx, out, details); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Severity < out[j].Severity })
	return out, nil
}

func (b *Board) nextCheckIn(cr store.Crisis, now time.Time) string {
	sev, ok := b.d.Config.Severity(cr.Severity)
	if !ok || sev.CheckIn <= 0 {
		return ""
	}
	last := cr.OpenedAt
	if cr.LastCheckInAt.After(last) {
		last = cr.LastCheckInAt
	}
	return Countdown(now, last.Add(sev.CheckIn))
}

// addPending fills the rows' pending proposals, read for every crisis in
// ids with one store call rather than one per crisis.
func (b *Board) addPending(ctx context.Context, rows []CrisisRow, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	ps, err := b.d.Store.PendingProposals(ctx, ids)
	if err != nil {
		return err
	}
	byCrisis := map[int64][]PendingRow{}
	for _, p := range ps {
		byCrisis[p.CrisisID] = append(byCrisis[p.CrisisID],
			PendingRow{ID: p.ID, Text: preview(p.Text), From: p.ProposedBy, Awaiting: awaiting(p.ApproverRoles, p.Votes)})
	}
	for i := range rows {
		rows[i].Pending = byCrisis[rows[i].ID]
	}
	return nil
}

func awaiting(roles []string, votes []store.Vote) []string {
	done := map[string]bool{}
	for _, v := range votes {
		if v.Approve {
			done[v.Role] = true
		}
	}
	var out []string
	for _, r := range roles {
		if !done[r] {
			out = append(out, r)
		}
	}
	return out
}

func preview(s string) string {
	if r := []rune(s); len(r) > proposalPreview {
		return string(r[:proposalPreview-1]) + "…"
	}
	return s
}

// AlertRow is an active listening alert with its last 48 hours.
type AlertRow struct {
	ID       int64
	Brand    string
	Topic    string
	Severity string
	Multiple float64
	Mentions int64
	AckedBy  string
	Chart    Series
}

// Series is a chart's data: one point per hour, oldest first, and the
// baseline band (mentions per hour) the points are read against.
type Series struct {
	Points   []Point
	BandLow  float64
	BandHigh float64
	Target   float64 // a target line; 0 = none
}

// Point is one value at a time.
type Point struct {
	At    time.Time
	Value float64
}

func (b *Board) alerts(ctx context.Context, brand string, now time.Time) ([]AlertRow, error) {
	as, err := b.d.Store.ListListeningAlerts(ctx, false, readAlerts)
	if err != nil {
		return nil, err
	}
	var out []AlertRow
	for _, a := range as {
		if len(out) == alertsShown {
			break
		}
		if !matchesBrand(brand, a.Brand) {
			continue
		}
		ch, err := b.alertSeries(ctx, a, now)
		if err != nil {
			return nil, err
		}
		out = append(out, AlertRow{ID: a.ID, Brand: a.Brand, Topic: a.Topic, Severity: a.Severity,
			Multiple: a.Multiple, Mentions: a.Mentions, AckedBy: a.AckedBy, Chart: ch})
	}
	return out, nil
}

// alertSeries buckets the alert's series into the last ChartHours hours
// and reads the baseline band from the windows before the spike began:
// the median rate plus or minus two robust standard deviations.
func (b *Board) alertSeries(ctx context.Context, a store.ListeningAlert, now time.Time) (Series, error) {
	end := now.Truncate(time.Hour) // the last whole hour: the current one is still filling
	start := end.Add(-ChartHours * time.Hour)
	ps, err := b.d.Store.ListeningSeries(ctx, store.SeriesKey{Source: a.Source, Brand: a.Brand, Topic: a.Topic},
		start.Add(-7*24*time.Hour), end)
	if err != nil {
		return Series{}, err
	}
	s := Series{Points: make([]Point, ChartHours)}
	for i := range s.Points {
		s.Points[i].At = start.Add(time.Duration(i) * time.Hour)
	}
	var history []spike.Window
	for _, p := range ps {
		if a.FirstWindow.IsZero() || p.WindowEnd.Before(a.FirstWindow) || p.WindowEnd.Equal(a.FirstWindow) {
			history = append(history, spike.Window{Start: p.WindowStart, End: p.WindowEnd, Mentions: p.Mentions})
		}
		if i := int(p.WindowStart.Sub(start) / time.Hour); !p.WindowStart.Before(start) && i < ChartHours {
			s.Points[i].Value += float64(p.Mentions)
		}
	}
	base := spike.NewBaseline(history)
	s.BandLow, s.BandHigh = max(0, base.Rate-2*base.Spread), base.Rate+2*base.Spread
	return s, nil
}

// Queue is one department's open routed issues.
type Queue struct {
	Department string
	Name       string
	OnDuty     []string
	Breached   int
	Issues     []IssueRow
	More       int
}

// IssueRow is one routed issue waiting on a department.
type IssueRow struct {
	ID        int64
	Text      string
	Status    string
	ClaimedBy string
	Left      string // time left on the first-response SLA, or (breached) how long past it
	Breached  bool
}

func (b *Board) queues(ctx context.Context, brand string, now time.Time) ([]Queue, error) {
	is, err := b.d.Store.ListRoutedIssues(ctx, store.RoutedIssueQuery{Unresolved: true, Limit: readIssues})
	if err != nil {
		return nil, err
	}
	byDept := map[string]*Queue{}
	var order []string
	for _, d := range b.d.Config.Departments {
		byDept[d.ID] = &Queue{Department: d.ID, Name: d.Name}
		order = append(order, d.ID)
	}
	sort.Slice(is, func(i, j int) bool { return is[i].DueAt.Before(is[j].DueAt) })
	for _, is := range is {
		if !matchesBrand(brand, is.Brand) {
			continue
		}
		q := byDept[is.Department]
		if q == nil {
			q = &Queue{Department: is.Department, Name: is.Department}
			byDept[is.Department] = q
			order = append(order, is.Department)
		}
		row := IssueRow{ID: is.ID, Text: preview(is.Text), Status: is.Status, ClaimedBy: is.ClaimedBy}
		if is.AnsweredAt.IsZero() && !is.DueAt.IsZero() {
			row.Breached = !now.Before(is.DueAt)
			row.Left = Countdown(now, is.DueAt)
			if row.Breached {
				row.Left = Age(now, is.DueAt) // how long past the deadline
			}
		}
		if row.Breached {
			q.Breached++
		}
		if len(q.Issues) < issuesPerQueue {
			q.Issues = append(q.Issues, row)
		} else {
			q.More++
		}
	}
	roster := commands.Roster{Store: b.d.Store}
	out := make([]Queue, 0, len(order))
	for _, id := range order {
		q := byDept[id]
		if dept, ok := b.d.Config.Department(id); ok && dept.LiaisonRole != "" {
			if q.OnDuty, _, err = roster.Holders(ctx, dept.LiaisonRole, brand); err != nil {
				return nil, err
			}
		}
		out = append(out, *q)
	}
	return out, nil
}

// KPIRow is one KPI of the scorecard with its trend.
type KPIRow struct {
	ID     string
	Name   string
	Value  string
	Target string
	Met    bool
	HasVal bool
	Chart  Series
}

func (b *Board) kpis(ctx context.Context, brand string) ([]KPIRow, error) {
	if b.KPIs == nil {
		return nil, nil
	}
	var out []KPIRow
	for _, k := range b.d.Config.KPIs {
		res, err := b.KPIs.Compute(ctx, kpi.Query{Metric: strings.ToLower(k.ID), Brand: brand})
		if err != nil {
			b.d.Log.Warn("KPI left off the command center", "kpi", k.ID, "err", err)
			continue
		}
		row := KPIRow{ID: k.ID, Name: k.Name, Chart: Series{Target: k.Target}}
		if cur := res.Current(); cur.OK {
			row.HasVal, row.Value, row.Met = true, kpi.FormatValue(k, cur), kpi.Met(k, cur)
			if k.Target != 0 {
				row.Target = kpi.FormatValue(k, kpi.Value{V: k.Target, OK: true})
			}
		}
		for i, v := range res.Values {
			if v.OK {
				row.Chart.Points = append(row.Chart.Points, Point{At: res.Spans[i].From, Value: v.V})
			}
		}
		out = append(out, row)
	}
	return out, nil
}
