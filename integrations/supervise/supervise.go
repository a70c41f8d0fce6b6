// Package supervise keeps a chat platform connected for as long as the
// process runs. A platform that cannot be reached at start, or that drops
// later, is retried with capped exponential backoff and jitter; meanwhile
// its state (the last error, or nil once connected) is what readiness
// reports, so /readyz never calls the platform itself.
package supervise

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"
)

// ErrConnecting is the state of a platform not yet connected.
var ErrConnecting = errors.New("connecting")

// errStopped is the state after a run ended without an error.
var errStopped = errors.New("connection ended")

// Backoff is capped exponential backoff with jitter.
type Backoff struct {
	Initial time.Duration // wait after the first failure (1s when zero)
	Max     time.Duration // longest wait (2 minutes when zero)
}

// Delay is the wait before retry number attempt (0 for the first): Initial
// doubled per attempt, at most Max, drawn at random from its upper half so
// that replicas do not retry in step.
func (b Backoff) Delay(attempt int) time.Duration {
	initial, ceiling := b.Initial, b.Max
	if initial <= 0 {
		initial = time.Second
	}
	if ceiling <= 0 {
		ceiling = 2 * time.Minute
	}
	d := min(initial, ceiling)
	for range attempt {
		if d >= ceiling/2 {
			d = ceiling
			break
		}
		d *= 2
	}
	return d/2 + rand.N(d/2+1)
}

// Run connects to a platform and serves it until ctx ends (then it returns
// nil) or the connection fails for good (an error). It calls report(nil)
// once connected and report(err) whenever the platform becomes unhealthy
// or recovers, while it keeps running.
type Run func(ctx context.Context, report func(error)) error

// Supervisor runs a platform's Run again and again and keeps its state.
type Supervisor struct {
	name    string
	backoff Backoff
	log     *slog.Logger

	mu        sync.Mutex
	state     error // the connection's, from Report
	probe     error // the last health check's, from Probe
	connected bool  // report(nil) was called during the current run
}

// New returns a Supervisor of the platform name, in the state
// ErrConnecting.
func New(name string, b Backoff, log *slog.Logger) *Supervisor {
	return &Supervisor{name: name, backoff: b, log: log.With("platform", name), state: ErrConnecting}
}

// Report records the platform's health: nil when connected, else why not.
func (s *Supervisor) Report(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	was := s.state
	s.state = err
	if err == nil {
		s.connected = true
		if was != nil {
			s.log.Info("chat platform connected")
		}
		return
	}
	if was == nil {
		s.log.Warn("chat platform unhealthy", "err", err)
	}
}

// Probe records the result of a periodic health check of a connected
// platform (its token, say); a failed one makes the platform unhealthy
// until a later check succeeds or the connection is made again.
func (s *Supervisor) Probe(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil && s.probe == nil && s.state == nil {
		s.log.Warn("chat platform health check failed", "err", err)
	}
	s.probe = err
}

// Err is the platform's state: nil when connected and healthy, else why
// not. It makes no call to the platform, so it fits a readiness check
// probed often.
func (s *Supervisor) Err(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != nil {
		return s.state
	}
	return s.probe
}

// Run calls run until ctx ends, waiting between attempts; the wait starts
// over from the shortest once a run has connected.
func (s *Supervisor) Run(ctx context.Context, run Run) {
	for attempt := 0; ; attempt++ {
		s.mu.Lock()
		s.connected, s.probe = false, nil
		s.mu.Unlock()
		err := run(ctx, s.Report)
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			err = errStopped
		}
		if s.wasConnected() {
			attempt = 0
		}
		s.Report(err)
		wait := s.backoff.Delay(attempt)
		s.log.Warn("chat platform unavailable; retrying", "err", err, "attempt", attempt+1, "retry_in", wait)
		if sleep(ctx, wait) != nil {
			return
		}
	}
}

func (s *Supervisor) wasConnected() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.connected
}

// Watch calls ping every interval until ctx ends and reports each result
// (to Supervisor.Probe, say), so that a platform's health is checked at
// most once an interval.
func Watch(ctx context.Context, every time.Duration, ping func(context.Context) error, report func(error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			err := ping(pctx)
			cancel()
			if ctx.Err() != nil {
				return
			}
			report(err)
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
