package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// TimerWatcher is an optional TimerStore ability: it tells a sleeping
// scheduler of timers scheduled after it went to sleep, by this process or
// another, so it wakes for one due before its planned wake-up.
type TimerWatcher interface {
	// WatchTimers calls wake with the due time of each timer scheduled from
	// now on, once committed, and with the zero time ("look again") whenever
	// watching (re)starts. It blocks until ctx ends.
	WatchTimers(ctx context.Context, wake func(due time.Time)) error
}

// Start runs the scheduler until Stop: it fires what is due, then sleeps
// until the next due time, a timer announced by the store's TimerWatcher
// (another replica's included) that is due sooner, or at most poll (the
// safety poll, for a missed signal). Claimed timers fire concurrently, at
// most SetWorkers at once.
func (s *Scheduler) Start(ctx context.Context, poll time.Duration) error {
	if poll <= 0 {
		return fmt.Errorf("start scheduler: the safety poll must be positive, not %s", poll)
	}
	loopCtx, stop := context.WithCancel(ctx)
	s.stop = stop
	w := newWaker()
	if tw, ok := s.store.(TimerWatcher); ok {
		s.inflight.Go(func() {
			if err := tw.WatchTimers(loopCtx, w.notify); err != nil {
				s.log.Warn("watching for new timers stopped; the safety poll goes on", "err", err)
			}
		})
	}
	// Handlers run under ctx, not loopCtx: Stop lets a firing timer finish.
	s.inflight.Go(func() { s.loop(loopCtx, ctx, w, poll) })
	return nil
}

// Stop ends the loop and waits for the timers it is firing.
func (s *Scheduler) Stop() error {
	if s.stop != nil {
		s.stop()
	}
	s.inflight.Wait()
	return nil
}

func (s *Scheduler) loop(ctx, fireCtx context.Context, w *waker, poll time.Duration) {
	for {
		w.awake()
		claimed, err := s.dispatchDue(ctx, fireCtx)
		if err != nil && !errors.Is(err, context.Canceled) {
			s.log.Warn("firing due timers failed", "err", err)
		}
		now := s.clock.Now()
		until := w.sleep(s.nextWake(ctx, now, poll))
		wait := until.Sub(now)
		if claimed == 0 {
			// A due timer that could not be claimed is being claimed by
			// another replica this instant: do not spin on it.
			wait = max(wait, 2*time.Millisecond)
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		case <-w.ch:
			timer.Stop()
		}
	}
}

// nextWake is when the loop must look again: the next due time (or lease
// end), but no later than the safety poll.
func (s *Scheduler) nextWake(ctx context.Context, now time.Time, poll time.Duration) time.Time {
	until := now.Add(poll)
	next, ok, err := s.store.NextTimerDue(ctx)
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			s.log.Warn("reading the next timer's due time failed", "err", err)
		}
		return until
	}
	if ok && next.Before(until) {
		return next
	}
	return until
}

// dispatchDue claims due timers while workers are free and hands each to a
// worker; it returns how many it claimed without waiting for them to fire.
func (s *Scheduler) dispatchDue(ctx, fireCtx context.Context) (int, error) {
	s.fireMu.Lock()
	defer s.fireMu.Unlock()
	claimed := 0
	for {
		n, err := s.acquire(ctx, s.batch)
		if err != nil {
			return claimed, err
		}
		now := s.clock.Now()
		timers, err := s.store.ClaimDueTimers(ctx, now, s.lease, n)
		s.release(n - len(timers))
		if err != nil {
			return claimed, fmt.Errorf("claim due timers: %w", err)
		}
		for _, t := range timers {
			s.inflight.Go(func() {
				defer s.release(1)
				s.fire(fireCtx, t, now)
			})
		}
		claimed += len(timers)
		if len(timers) < n {
			s.prune(ctx, now)
			return claimed, nil
		}
	}
}

// acquire waits for one free worker slot and takes up to limit.
func (s *Scheduler) acquire(ctx context.Context, limit int) (int, error) {
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	n := 1
	for n < limit {
		select {
		case s.slots <- struct{}{}:
			n++
		default:
			return n, nil
		}
	}
	return n, nil
}

func (s *Scheduler) release(n int) {
	for range n {
		<-s.slots
	}
}

// waker wakes the sleeping loop for a timer due before it planned to wake.
type waker struct {
	mu    sync.Mutex
	until time.Time // when the loop plans to wake; zero while it is awake
	early time.Time // the earliest due time told while awake
	told  bool      // whether early holds one
	ch    chan struct{}
}

func newWaker() *waker { return &waker{ch: make(chan struct{}, 1)} }

// notify is the TimerWatcher callback.
func (w *waker) notify(due time.Time) {
	w.mu.Lock()
	if w.until.IsZero() {
		// Awake: the loop may have read the next due time already, so
		// keep this one for its next sleep.
		if !w.told || due.Before(w.early) {
			w.early, w.told = due, true
		}
		w.mu.Unlock()
		return
	}
	poke := due.Before(w.until)
	w.mu.Unlock()
	if poke {
		select {
		case w.ch <- struct{}{}:
		default:
		}
	}
}

// awake marks the loop awake and forgets an old wake-up.
func (w *waker) awake() {
	w.mu.Lock()
	w.until = time.Time{}
	w.mu.Unlock()
	select {
	case <-w.ch:
	default:
	}
}

// sleep marks the loop asleep until until, or until a timer told while it
// was awake falls due if that is sooner, and returns the time chosen.
func (w *waker) sleep(until time.Time) time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.told && w.early.Before(until) {
		until = w.early
	}
	w.told = false
	if until.IsZero() {
		until = time.Unix(0, 1) // a time long past: wake now, still "asleep"
	}
	w.until = until
	return until
}
