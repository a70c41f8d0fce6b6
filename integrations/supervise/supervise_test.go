package supervise_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/integrations/supervise"
)

func TestBackoffDelay(t *testing.T) {
	b := supervise.Backoff{Initial: 100 * time.Millisecond, Max: time.Second}
	tests := []struct {
		attempt  int
		min, max time.Duration
	}{
		{0, 50 * time.Millisecond, 100 * time.Millisecond},
		{1, 100 * time.Millisecond, 200 * time.Millisecond},
		{3, 400 * time.Millisecond, 800 * time.Millisecond},
		{4, 500 * time.Millisecond, time.Second}, // capped
		{80, 500 * time.Millisecond, time.Second},
	}
	for _, tt := range tests {
		for range 50 {
			if d := b.Delay(tt.attempt); d < tt.min || d > tt.max {
				t.Fatalf("Delay(%d) = %s, want within [%s, %s]", tt.attempt, d, tt.min, tt.max)
			}
		}
	}
	if d := (supervise.Backoff{}).Delay(100); d < time.Minute || d > 2*time.Minute {
		t.Errorf("default cap: Delay(100) = %s, want within [1m, 2m]", d)
	}
}

// TestSupervisorRetriesUntilConnected is a platform that refuses the first
// attempts: the supervisor keeps trying, reports why meanwhile, and is
// healthy once a run connects, without anyone restarting it.
func TestSupervisorRetriesUntilConnected(t *testing.T) {
	s := supervise.New("chat", supervise.Backoff{Initial: time.Millisecond, Max: 4 * time.Millisecond}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := s.Err(t.Context()); !errors.Is(err, supervise.ErrConnecting) {
		t.Fatalf("before the first run: %v, want ErrConnecting", err)
	}
	refused := errors.New("connection refused")
	attempts := make(chan int, 16)
	connected := make(chan struct{})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	n := 0
	go func() {
		defer close(done)
		s.Run(ctx, func(ctx context.Context, report func(error)) error {
			n++
			attempts <- n
			if n <= 5 {
				return refused
			}
			report(nil)
			close(connected)
			<-ctx.Done()
			return nil
		})
	}()
	for want := 1; want <= 5; want++ {
		<-attempts
	}
	<-attempts
	<-connected
	if err := s.Err(t.Context()); err != nil {
		t.Fatalf("after connecting: %v", err)
	}
	cancel()
	<-done
}

func TestSupervisorReportsFailures(t *testing.T) {
	s := supervise.New("chat", supervise.Backoff{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.Report(nil)
	gone := errors.New("gateway closed")
	s.Report(gone)
	if err := s.Err(t.Context()); !errors.Is(err, gone) {
		t.Fatalf("Err = %v, want %v", err, gone)
	}
}

// TestProbeAndConnection: a failed health check makes a connected platform
// unhealthy; a dropped connection outranks a passing check.
func TestProbeAndConnection(t *testing.T) {
	s := supervise.New("chat", supervise.Backoff{}, slog.New(slog.DiscardHandler))
	s.Report(nil)
	revoked := errors.New("invalid_auth")
	s.Probe(revoked)
	if err := s.Err(t.Context()); !errors.Is(err, revoked) {
		t.Fatalf("after a failed check: %v", err)
	}
	s.Probe(nil)
	if err := s.Err(t.Context()); err != nil {
		t.Fatalf("after a passing check: %v", err)
	}
	dropped := errors.New("gateway closed")
	s.Report(dropped)
	s.Probe(nil)
	if err := s.Err(t.Context()); !errors.Is(err, dropped) {
		t.Fatalf("connection dropped, check passing: %v", err)
	}
}
