package main

import (
	"context"
	"log/slog"
	"sync/atomic"

	"github.com/go-co-op/gocron/v2"

	"github.com/interlock-coe/interlock/bot"
)

// degradableLocker is the timer job's lock across replicas. The lock only
// keeps replicas from all polling at once; each timer still fires once
// because the store claims it with a lease. So when the coordinator cannot
// be reached (Redis down) the job runs without the lock instead of being
// skipped, which would leave every timer of every replica unfired.
type degradableLocker struct {
	inner    gocron.Locker
	log      *slog.Logger
	degraded atomic.Bool
}

func newDegradableLocker(inner gocron.Locker, log *slog.Logger) *degradableLocker {
	return &degradableLocker{inner: inner, log: log}
}

// Lock takes the inner lock; another holder still makes gocron skip this
// run, but an unreachable coordinator gives a lock that holds nothing.
func (l *degradableLocker) Lock(ctx context.Context, key string) (gocron.Lock, error) {
	lock, err := l.inner.Lock(ctx, key)
	switch {
	case err == nil:
		if l.degraded.Swap(false) {
			l.log.Info("coordination is back: timer jobs take their lock again", "job", key)
		}
		return lock, nil
	case bot.IsCode(err, bot.EUnavailable):
		if !l.degraded.Swap(true) {
			l.log.Warn("coordination unavailable: timer jobs run without their lock; the store's claims keep timers firing once", "job", key, "err", err)
		}
		return noLock{}, nil
	}
	return nil, err
}

// noLock is the lock of a job run while coordination is down.
type noLock struct{}

func (noLock) Unlock(context.Context) error { return nil }
