package sqlstore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// A timer is pending while fired_at is NULL and claimed while claimed_until
// is set: ClaimDueTimers sets it, RetryTimer and a rescheduling ScheduleTimer
// clear it. CompleteTimers and RetryTimer only touch a timer that is still
// claimed, so a timer rescheduled while its handler runs (a check-in that
// books the next one under the same key) keeps its new due time.

// ScheduleTimer creates the pending timer with t.Key, or moves the pending
// one to t's due time, kind and payload, as a fresh timer: attempts, claim
// and last error are reset.
func (s *Store) ScheduleTimer(ctx context.Context, t bot.Timer) error {
	if err := checkTimer(t); err != nil {
		return err
	}
	if err := s.inTx(ctx, func(q *querier) error { return scheduleTimers(ctx, q, t) }); err != nil {
		return fmt.Errorf("store timer: %w", err)
	}
	return nil
}

// scheduleTimers does what ScheduleTimer does for each of ts, inside the
// caller's transaction, so that a timer is armed exactly when the change it
// belongs to commits. It is the one place that writes pending timers. The
// timers go in one statement (per chunk): an alert change arms two, and
// each statement is a round trip inside the change's transaction. A key
// given twice keeps its last timer, as two statements would.
func scheduleTimers(ctx context.Context, q *querier, ts ...bot.Timer) error {
	for _, t := range ts {
		if err := checkTimer(t); err != nil {
			return err
		}
	}
	ts = lastPerKey(ts)
	for chunk := range slices.Chunk(ts, rowsPerStatement) {
		args := make([]any, 0, 4*len(chunk)+2)
		var soonest time.Time
		for _, t := range chunk {
			args = append(args, t.Kind, t.Key, t.Due, t.Payload)
			soonest = soonestStored(soonest, t.Due)
		}
		insert := `INSERT INTO timers (kind, key, due_at, payload) VALUES ` + placeholders(len(chunk), 4) + `
			ON CONFLICT (key) WHERE fired_at IS NULL DO UPDATE SET
				kind = excluded.kind, due_at = excluded.due_at, payload = excluded.payload,
				attempts = 0, claimed_until = NULL, last_error = ''`
		sql, announced := insert, false
		if q.dialect == Postgres {
			// The announcement rides with the insert (a data-modifying WITH
			// runs whether or not it is read) instead of a statement of its
			// own at commit; NOTIFY is delivered at commit either way.
			sql, announced = `WITH armed AS (`+insert+`) SELECT pg_notify(?, ?)`, true
			args = append(args, timerChannel, wakePayload(soonest))
		}
		if _, err := q.exec(ctx, sql, args...); err != nil {
			return fmt.Errorf("schedule timer %s: %w", timerKeys(chunk), err)
		}
		q.timerScheduled(soonest)
		if announced {
			q.timerAnnounced(soonest)
		}
	}
	return nil
}

// lastPerKey is ts with each key once, at its last timer's place: one
// statement cannot upsert a row twice.
func lastPerKey(ts []bot.Timer) []bot.Timer {
	last := make(map[string]int, len(ts))
	for i, t := range ts {
		last[t.Key] = i
	}
	if len(last) == len(ts) {
		return ts
	}
	out := make([]bot.Timer, 0, len(last))
	for i, t := range ts {
		if last[t.Key] == i {
			out = append(out, t)
		}
	}
	return out
}

// timerKeys names timers in an error: the key, or the first and a count.
func timerKeys(ts []bot.Timer) string {
	if len(ts) == 1 {
		return ts[0].Key
	}
	return fmt.Sprintf("%s and %d more", ts[0].Key, len(ts)-1)
}

// checkTimer refuses a timer that could never fire or be found again.
func checkTimer(t bot.Timer) error {
	if t.Key == "" || t.Kind == "" || t.Due.IsZero() {
		return fmt.Errorf("schedule timer %q of kind %q: key, kind and due time are required", t.Key, t.Kind)
	}
	return nil
}

// CancelTimer deletes the pending timer with key, if any.
func (s *Store) CancelTimer(ctx context.Context, key string) error {
	err := s.inTx(ctx, func(q *querier) error {
		_, err := q.exec(ctx, `DELETE FROM timers WHERE key = ? AND fired_at IS NULL`, key)
		return err
	})
	if err != nil {
		return fmt.Errorf("cancel timer %s: %w", key, err)
	}
	return nil
}

// ClaimDueTimers leases up to limit pending timers due at or before now,
// earliest first, until now+lease, and counts the attempt. Timers under
// another unexpired lease are skipped; on PostgreSQL so are rows another
// transaction is claiming at this moment, so concurrent claimers never
// share a timer.
func (s *Store) ClaimDueTimers(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]bot.Timer, error) {
	if limit <= 0 {
		return nil, nil
	}
	if lease <= 0 {
		return nil, fmt.Errorf("claim due timers: lease must be positive, not %s", lease)
	}
	var out []bot.Timer
	until := now.Add(lease)
	err := s.autocommit(ctx, func(q *querier) error { // one statement
		rows, err := q.query(ctx, `UPDATE timers SET claimed_until = ?, attempts = attempts + 1
			WHERE id IN (
				SELECT id FROM timers
				WHERE fired_at IS NULL AND due_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)
				ORDER BY due_at, id
				LIMIT ?
				`+q.dialect.skipLocked()+`)
			RETURNING id, kind, key, due_at, payload, attempts`,
			until, now, now, limit)
		if err != nil {
			return err
		}
		out, err = collect(rows, scanTimer)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim due timers: %w", err)
	}
	for i := range out {
		out[i].Lease = until
	}
	// RETURNING has no defined order; fire the earliest first.
	slices.SortFunc(out, func(a, b bot.Timer) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

// CompleteTimers marks the fired timers as fired at at, in one statement
// per completeChunk of them, all in one transaction: the scheduler
// completes a burst's timers together. It leaves alone a timer no longer
// under the claim that handed it out (its Lease): rescheduled, cancelled,
// fired, or rescheduled and claimed again by another replica meanwhile.
func (s *Store) CompleteTimers(ctx context.Context, at time.Time, fired ...bot.Timer) error {
	if len(fired) == 0 {
		return nil
	}
	run := s.autocommit // one statement
	if len(fired) > completeChunk {
		run = s.inTx
	}
	err := run(ctx, func(q *querier) error {
		for chunk := range slices.Chunk(fired, completeChunk) {
			args := []any{at}
			for _, t := range chunk {
				args = append(args, t.ID, t.Lease)
			}
			_, err := q.exec(ctx, `UPDATE timers SET fired_at = ?
				WHERE fired_at IS NULL AND (`+strings.TrimSuffix(strings.Repeat("(id = ? AND claimed_until = ?) OR ", len(chunk)), " OR ")+`)`, args...)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("complete %d timers: %w", len(fired), err)
	}
	return nil
}

// completeChunk bounds the ids of one completing statement, well within
// either database's limit on parameters.
const completeChunk = 500

// RetryTimer returns the claimed timer id to pending, due at next, keeping
// reason as its last error. It does nothing when the timer is no longer
// claimed.
func (s *Store) RetryTimer(ctx context.Context, id int64, next time.Time, reason string) error {
	err := s.inTx(ctx, func(q *querier) error {
		n, err := q.exec(ctx, `UPDATE timers SET due_at = ?, claimed_until = NULL, last_error = ?
			WHERE id = ? AND fired_at IS NULL AND claimed_until IS NOT NULL`, next, reason, id)
		if n > 0 {
			q.timerScheduled(next)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("retry timer %d: %w", id, err)
	}
	return nil
}

// NextTimerDue returns the earliest time at which a pending timer can be
// claimed: its due time, or for a timer under lease the end of the lease.
// ok is false when no timer is pending. The scheduler asks before every
// sleep, so each half is one step down an index, never a scan of the
// pending timers.
func (s *Store) NextTimerDue(ctx context.Context) (next time.Time, ok bool, err error) {
	err = s.autocommit(ctx, func(q *querier) error { // two independent reads
		for _, query := range []string{
			`SELECT due_at FROM timers
				WHERE fired_at IS NULL AND (claimed_until IS NULL OR claimed_until <= due_at)
				ORDER BY due_at, id LIMIT 1`,
			`SELECT claimed_until FROM timers
				WHERE fired_at IS NULL AND claimed_until IS NOT NULL AND claimed_until > due_at
				ORDER BY claimed_until LIMIT 1`,
		} {
			var at time.Time
			err := q.queryRow(ctx, query).Scan(&at)
			if errors.Is(err, ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			if !ok || at.Before(next) {
				next, ok = at, true
			}
		}
		return nil
	})
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next timer due: %w", err)
	}
	return next, ok, nil
}

// PruneTimers deletes the timers that fired before before and returns how
// many went.
func (s *Store) PruneTimers(ctx context.Context, before time.Time) (n int64, err error) {
	err = s.inTx(ctx, func(q *querier) error {
		n, err = q.exec(ctx, `DELETE FROM timers WHERE fired_at IS NOT NULL AND fired_at < ?`, before)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune timers: %w", err)
	}
	return n, nil
}

func scanTimer(r Rows) (t bot.Timer, err error) {
	err = r.Scan(&t.ID, &t.Kind, &t.Key, &t.Due, &t.Payload, &t.Attempts)
	return t, err
}
