package sqlstore

import (
	"context"
	"strconv"
	"sync"
	"time"
)

// timerChannel is the PostgreSQL notification channel on which every
// transaction that schedules or retries timers announces the earliest due
// time among them (Unix microseconds), so that sleeping schedulers of every
// replica wake for it.
const timerChannel = "interlock_timers"

// Listener is a Driver ability: PostgreSQL's LISTEN on a connection of its
// own. A driver without it (SQLite, one process) gets the in-process signal.
type Listener interface {
	// Listen listens on channel, calls ready once listening has begun, then
	// f with each notification's payload, until ctx ends (nil) or the
	// connection fails (the error).
	Listen(ctx context.Context, channel string, ready func(), f func(payload string)) error
}

// timerScheduled records, inside a transaction, that a timer due at due was
// scheduled; inTx announces the earliest one when the transaction commits.
func (q *querier) timerScheduled(due time.Time) {
	q.wake = soonestStored(q.wake, due)
}

// timerAnnounced records that the transaction's statements queued the
// notification for a timer due at due already.
func (q *querier) timerAnnounced(due time.Time) {
	q.announced = soonestStored(q.announced, due)
}

// soonestStored is the earlier of known (zero: none) and due, as stored.
func soonestStored(known, due time.Time) time.Time {
	due = due.UTC().Truncate(time.Microsecond)
	if known.IsZero() || due.Before(known) {
		return due
	}
	return known
}

// wakePayload is a notification's payload: the due time in Unix
// microseconds.
func wakePayload(due time.Time) string {
	return strconv.FormatInt(due.UTC().Truncate(time.Microsecond).UnixMicro(), 10)
}

// announceTimers queues the PostgreSQL notification for the timers q
// scheduled, unless a statement queued it already; NOTIFY is transactional,
// so it is delivered only if q commits.
func (q *querier) announceTimers(ctx context.Context) error {
	if q.wake.IsZero() || q.dialect != Postgres || (!q.announced.IsZero() && !q.wake.Before(q.announced)) {
		return nil
	}
	_, err := q.exec(ctx, `SELECT pg_notify(?, ?)`, timerChannel, wakePayload(q.wake))
	return err
}

// WatchTimers calls wake with the due time of each timer scheduled or
// retried from now on, by this process or (on PostgreSQL) any other, once
// its transaction has committed. It calls wake with the zero time whenever
// watching (re)starts, since timers scheduled meanwhile went unannounced.
// It blocks until ctx ends; a lost connection is retried with backoff.
func (s *Store) WatchTimers(ctx context.Context, wake func(due time.Time)) error {
	l, ok := s.db.(Listener)
	if !ok {
		defer s.local.subscribe(wake)()
		wake(time.Time{})
		<-ctx.Done()
		return nil
	}
	delay := time.Second
	for {
		err := l.Listen(ctx, timerChannel, func() {
			delay = time.Second
			wake(time.Time{})
		}, func(payload string) { wake(parseDue(payload)) })
		if ctx.Err() != nil {
			return nil
		}
		s.log.Warn("listening for timers failed; the safety poll fires them meanwhile", "err", s.db.Classify(err), "retry_in", delay)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(delay):
		}
		delay = min(2*delay, 30*time.Second)
	}
}

// parseDue reads a notification's due time; anything unreadable is the zero
// time, which makes the scheduler look again.
func parseDue(payload string) time.Time {
	us, err := strconv.ParseInt(payload, 10, 64)
	if err != nil {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

// localSignal tells this process's watchers of timers committed through
// this store: the signal of a store without a Listener.
type localSignal struct {
	mu       sync.Mutex
	next     int
	watchers map[int]func(time.Time)
}

// subscribe adds f and returns the function that removes it.
func (l *localSignal) subscribe(f func(time.Time)) func() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.watchers == nil {
		l.watchers = map[int]func(time.Time){}
	}
	id := l.next
	l.next++
	l.watchers[id] = f
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		delete(l.watchers, id)
	}
}

// signal tells every watcher of a timer due at due.
func (l *localSignal) signal(due time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, f := range l.watchers {
		f(due)
	}
}
