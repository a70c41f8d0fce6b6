package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/cmd/interlock/app"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/integrations/web"
)

func (c *cli) serveCommand() *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run Interlock for Slack, Discord and webhooks (HTTP on INTERLOCK_HTTP_ADDR, default :8080)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := c.loadConfig()
			if err != nil {
				return err
			}
			if addr != "" {
				cfg.Env.HTTPAddr = addr
			}
			log := c.newLogger(cfg.Env.LogLevel, false)
			return c.serve(cmd.Context(), cfg, log)
		},
	}
	cmd.Flags().StringVar(&addr, "http", "", "listen address (overrides INTERLOCK_HTTP_ADDR)")
	return cmd
}

// serve runs the bot until ctx ends: HTTP endpoints, the chosen platform,
// and the durable-timer scheduler.
func (c *cli) serve(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	routeLibraryLogs(log)
	a, err := app.Open(ctx, cfg, bot.SystemClock{}, log)
	if err != nil {
		return err
	}
	defer a.Close()
	p, err := choosePlatform(cfg, a, c.platformBackoff, log)
	if err != nil {
		return err
	}
	m := web.NewMetrics()
	instrument(a, m)
	f := a.Register(p.chat, p.people)
	if err := a.CheckPermissions(); err != nil {
		return err
	}
	var extra []web.Check
	if p.check != nil {
		extra = append(extra, *p.check)
	}
	mux := newMux(cfg, a, f, m, extra, log)
	if p.routes != nil {
		p.routes(mux)
	}
	if err := c.setTimerLease(a.Scheduler); err != nil {
		return err
	}
	if err := a.Scheduler.Start(ctx, timerSafetyPoll); err != nil {
		return err
	}
	if cfg.Env.MetricsAddr != "" {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		wait, err := startMetrics(ctx, cfg.Env.MetricsAddr, m, func(bound string) {
			log.Info("serving metrics", "addr", bound)
			fmt.Fprintf(c.stdout, "metrics on %s\n", bound)
		})
		if err != nil {
			return err
		}
		defer func() {
			cancel()
			if err := wait(); err != nil {
				log.Warn("metrics listener", "err", err)
			}
		}()
	}
	if p.run != nil {
		go p.super.Run(ctx, p.run)
	}
	err = serveHTTP(ctx, cfg.Env.HTTPAddr, mux, func(bound string) {
		log.Info("serving", "addr", bound, "platform", p.name, "version", version)
		fmt.Fprintf(c.stdout, "interlock %s serving on %s (platform: %s)\n", version, bound, p.name)
	})
	if p.shutdown != nil {
		drain, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if serr := p.shutdown(drain); serr != nil {
			log.Warn("draining the chat platform", "err", serr)
		}
	}
	return err
}

// timerSafetyPoll is how often serve looks for due timers when nothing has
// woken it: the scheduler sleeps until the next due time and PostgreSQL
// notifications wake it for new timers, so the poll only covers a missed
// signal (a listening connection being re-established, say).
const timerSafetyPoll = 10 * time.Second

// setTimerLease applies INTERLOCK_TIMER_LEASE, how long a replica's claim
// on a due timer lasts (2m by default; the fault tests shorten it).
func (c *cli) setTimerLease(s *bot.Scheduler) error {
	v := c.getenv("INTERLOCK_TIMER_LEASE")
	if v == "" {
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Second {
		return fmt.Errorf("INTERLOCK_TIMER_LEASE: want a duration of 1s or more, got %q", v)
	}
	s.SetLease(d)
	return nil
}

// serveHTTP serves until ctx ends, then drains in-flight requests.
func serveHTTP(ctx context.Context, addr string, h http.Handler, ready func(bound string)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	// Bodies are bounded in size by each endpoint and in time here, so a
	// slow sender cannot hold connections open.
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	// Event streams never finish by themselves: they end when shutdown
	// begins, so that the drain below does not wait for them.
	stopping := make(chan struct{})
	srv.BaseContext = func(net.Listener) context.Context { return web.WithStopping(context.Background(), stopping) }
	srv.RegisterOnShutdown(func() { close(stopping) })
	ready(ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("drain http server: %w", err)
	}
	return nil
}
