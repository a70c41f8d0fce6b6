package bench

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/cmd/interlock/app"
	"github.com/interlock-coe/interlock/config"
	redisstore "github.com/interlock-coe/interlock/store/redis"
)

// backend is where an app under test keeps its data: PostgreSQL and Redis
// as in production, or the embedded store with in-process coordination.
type backend struct {
	name        string // "postgres" or "embedded"
	databaseURL string
	dataDir     string
	redisURL    string
	redisPrefix string
}

// postgresBackend makes a fresh database and Redis prefix.
func (r *resources) postgresBackend(ctx context.Context) (backend, error) {
	dbURL, err := r.database(ctx)
	if err != nil {
		return backend{}, err
	}
	prefix, err := r.redisPrefix(ctx)
	if err != nil {
		return backend{}, err
	}
	return backend{name: "postgres", databaseURL: dbURL, redisURL: r.opts.RedisURL, redisPrefix: prefix}, nil
}

// embeddedBackend keeps the embedded store in dir.
func embeddedBackend(dir string) backend { return backend{name: "embedded", dataDir: dir} }

// backendFor returns a fresh backend by name: a new PostgreSQL database for
// "postgres", else an embedded store in a temporary directory. Both are
// removed when the scenario's resources close.
func (r *resources) backendFor(ctx context.Context, name string) (backend, error) {
	if name == "postgres" {
		return r.postgresBackend(ctx)
	}
	dir, err := os.MkdirTemp("", "interlock-bench-")
	if err != nil {
		return backend{}, err
	}
	r.cleanup(func() { os.RemoveAll(dir) })
	return embeddedBackend(dir), nil
}

// webhookToken authenticates the benchmark's webhook calls.
const webhookToken = "bench-webhook-token"

// loadConfig is the embedded example configuration pointed at b.
func loadConfig(b backend) (*config.Config, error) {
	cfg, err := config.Load(config.Env{
		DatabaseURL: b.databaseURL, DataDir: b.dataDir, WebhookToken: webhookToken, LogLevel: "warn",
	})
	if err != nil {
		return nil, fmt.Errorf("load the example configuration: %w", err)
	}
	return cfg, nil
}

// openApp opens Interlock's core over b as `interlock serve` does, with
// app.Open. app.Open gives every Redis key the same prefix, so with Redis
// the coordinator is replaced by one with b's prefix and the router, the
// only part app.Open builds over it, is rebuilt.
func openApp(ctx context.Context, cfg *config.Config, b backend, log *slog.Logger) (*app.App, error) {
	a, err := app.Open(ctx, cfg, bot.SystemClock{}, log)
	if err != nil {
		return nil, err
	}
	if b.redisURL == "" {
		return a, nil
	}
	coord, err := redisstore.New(ctx, b.redisURL, b.redisPrefix, log)
	if err != nil {
		a.Close()
		return nil, fmt.Errorf("open Redis coordination: %w", err)
	}
	_ = a.Coord.Close()
	a.Coord = coord
	a.Router = bot.NewRouter(log, a.Access, coord)
	return a, nil
}

// server is a real HTTP server on 127.0.0.1, configured as serve's.
type server struct {
	URL string
	srv *http.Server
}

func startServer(h http.Handler) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return &server{URL: "http://" + ln.Addr().String(), srv: srv}, nil
}

// Close stops the server, waiting briefly for requests in flight.
func (s *server) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = s.srv.Shutdown(ctx)
}

// newClient is an HTTP client that keeps enough idle connections for the
// concurrency the scenarios use.
func newClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost = 2000, 2000
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}
