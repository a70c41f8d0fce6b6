package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"

	"github.com/go-co-op/gocron/v2"

	"github.com/interlock-coe/interlock/bot"
)

// stubLocker answers every Lock with err.
type stubLocker struct{ err error }

func (s stubLocker) Lock(context.Context, string) (gocron.Lock, error) {
	if s.err != nil {
		return nil, s.err
	}
	return noLock{}, nil
}

func TestDegradableLocker(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		runs bool // the job runs (gets a lock) rather than being skipped
	}{
		{"lock taken", nil, true},
		{"held by another replica", fmt.Errorf("lock job: %w", bot.ErrLocked), false},
		{"coordination down", fmt.Errorf("lock job: %w", bot.Unavailable("coordination", errors.New("connection refused"))), true},
		{"other failure", errors.New("wrong type"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newDegradableLocker(stubLocker{tc.err}, slog.New(slog.DiscardHandler))
			lock, err := l.Lock(t.Context(), "job")
			switch {
			case tc.runs && (err != nil || lock == nil):
				t.Fatalf("Lock = %v, %v; want a lock so that the job runs", lock, err)
			case !tc.runs && !errors.Is(err, tc.err):
				t.Fatalf("Lock error = %v, want %v (the run is skipped)", err, tc.err)
			}
		})
	}
}
