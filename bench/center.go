package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/interlock-coe/interlock/cmd/interlock/app"
	feature "github.com/interlock-coe/interlock/commands/center"
	"github.com/interlock-coe/interlock/integrations/center"
	"github.com/interlock-coe/interlock/integrations/logchat"
	"github.com/interlock-coe/interlock/store"
)

// Sizes and targets of the command center scenario.
const (
	centerRate      = 20.0 // GET / a second
	centerP99Limit  = 50.0 // ms
	centerFanLimit  = 1000.0
	centerSecretStr = "bench-session-secret-0123456789abcdef"
)

// RunCenter measures the command center on PostgreSQL and Redis: GET /
// with 50 open crises, 500 open routed issues, 100 active alerts and a
// year of daily KPI points, at 20 requests a second; and how long a change
// takes to reach 200 open event streams.
func RunCenter(ctx context.Context, opts Options) Scenario {
	sc := Scenario{Name: "center", Title: "6. Command center (GET / at 20 req/s; a change to 200 SSE viewers), PostgreSQL + Redis"}
	sc.Table.Columns = []Column{{Name: "measure"}, {Name: "count"}, {Name: "p50", Unit: "ms"}, {Name: "p99", Unit: "ms"}, {Name: "max", Unit: "ms"}, {Name: "errors"}}
	res := newResources(opts)
	defer res.Close()
	sizes := centerSizes{crises: opts.scale(50, 3), issues: opts.scale(500, 10), alerts: opts.scale(100, 3), days: opts.scale(365, 10), viewers: opts.scale(200, 5)}
	site, err := startCenter(ctx, res, opts, sizes)
	if err != nil {
		sc.Notes = append(sc.Notes, "FAILED: "+err.Error())
		sc.Targets = append(sc.Targets, unmeasured("GET / p99", "< 50 ms"), unmeasured("event to every viewer", "< 1 s"))
		return sc
	}
	defer site.stop()
	client := newClient()
	page := openLoop(ctx, centerRate, opts.span(20*time.Second, 2*time.Second), 100, func(ctx context.Context) error {
		return site.get(ctx, client)
	})
	sc.Table.Add("GET /", page.Sent, ms(page.Latency.P50), ms(page.Latency.P99), ms(page.Latency.Max), errText(page.Errors, page.FirstErr))
	sc.Targets = append(sc.Targets, below("GET / p99 at 20 req/s", ms(page.Latency.P99), centerP99Limit, "ms"))
	fan, err := site.fanOut(ctx, sizes.viewers)
	if err != nil {
		sc.Notes = append(sc.Notes, "event fan-out FAILED: "+err.Error())
		sc.Targets = append(sc.Targets, unmeasured("event to every viewer", "< 1 s"))
	} else {
		sc.Table.Add("event → viewers", sizes.viewers, ms(fan.P50), ms(fan.P99), ms(fan.Max), "0")
		sc.Targets = append(sc.Targets, below(fmt.Sprintf("event to all %d viewers", sizes.viewers), ms(fan.Max), centerFanLimit, "ms"))
	}
	sc.Notes = append(sc.Notes, fmt.Sprintf("%d open crises, %d open routed issues, %d active alerts (48 hourly points each), %d days of KPI points; the viewer holds social-lead. The event is a crisis status change published through Redis pub/sub, timed from publish to each stream's read.",
		sizes.crises, sizes.issues, sizes.alerts, sizes.days))
	return sc
}

func errText(n int, first error) string {
	if n == 0 {
		return "0"
	}
	return fmt.Sprintf("%d (%v)", n, first)
}

type centerSizes struct{ crises, issues, alerts, days, viewers int }

// centerSite is a command center served over a seeded PostgreSQL.
type centerSite struct {
	url    string
	cookie string
	app    *app.App
	f      app.Features
	stop   func()
}

func startCenter(ctx context.Context, res *resources, opts Options, sizes centerSizes) (*centerSite, error) {
	b, err := res.backendFor(ctx, "postgres")
	if err != nil {
		return nil, err
	}
	cfg, err := loadConfig(b)
	if err != nil {
		return nil, err
	}
	cfg.Env.SessionSecret, cfg.Env.WallToken, cfg.Env.PublicURL = centerSecretStr, "bench-wall-token-0123456789abcdef0123", "http://127.0.0.1"
	log := opts.logger()
	a, err := openApp(ctx, cfg, b, log)
	if err != nil {
		return nil, err
	}
	f := a.Register(logchat.New(log), app.Directory{Config: cfg})
	if err := seedCenter(ctx, a.Store, sizes); err != nil {
		a.Close()
		return nil, fmt.Errorf("seed: %w", err)
	}
	mux := http.NewServeMux()
	center.New(f.Center, f.Events, log).Routes(mux)
	srv, err := startServer(mux)
	if err != nil {
		a.Close()
		return nil, err
	}
	cookie := f.Center.Keys.NewSession(feature.Session{Person: cfg.Org.CoELead, Expires: time.Now().Add(time.Hour)})
	return &centerSite{url: srv.URL, cookie: cookie, app: a, f: f, stop: func() { srv.Close(); a.Close() }}, nil
}

func (s *centerSite) request(ctx context.Context, path string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url+path, nil)
	if err != nil {
		return nil, err
	}
	req.AddCookie(&http.Cookie{Name: center.CookieName, Value: s.cookie})
	return req, nil
}

func (s *centerSite) get(ctx context.Context, client *http.Client) error {
	req, err := s.request(ctx, "/")
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET /: status %d", resp.StatusCode)
	}
	return nil
}

// fanOut opens n event streams, publishes one change, and returns how long
// after the publish each stream read it.
func (s *centerSite) fanOut(ctx context.Context, n int) (Summary, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	client := newClient()
	client.Timeout = 0
	ready := make(chan error, n)
	got := make(chan time.Time, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() { s.view(ctx, client, ready, got) })
	}
	for range n {
		if err := <-ready; err != nil {
			return Summary{}, err
		}
	}
	sent := time.Now()
	if err := s.f.Events.Publish(ctx, "crisis"); err != nil {
		return Summary{}, err
	}
	var lat Latencies
	for range n {
		select {
		case at := <-got:
			lat.Add(at.Sub(sent))
		case <-ctx.Done():
			return Summary{}, errors.New("not every viewer heard the change")
		}
	}
	cancel()
	wg.Wait()
	return lat.Summary(), nil
}

// view is one open page's event stream: ready once subscribed, then the
// time the first change arrived.
func (s *centerSite) view(ctx context.Context, client *http.Client, ready chan<- error, got chan<- time.Time) {
	req, err := s.request(ctx, "/events")
	if err != nil {
		ready <- err
		return
	}
	resp, err := client.Do(req)
	if err != nil {
		ready <- err
		return
	}
	defer resp.Body.Close()
	lines := bufio.NewScanner(resp.Body)
	if !lines.Scan() { // "retry: …" comes once the subscription is in place
		ready <- fmt.Errorf("event stream: status %d, nothing read", resp.StatusCode)
		return
	}
	ready <- nil
	for lines.Scan() {
		if strings.HasPrefix(lines.Text(), "data: ") {
			got <- time.Now()
			return
		}
	}
}

// seedCenter writes the scenario's open work straight into the store.
func seedCenter(ctx context.Context, st store.Store, sizes centerSizes) error {
	now := time.Now().UTC()
	for i := range sizes.crises {
		c := store.Crisis{Title: fmt.Sprintf("Bench crisis %d", i), Severity: fmt.Sprintf("sev%d", 1+i%4), Status: store.CrisisOpen,
			OpenedBy: "alex", OpenedAt: now.Add(-time.Duration(i) * time.Minute), RoomName: fmt.Sprintf("crisis-bench-%d", i)}
		if _, _, err := st.CreateCrisis(ctx, c, nil); err != nil {
			return fmt.Errorf("crisis: %w", err)
		}
	}
	depts := []string{"customer-care", "sales", "hr", "legal", "product"}
	for i := range sizes.issues {
		is := store.RoutedIssue{Source: "bench", ExternalID: fmt.Sprint(i), Text: fmt.Sprintf("Issue %d", i), Department: depts[i%len(depts)],
			Status: store.IssueOpen, ReceivedAt: now, RoutedAt: now.Add(-time.Duration(i) * time.Minute), DueAt: now.Add(time.Duration(60-i%120) * time.Minute)}
		if _, _, err := st.CreateRoutedIssue(ctx, is, nil); err != nil {
			return fmt.Errorf("issue: %w", err)
		}
	}
	if err := seedAlerts(ctx, st, sizes.alerts, now); err != nil {
		return err
	}
	return seedKPIs(ctx, st, sizes.days, now)
}

func seedAlerts(ctx context.Context, st store.Store, n int, now time.Time) error {
	end := now.Truncate(time.Hour)
	for i := range n {
		topic := fmt.Sprintf("topic-%d", i)
		var ps []store.ListeningPoint
		for h := range 48 {
			we := end.Add(-time.Duration(h) * time.Hour)
			ps = append(ps, store.ListeningPoint{Source: "bench", Brand: "acme", Topic: topic, WindowStart: we.Add(-time.Hour), WindowEnd: we,
				Mentions: 400 + int64(h%5), ReceivedAt: now, Evaluated: true})
		}
		if _, err := st.SaveListeningPoints(ctx, ps, nil); err != nil {
			return fmt.Errorf("listening points: %w", err)
		}
		a := store.ListeningAlert{Brand: "acme", Topic: topic, Status: store.AlertActive, Severity: "sev3", PeakSeverity: "sev3",
			Source: "bench", Mentions: 1400, Expected: 400, Multiple: 3.5, FirstWindow: end.Add(-3 * time.Hour), LastWindow: end, OpenedAt: now, UpdatedAt: now}
		if _, err := st.ApplyAlertChange(ctx, store.AlertChange{Alert: &a, At: now}); err != nil {
			return fmt.Errorf("alert: %w", err)
		}
	}
	return nil
}

func seedKPIs(ctx context.Context, st store.Store, days int, now time.Time) error {
	today := now.Truncate(24 * time.Hour)
	var ps []store.KPIPoint
	ratio := map[string]bool{"engagement-rate": true, "net-sentiment": true, "share-of-voice": true, "csat": true, "mention-volume": false, "leads": false}
	for metric, isRatio := range ratio {
		for d := range days {
			start := today.Add(-time.Duration(d) * 24 * time.Hour)
			ps = append(ps, store.KPIPoint{Metric: metric, Brand: "acme", Channel: "instagram", Start: start, End: start.Add(24 * time.Hour),
				Ratio: isRatio, Value: float64(100 + d%17), Numerator: float64(30 + d%7), Denominator: 1000, SentAt: now})
		}
	}
	for i := 0; i < len(ps); i += 500 {
		if err := st.PutKPIPoints(ctx, ps[i:min(i+500, len(ps))]); err != nil {
			return fmt.Errorf("KPI points: %w", err)
		}
	}
	return nil
}
