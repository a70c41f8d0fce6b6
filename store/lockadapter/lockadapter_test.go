package lockadapter_test

import (
	"errors"
	"testing"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jonboulle/clockwork"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store/lockadapter"
	"github.com/interlock-coe/interlock/store/memory"
)

func TestLockerExcludesAndReleases(t *testing.T) {
	clock := clockwork.NewFakeClock()
	coord := memory.New(clock)
	replicaA := lockadapter.New(coord, time.Minute)
	replicaB := lockadapter.New(coord, time.Minute)
	ctx := t.Context()

	lock, err := replicaA.Lock(ctx, "fire-due-timers")
	if err != nil {
		t.Fatalf("first Lock: %v", err)
	}
	if _, err := replicaB.Lock(ctx, "fire-due-timers"); !errors.Is(err, bot.ErrLocked) {
		t.Fatalf("Lock held by another replica: got %v, want ErrLocked", err)
	}
	if _, err := replicaB.Lock(ctx, "another-job"); err != nil {
		t.Fatalf("Lock of another job: %v", err)
	}
	if err := lock.Unlock(ctx); err != nil {
		t.Fatalf("Unlock: %v", err)
	}
	if _, err := replicaB.Lock(ctx, "fire-due-timers"); err != nil {
		t.Fatalf("Lock after Unlock: %v", err)
	}
}

func TestLockerExpiresAfterTTL(t *testing.T) {
	clock := clockwork.NewFakeClock()
	coord := memory.New(clock)
	locker := lockadapter.New(coord, time.Minute)
	ctx := t.Context()

	stale, err := locker.Lock(ctx, "job")
	if err != nil {
		t.Fatalf("Lock: %v", err)
	}
	clock.Advance(time.Minute)
	fresh, err := locker.Lock(ctx, "job")
	if err != nil {
		t.Fatalf("Lock after the ttl: %v", err)
	}
	// The first holder's late Unlock must not free the second holder's lock.
	if err := stale.Unlock(ctx); err != nil {
		t.Fatalf("stale Unlock: %v", err)
	}
	if _, err := locker.Lock(ctx, "job"); !errors.Is(err, bot.ErrLocked) {
		t.Fatalf("Lock after a stale Unlock: got %v, want ErrLocked", err)
	}
	if err := fresh.Unlock(ctx); err != nil {
		t.Fatalf("Unlock: %v", err)
	}
}

func TestLockerKeepsJobLocksApart(t *testing.T) {
	coord := memory.New(clockwork.NewFakeClock())
	if _, err := lockadapter.New(coord, time.Minute).Lock(t.Context(), "job"); err != nil {
		t.Fatalf("Lock: %v", err)
	}
	if _, err := coord.Lock(t.Context(), "job", time.Minute); err != nil {
		t.Fatalf("a plain coordinator lock with the job's name: %v", err)
	}
}

func TestSchedulerAcceptsLocker(t *testing.T) {
	locker := lockadapter.New(memory.New(clockwork.NewFakeClock()), time.Minute)
	s, err := gocron.NewScheduler(gocron.WithDistributedLocker(locker))
	if err != nil {
		t.Fatalf("NewScheduler: %v", err)
	}
	if err := s.Shutdown(); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
}
