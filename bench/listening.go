package bench

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/interlock-coe/interlock/cmd/interlock/app"
	"github.com/interlock-coe/interlock/integrations/listening"
	"github.com/interlock-coe/interlock/integrations/logchat"
	"github.com/interlock-coe/interlock/integrations/web"
)

// Sizes and target of the listening scenario.
const (
	listenBatch   = 100
	listenSenders = 4
	listenLive    = 7 // hourly windows recent enough to alert on (maxLag is 6 h)
	listenTarget  = 20000.0
	// listenRuns is how many times each store runs the scenario, each on a
	// fresh database; the run with the median live rate is reported. A
	// live phase lasts about a second, which one stall of a shared machine
	// can halve.
	listenRuns = 3
)

// listenPoint is one data point as the webhook's JSON.
type listenPoint struct {
	Source      string `json:"source"`
	Brand       string `json:"brand"`
	Topic       string `json:"topic"`
	WindowStart string `json:"window_start"`
	WindowEnd   string `json:"window_end"`
	Mentions    int64  `json:"mentions"`
	Negative    int64  `json:"negative"`
	Neutral     int64  `json:"neutral"`
	Positive    int64  `json:"positive"`
	Reach       int64  `json:"reach"`
}

// listenPhase is one way of sending points: its batches, sent by
// listenSenders at once, group by group (a group must finish before the
// next starts, as an hour's windows come after the last hour's).
type listenPhase struct {
	name   string
	groups [][][]byte // group → batch → JSON body
	points int
}

// listenResult is what one phase measured.
type listenResult struct {
	phase   string
	points  int
	stored  int64
	elapsed time.Duration
	batch   Summary
	errors  int64
	first   error
}

func (r listenResult) rate() float64 { return float64(r.points) / r.elapsed.Seconds() }

// RunListening measures data points a second through POST /hooks/listening
// (authentication, decoding, storage, spike detection against each
// series' stored baseline), in batches of 100, on the embedded store and
// on PostgreSQL.
func RunListening(ctx context.Context, opts Options) Scenario {
	sc := Scenario{Name: "listening", Title: "3. Listening ingestion (POST /hooks/listening, batches of 100, 4 senders)"}
	sc.Table.Columns = []Column{
		{Name: "store"}, {Name: "phase"}, {Name: "points"}, {Name: "rate", Unit: "points/s"},
		{Name: "batch p50", Unit: "ms"}, {Name: "batch p99", Unit: "ms"}, {Name: "errors"},
	}
	res := newResources(opts)
	defer res.Close()
	// 3,000 series: a live hour is 30 batches, enough that the phase runs
	// about a second at the target rate rather than a fraction of one.
	series := opts.scale(3000, 6)
	history := opts.scale(48, 4)
	now := time.Now().UTC().Truncate(time.Hour)
	phases := []listenPhase{backfillPhase(now, series, history), livePhase(now, series)}
	runs := opts.scale(listenRuns, 1)
	for _, name := range []string{"embedded", "postgres"} {
		results, lives, err := listenMedian(ctx, res, opts, name, phases, runs)
		if err != nil {
			sc.Targets = append(sc.Targets, unmeasured("live points/s, "+name, "≥ 20,000 points/s"))
			sc.Notes = append(sc.Notes, fmt.Sprintf("%s: FAILED: %v", name, err))
			continue
		}
		for _, r := range results {
			sc.Table.Add(name, r.phase, r.points, r.rate(), ms(r.batch.P50), ms(r.batch.P99), listenErrors(r))
		}
		sc.Targets = append(sc.Targets, atLeast("live points/s, "+name, results[1].rate(), listenTarget, "points/s"))
		sc.Notes = append(sc.Notes, fmt.Sprintf("%s: live %.0f points/s (the median of %d runs: %s) = %.0f%% of the database's own multi-row INSERT rate into listening_points in the same run (%.0f rows/s).",
			name, results[1].rate(), runs, lives, 100*results[1].rate()/results[2].rate(), results[2].rate()))
	}
	sc.Notes = append(sc.Notes,
		fmt.Sprintf("%d series (3 brands × %d topics, one source). Backfill: %d hourly windows a series, older than 6 h, in batches of one series (stored; the newest of each batch is judged). Live: the last %d hours, each batch 100 different series, every point judged against its series' baseline; about 1 point in 100 spikes (4×), opening an alert that the series' next window resolves.", series, series/3, history, listenLive),
		"The target is judged on the live phase, where spike detection runs for every point. Embedded store: SQLite, in-process coordination; postgres: PostgreSQL + Redis.",
	)
	return sc
}

func listenErrors(r listenResult) string {
	if r.errors == 0 {
		return "0"
	}
	return fmt.Sprintf("%d (%v)", r.errors, r.first)
}

// listenMedian runs the phases runs times on the named store and returns
// the run with the median live rate, and every run's live rate.
func listenMedian(ctx context.Context, res *resources, opts Options, name string, phases []listenPhase, runs int) ([]listenResult, string, error) {
	var all [][]listenResult
	for range runs {
		results, err := listenOn(ctx, res, opts, name, phases)
		if err != nil {
			return nil, "", err
		}
		all = append(all, results)
	}
	rates := make([]string, len(all))
	for i, r := range all {
		rates[i] = fmt.Sprintf("%.0f", r[1].rate())
	}
	slices.SortFunc(all, func(a, b []listenResult) int { return cmp.Compare(a[1].rate(), b[1].rate()) })
	return all[len(all)/2], strings.Join(rates, ", "), nil
}

// listenOn runs the phases against a fresh bot on the named store.
func listenOn(ctx context.Context, res *resources, opts Options, name string, phases []listenPhase) ([]listenResult, error) {
	b, err := res.backendFor(ctx, name)
	if err != nil {
		return nil, err
	}
	l, err := startListening(ctx, b, opts.logger())
	if err != nil {
		return nil, err
	}
	defer l.stop()
	client := newClient()
	var out []listenResult
	for _, p := range phases {
		r := sendPhase(ctx, client, l.url+"/hooks/listening", p)
		if r.stored != int64(r.points) && r.errors == 0 {
			return nil, fmt.Errorf("%s: %d points sent, %d stored", p.name, r.points, r.stored)
		}
		out = append(out, r)
	}
	return append(out, insertCeiling(ctx, l.raw, phases[len(phases)-1].points)), nil
}

// listeningServer is a bot serving the listening webhooks.
type listeningServer struct {
	url  string // base URL
	raw  rawExec
	stop func()
}

// startListening serves the listening webhook of an app on b as serve
// does, with a chat that only logs.
func startListening(ctx context.Context, b backend, log *slog.Logger) (listeningServer, error) {
	cfg, err := loadConfig(b)
	if err != nil {
		return listeningServer{}, err
	}
	a, err := openApp(ctx, cfg, b, log)
	if err != nil {
		return listeningServer{}, err
	}
	raw, ok := a.Store.(rawExec)
	if !ok {
		a.Close()
		return listeningServer{}, fmt.Errorf("the %s store runs no raw SQL", b.name)
	}
	chat := logchat.New(log)
	f := a.Register(chat, app.Directory{Config: cfg})
	m := web.NewMetrics()
	a.Router.Use(m.Middleware())
	mux := http.NewServeMux()
	h := listening.NewHandler(f.Alerts, cfg, web.WebhookAuth{Token: cfg.Env.WebhookToken}, a.Clock, log)
	mux.Handle("/hooks/listening", m.Instrument("/hooks/listening", h))
	hm := listening.NewMentionsHandler(f.Alerts, cfg, web.WebhookAuth{Token: cfg.Env.WebhookToken}, a.Clock, log)
	mux.Handle("/hooks/mentions", m.Instrument("/hooks/mentions", hm))
	srv, err := startServer(mux)
	if err != nil {
		a.Close()
		return listeningServer{}, err
	}
	return listeningServer{url: srv.URL, raw: raw, stop: func() { srv.Close(); a.Close() }}, nil
}

// sendPhase sends a phase's batches and measures it.
func sendPhase(ctx context.Context, client *http.Client, url string, p listenPhase) listenResult {
	var (
		lat    Latencies
		stored atomic.Int64
		errs   atomic.Int64
		mu     sync.Mutex
		first  error
	)
	start := time.Now()
	for _, group := range p.groups {
		batches := make(chan []byte)
		var wg sync.WaitGroup
		for range listenSenders {
			wg.Go(func() {
				for body := range batches {
					t0 := time.Now()
					n, err := sendBatch(ctx, client, url, body)
					if err != nil {
						errs.Add(1)
						mu.Lock()
						first = cmpErr(first, err)
						mu.Unlock()
						continue
					}
					lat.Add(time.Since(t0))
					stored.Add(n)
				}
			})
		}
		for _, body := range group {
			batches <- body
		}
		close(batches)
		wg.Wait()
	}
	return listenResult{phase: p.name, points: p.points, stored: stored.Load(), elapsed: time.Since(start), batch: lat.Summary(), errors: errs.Load(), first: first}
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

func sendBatch(ctx context.Context, client *http.Client, url string, body []byte) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+webhookToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var receipt struct {
		Stored int64 `json:"stored"`
		Error  string
	}
	_ = json.NewDecoder(resp.Body).Decode(&receipt)
	if resp.StatusCode != http.StatusAccepted {
		return 0, fmt.Errorf("answered %d", resp.StatusCode)
	}
	return receipt.Stored, nil
}

// seriesPoint is series s's window ending at end, with mentions around its
// own level (a spike now and then when spiky).
func seriesPoint(s int, end time.Time, rng *rand.Rand, spiky bool) listenPoint {
	return levelPoint(s, end, rng, 200+int64(s*37%400), spiky)
}

// levelPoint is series s's window ending at end, with mentions around
// level (a spike now and then when spiky).
func levelPoint(s int, end time.Time, rng *rand.Rand, level int64, spiky bool) listenPoint {
	brands := []string{"acme", "globex", "umbrella"}
	mentions := level + rng.Int64N(level/5+1) - level/10
	if spiky && rng.IntN(100) == 0 {
		mentions *= 4
	}
	neg := mentions / 5
	return listenPoint{
		Source: "bench", Brand: brands[s%3], Topic: fmt.Sprintf("topic %d", s/3),
		WindowStart: end.Add(-time.Hour).Format(time.RFC3339), WindowEnd: end.Format(time.RFC3339),
		Mentions: mentions, Negative: neg, Neutral: mentions - 2*neg, Positive: neg, Reach: mentions * 300,
	}
}

// backfillPhase is every series' history older than 6 h, each batch 100
// consecutive windows of one series.
func backfillPhase(now time.Time, series, hours int) listenPhase {
	return historyPhase(now, series, hours, func(s int) int64 { return 200 + int64(s*37%400) })
}

// historyPhase is backfillPhase with series s's windows around level(s).
func historyPhase(now time.Time, series, hours int, level func(s int) int64) listenPhase {
	rng := rand.New(rand.NewPCG(1, 2))
	p := listenPhase{name: "backfill"}
	var group [][]byte
	for s := range series {
		var batch []listenPoint
		for h := hours; h >= 1; h-- {
			batch = append(batch, levelPoint(s, now.Add(-time.Duration(listenLive-1+h)*time.Hour), rng, level(s), false))
			if len(batch) == listenBatch || h == 1 {
				group = append(group, mustJSON(batch))
				p.points += len(batch)
				batch = nil
			}
		}
	}
	p.groups = [][][]byte{group}
	return p
}

// livePhase is the last listenLive hours, hour after hour, each batch 100
// different series.
func livePhase(now time.Time, series int) listenPhase {
	rng := rand.New(rand.NewPCG(3, 4))
	p := listenPhase{name: "live"}
	for h := listenLive - 1; h >= 0; h-- {
		var group [][]byte
		var batch []listenPoint
		for s := range series {
			batch = append(batch, seriesPoint(s, now.Add(-time.Duration(h)*time.Hour), rng, true))
			if len(batch) == listenBatch || s == series-1 {
				group = append(group, mustJSON(batch))
				p.points += len(batch)
				batch = nil
			}
		}
		p.groups = append(p.groups, group)
	}
	return p
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // plain structs always marshal
	}
	return b
}
