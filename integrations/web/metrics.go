package web

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/interlock-coe/interlock/bot"
)

// Metrics is Interlock's Prometheus registry: commands, HTTP requests,
// durable-timer lag and firings (SLA breaches are escalation firings).
type Metrics struct {
	registry *prometheus.Registry
	commands *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	requests *prometheus.CounterVec
	httpTime *prometheus.HistogramVec
	timerLag *prometheus.HistogramVec
	timers   *prometheus.CounterVec
	clock    bot.Clock
}

// DefaultGaugeEvery is how often a gauge is computed at most.
const DefaultGaugeEvery = 15 * time.Second

// MetricsOptions configure Metrics.
type MetricsOptions struct {
	Clock bot.Clock // when gauges were computed; SystemClock when nil
}

// NewMetrics returns a registry with the Go and process collectors.
func NewMetrics() *Metrics { return NewMetricsWith(MetricsOptions{}) }

// NewMetricsWith is NewMetrics with options.
func NewMetricsWith(opts MetricsOptions) *Metrics {
	m := &Metrics{
		clock:    opts.Clock,
		registry: prometheus.NewRegistry(),
		commands: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "interlock_commands_total", Help: "Commands handled, by command and outcome code.",
		}, []string{"command", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "interlock_command_duration_seconds", Help: "Time to handle a command.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"command"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "interlock_http_requests_total", Help: "HTTP requests, by endpoint and status.",
		}, []string{"endpoint", "status"}),
		httpTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "interlock_http_request_duration_seconds", Help: "HTTP request latency by endpoint.",
			Buckets: prometheus.DefBuckets,
		}, []string{"endpoint"}),
		timerLag: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "interlock_timer_lag_seconds", Help: "Delay between a durable timer's due time and its firing.",
			Buckets: []float64{.1, .25, .5, 1, 2, 5, 10, 30, 60, 300},
		}, []string{"kind"}),
		timers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "interlock_timers_fired_total", Help: "Durable timers fired, by kind (route.escalate counts SLA breaches).",
		}, []string{"kind"}),
	}
	if m.clock == nil {
		m.clock = bot.SystemClock{}
	}
	m.registry.MustRegister(m.commands, m.latency, m.requests, m.httpTime, m.timerLag, m.timers,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Gauge registers a gauge read from its source (e.g. active alerts, open
// crises), so no feature has to push its counts. It is read at most once
// per DefaultGaugeEvery, whatever the rate of scrapes; -1 means the last
// read failed.
func (m *Metrics) Gauge(name, help string, read func(ctx context.Context) (float64, error)) {
	g := &cachedGauge{read: read, clock: m.clock, every: DefaultGaugeEvery}
	m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, g.value))
}

// cachedGauge is a gauge's last reading and when it was taken.
type cachedGauge struct {
	read  func(ctx context.Context) (float64, error)
	clock bot.Clock
	every time.Duration

	mu    sync.Mutex // held while reading, so concurrent scrapes read once
	at    time.Time
	last  float64
	valid bool
}

func (g *cachedGauge) value() float64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.clock.Now()
	if g.valid && now.Sub(g.at) < g.every {
		return g.last
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	v, err := g.read(ctx)
	if err != nil {
		v = -1
	}
	g.at, g.last, g.valid = now, v, true
	return v
}

// Middleware counts and times every command by its outcome.
func (m *Metrics) Middleware() bot.Middleware {
	return func(next bot.Handler) bot.Handler {
		return func(ctx context.Context, c *bot.Context) error {
			start := time.Now()
			err := next(ctx, c)
			code := "ok"
			if err != nil {
				code = string(bot.ErrorCode(err))
			}
			path := c.Command.Path()
			m.commands.WithLabelValues(path, code).Inc()
			m.latency.WithLabelValues(path).Observe(time.Since(start).Seconds())
			return err
		}
	}
}

// TimerFired records a fired timer and its lag; it fits bot.Scheduler.OnFire.
func (m *Metrics) TimerFired(kind string, lag time.Duration) {
	m.timers.WithLabelValues(kind).Inc()
	m.timerLag.WithLabelValues(kind).Observe(max(lag, 0).Seconds())
}

// Instrument wraps an endpoint's handler with request counts and latency.
func (m *Metrics) Instrument(endpoint string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		m.requests.WithLabelValues(endpoint, strconv.Itoa(rec.status)).Inc()
		m.httpTime.WithLabelValues(endpoint).Observe(time.Since(start).Seconds())
	})
}

// Handler serves /metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
