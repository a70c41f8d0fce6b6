package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/interlock-coe/interlock/cmd/interlock/app"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/integrations/center"
	"github.com/interlock-coe/interlock/integrations/inbox"
	"github.com/interlock-coe/interlock/integrations/listening"
	"github.com/interlock-coe/interlock/integrations/metrics"
	"github.com/interlock-coe/interlock/integrations/web"
	"github.com/interlock-coe/interlock/store"
)

// newMux builds the HTTP endpoints every mode shares: health, readiness,
// Prometheus metrics and the webhooks. Platform endpoints are added by the
// caller.
func newMux(cfg *config.Config, a *app.App, f app.Features, m *web.Metrics, extra []web.Check, log *slog.Logger) *http.ServeMux {
	mux := http.NewServeMux()
	checks := append([]web.Check{
		{Name: "database", Required: true, Ping: a.Store.Ping},
		{Name: "coordination", Degraded: "degraded: single-replica guarantees", Ping: a.Coord.Ping},
	}, extra...)
	web.Health(mux, checks)
	if cfg.Env.MetricsAddr == "" {
		mux.Handle("GET /metrics", m.Handler())
	}

	key, err := cfg.Env.WebhookKey() // validated by config.Load already
	if err != nil {
		log.Error("Standard Webhooks scheme off", "err", err)
	}
	auth := web.WebhookAuth{Token: cfg.Env.WebhookToken, Secret: cfg.Env.WebhookSecret,
		SigningKey: key, Claims: a.Coord, Clock: a.Clock}
	if !auth.Configured() {
		log.Warn("INTERLOCK_WEBHOOK_TOKEN, INTERLOCK_WEBHOOK_SECRET and INTERLOCK_WEBHOOK_SIGNING_KEY are unset: every webhook is refused (401)")
	}
	hooks := map[string]http.Handler{
		"/hooks/listening": listening.NewHandler(f.Alerts, cfg, auth, a.Clock, log),
		"/hooks/mentions":  listening.NewMentionsHandler(f.Alerts, cfg, auth, a.Clock, log),
		"/hooks/inbox":     inbox.NewHandler(f.Route, auth, log),
		"/hooks/metrics":   metrics.NewHandler(f.KPI, cfg, auth, log),
	}
	for path, h := range hooks {
		mux.Handle(path, m.Instrument(path, center.Notify(f.Events, path, h, log)))
	}
	center.New(f.Center, f.Events, log).WithActions(a.Router).Routes(mux)
	return mux
}

// startMetrics serves /metrics alone on addr (INTERLOCK_METRICS_ADDR) until
// ctx ends, so that scrapes stay off the public listener. It returns once
// listening; wait returns when the listener has drained.
func startMetrics(ctx context.Context, addr string, m *web.Metrics, announce func(bound string)) (wait func() error, err error) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	bound := make(chan string, 1)
	errc := make(chan error, 1)
	go func() { errc <- serveHTTP(ctx, addr, mux, func(b string) { bound <- b }) }()
	select {
	case b := <-bound:
		announce(b)
		return func() error { return <-errc }, nil
	case err := <-errc:
		return nil, fmt.Errorf("metrics listener: %w", err)
	}
}

// instrument connects the metrics to the router, the scheduler and gauges
// read from the store on each scrape.
func instrument(a *app.App, m *web.Metrics) {
	a.Router.Use(m.Middleware())
	a.Scheduler.OnFire(m.TimerFired)
	m.Gauge("interlock_open_crises", "Crises currently open.", func(ctx context.Context) (float64, error) {
		cs, err := a.Store.ListCrises(ctx, false)
		return float64(len(cs)), err
	})
	m.Gauge("interlock_active_alerts", "Listening alerts currently active.", func(ctx context.Context) (float64, error) {
		as, err := a.Store.ListListeningAlerts(ctx, false, 1000)
		return float64(len(as)), err
	})
	m.Gauge("interlock_open_routed_issues", "Routed issues not yet resolved.", func(ctx context.Context) (float64, error) {
		is, err := a.Store.ListRoutedIssues(ctx, store.RoutedIssueQuery{Unresolved: true, Limit: 10000})
		return float64(len(is)), err
	})
}
