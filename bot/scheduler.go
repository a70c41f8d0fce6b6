package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"
)

// TimerHandler does the work of one fired timer. Returning an error retries
// the timer later; a handler that wants to repeat schedules its next timer
// itself.
type TimerHandler func(ctx context.Context, t Timer) error

// Scheduler fires durable timers. Timers live in the database, not in
// memory, so a restart loses none; several replicas fire each timer once
// because the store's claim, with its lease, is the arbiter. Started, it
// sleeps until the next due time (see loop.go).
type Scheduler struct {
	store    TimerStore
	clock    Clock
	log      *slog.Logger
	mu       sync.Mutex
	handlers map[string]TimerHandler
	lease    time.Duration
	batch    int
	fireMu   sync.Mutex
	// slots bounds the timers fired at once by the running loop: a
	// timer is claimed only when a slot is free, so none waits out its
	// lease in a queue.
	slots chan struct{}
	done  *completer
	// stop ends the loop Start began; inflight counts it, its watcher and
	// the timers it is firing.
	stop     context.CancelFunc
	inflight sync.WaitGroup
	lag      func(kind string, lag time.Duration)
	// firing holds, per key of a timer being fired, what its handler asked
	// for that same key: a timer that re-arms itself must not move the row
	// that is about to be marked fired.
	firing map[string]*rearm
	// pruned is when fired timers were last deleted.
	pruned time.Time
}

// keepFired is how long fired timers stay in the store, for inspection.
const keepFired = 7 * 24 * time.Hour

type rearm struct {
	timer *Timer // schedule this after the firing completes; nil = nothing
}

// NewScheduler returns a scheduler over store.
func NewScheduler(store TimerStore, clock Clock, log *slog.Logger) *Scheduler {
	s := &Scheduler{
		store: store, clock: clock, log: log,
		handlers: map[string]TimerHandler{},
		firing:   map[string]*rearm{},
		lease:    2 * time.Minute,
		batch:    100,
		slots:    make(chan struct{}, defaultWorkers),
	}
	s.done = &completer{store: store, clock: clock, log: log, spawn: s.inflight.Go}
	return s
}

// defaultWorkers is how many timers the running loop fires at once. A
// handler mostly waits (on the chat platform, on the database, on its
// group's shared statement), so a burst needs many at once: with 16, a
// burst of 3,000 reminders on two PostgreSQL replicas took 1.2 s, with 64
// 0.6 s, at the same memory.
const defaultWorkers = 64

// SetWorkers sets how many timers the running loop fires at once (64 by
// default). Call it before Start.
func (s *Scheduler) SetWorkers(n int) { s.slots = make(chan struct{}, max(n, 1)) }

// SetLease sets how long a claimed timer is kept from other replicas (2
// minutes by default): a replica that dies while firing frees its timers
// when the lease ends. It must exceed a handler's longest run. Call it
// before Start.
func (s *Scheduler) SetLease(d time.Duration) { s.lease = d }

// OnFire registers a callback told each timer's lag (fire time minus due
// time), for metrics.
func (s *Scheduler) OnFire(f func(kind string, lag time.Duration)) { s.lag = f }

// Handle registers the handler for a timer kind.
func (s *Scheduler) Handle(kind string, h TimerHandler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers[kind] = h
}

// Schedule stores a timer of kind under key, due at due, with payload
// marshalled as JSON. A pending timer with the same key is moved.
func (s *Scheduler) Schedule(ctx context.Context, kind, key string, due time.Time, payload any) error {
	body, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("marshal timer %s payload: %w", key, err)
	}
	t := Timer{Kind: kind, Key: key, Due: due, Payload: string(body)}
	if s.deferFiring(key, &t) {
		return nil
	}
	if err := s.store.ScheduleTimer(ctx, t); err != nil {
		return fmt.Errorf("schedule timer %s: %w", key, err)
	}
	return nil
}

// deferFiring records t (or a cancellation when t is nil) for a key whose
// timer is firing right now, and reports whether it did.
func (s *Scheduler) deferFiring(key string, t *Timer) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.firing[key]
	if ok {
		r.timer = t
	}
	return ok
}

// Cancel removes the pending timer with key.
func (s *Scheduler) Cancel(ctx context.Context, key string) error {
	if s.deferFiring(key, nil) {
		return nil
	}
	if err := s.store.CancelTimer(ctx, key); err != nil {
		return fmt.Errorf("cancel timer %s: %w", key, err)
	}
	return nil
}

// FireDue fires every timer due now, batch after batch, one after another
// in due order, and returns how many fired once they all have: a
// deterministic step for the shell's :advance and for tests. Calls are
// serialised within a process; across processes the store's claim decides.
func (s *Scheduler) FireDue(ctx context.Context) (int, error) {
	s.fireMu.Lock()
	defer s.fireMu.Unlock()
	fired := 0
	for {
		now := s.clock.Now()
		timers, err := s.store.ClaimDueTimers(ctx, now, s.lease, s.batch)
		if err != nil {
			return fired, fmt.Errorf("claim due timers: %w", err)
		}
		for _, t := range timers {
			<-s.fire(ctx, t, now) // marked before the next, for a deterministic step
			fired++
		}
		if len(timers) < s.batch {
			s.prune(ctx, now)
			return fired, nil
		}
	}
}

// fire runs t's handler, then hands t to be marked fired or reschedules
// it after a failure. The channel returned is closed once that is done and
// what the handler asked for its own key is applied: until then the key
// stays in s.firing, so the row about to be marked is never moved.
func (s *Scheduler) fire(ctx context.Context, t Timer, now time.Time) <-chan struct{} {
	log := s.log.With("timer", t.Key, "kind", t.Kind, "attempt", t.Attempts)
	if s.lag != nil {
		s.lag(t.Kind, now.Sub(t.Due))
	}
	s.mu.Lock()
	h, ok := s.handlers[t.Kind]
	s.firing[t.Key] = &rearm{}
	s.mu.Unlock()
	var err error
	if !ok {
		err = fmt.Errorf("no handler for timer kind %q", t.Kind)
	} else {
		err = runTimer(ctx, h, t)
	}
	if err == nil {
		return s.done.complete(ctx, t, func() { s.rearm(ctx, log, t.Key) })
	}
	// Back off with the attempt count so a broken dependency is not hammered,
	// but keep retrying: a timer is never dropped.
	delay := min(time.Duration(1<<min(t.Attempts, 8))*5*time.Second, 30*time.Minute)
	log.Warn("timer failed; will retry", "err", err, "retry_in", delay)
	if rerr := s.store.RetryTimer(ctx, t.ID, s.clock.Now().Add(delay), err.Error()); rerr != nil {
		log.Error("cannot reschedule failed timer; it will fire again after its lease", "err", rerr)
	}
	s.rearm(ctx, log, t.Key)
	done := make(chan struct{})
	close(done)
	return done
}

// prune deletes long-fired timers about once an hour.
func (s *Scheduler) prune(ctx context.Context, now time.Time) {
	if now.Sub(s.pruned) < time.Hour {
		return
	}
	s.pruned = now
	if _, err := s.store.PruneTimers(ctx, now.Add(-keepFired)); err != nil {
		s.log.Warn("pruning fired timers failed", "err", err)
	}
}

// rearm applies what a handler scheduled for its own key while firing,
// once the fired timer is marked or rescheduled.
func (s *Scheduler) rearm(ctx context.Context, log *slog.Logger, key string) {
	s.mu.Lock()
	r := s.firing[key]
	delete(s.firing, key)
	s.mu.Unlock()
	if r == nil || r.timer == nil {
		return
	}
	if err := s.store.ScheduleTimer(ctx, *r.timer); err != nil {
		log.Error("cannot re-arm timer", "err", err)
	}
}

func runTimer(ctx context.Context, h TimerHandler, t Timer) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in timer %s: %v\n%s", t.Key, p, debug.Stack())
		}
	}()
	return h(ctx, t)
}
