package bot

import (
	"context"
	"time"
)

// Timer is a durable timer: a unit of scheduled work stored with its due
// time, so that a restart loses none and several replicas fire it once.
type Timer struct {
	ID       int64
	Kind     string // handler name, e.g. "crisis.checkin"
	Key      string // unique while pending, e.g. "crisis:3:checkin"
	Due      time.Time
	Payload  string // JSON for the handler
	Attempts int
	// Lease is when the claim that handed the timer out ends (set by
	// ClaimDueTimers): completing checks it, so a late completion cannot
	// mark a newer run that another replica has claimed since.
	Lease time.Time
}

// TimerStore persists timers.
type TimerStore interface {
	// ScheduleTimer creates the pending timer with t.Key, or moves it to the
	// new due time and payload if one is pending already.
	ScheduleTimer(ctx context.Context, t Timer) error
	// CancelTimer removes the pending timer with key, if any.
	CancelTimer(ctx context.Context, key string) error
	// ClaimDueTimers leases up to limit pending timers due at or before now
	// for lease; a leased timer is not handed to anyone else until the lease
	// runs out, so a crashed holder's timers fire again later.
	ClaimDueTimers(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Timer, error)
	// CompleteTimers marks fired timers, each still under the claim that
	// handed it out (its Lease), as fired, all in one transaction.
	CompleteTimers(ctx context.Context, at time.Time, fired ...Timer) error
	// RetryTimer returns a claimed timer to pending, due at next.
	RetryTimer(ctx context.Context, id int64, next time.Time, reason string) error
	// NextTimerDue returns the earliest due time of a pending timer.
	NextTimerDue(ctx context.Context) (time.Time, bool, error)
	// PruneTimers deletes timers that fired before before, so the table
	// holds pending work and recent history only.
	PruneTimers(ctx context.Context, before time.Time) (int64, error)
}
