package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// Listening alerts and their outbox. At most one alert per brand and topic
// is active (a partial unique index); every change bumps version, so a
// change computed from a stale read fails with bot.EConflict instead of
// overwriting someone else's. message_channel and message_id belong to
// delivery and are never written by ApplyAlertChange.

const alertColumns = `id, brand, topic, status, severity, peak_severity, reasons, source, mentions, expected,
	multiple, negative, reach, press, peak_mentions, samples, first_window, last_window, opened_at,
	updated_at, resolved_at, acked_by, acked_at, snoozed_by, snoozed_until, crisis_requested,
	silent_since, resolve_reason, evidence, message_channel, message_id, version`

// Limits of ListListeningAlerts.
const (
	defaultAlertLimit = 50
	maxAlertLimit     = 500
)

// ActiveAlert returns the active alert of brand and topic.
func (s *Store) ActiveAlert(ctx context.Context, brand, topic string) (store.ListeningAlert, error) {
	a, err := s.oneAlert(ctx, `brand = ? AND topic = ? AND status = 'active'`, brand, topic)
	if errors.Is(err, ErrNoRows) {
		return a, bot.Errorf(bot.ENotFound, "no active alert for %s", groupName(brand, topic))
	}
	if err != nil {
		return a, fmt.Errorf("active alert of %s: %w", groupName(brand, topic), err)
	}
	return a, nil
}

// ListeningAlert returns alert id.
func (s *Store) ListeningAlert(ctx context.Context, id int64) (store.ListeningAlert, error) {
	a, err := s.oneAlert(ctx, `id = ?`, id)
	if errors.Is(err, ErrNoRows) {
		return a, bot.Errorf(bot.ENotFound, "no alert %s", bot.FormatID(id))
	}
	if err != nil {
		return a, fmt.Errorf("alert %d: %w", id, err)
	}
	return a, nil
}

func (s *Store) oneAlert(ctx context.Context, cond string, args ...any) (store.ListeningAlert, error) {
	var a store.ListeningAlert
	err := s.read(ctx, func(q *querier) error { // one read
		var err error
		a, err = scanAlert(q.queryRow(ctx, `SELECT `+alertColumns+` FROM listening_alerts WHERE `+cond, args...))
		return err
	})
	return a, err
}

// ListListeningAlerts lists active alerts, or all when all is true, newest
// first.
func (s *Store) ListListeningAlerts(ctx context.Context, all bool, limit int) ([]store.ListeningAlert, error) {
	if limit <= 0 {
		limit = defaultAlertLimit
	}
	w := where{}
	if !all {
		w.add("status = 'active'")
	}
	var out []store.ListeningAlert
	err := s.read(ctx, func(q *querier) error { // one read
		rows, err := q.query(ctx, `SELECT `+alertColumns+` FROM listening_alerts`+w.sql()+`
			ORDER BY opened_at DESC, id DESC LIMIT ?`, append(w.args, min(limit, maxAlertLimit))...)
		if err != nil {
			return err
		}
		out, err = collect(rows, func(r Rows) (store.ListeningAlert, error) { return scanAlert(r) })
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list listening alerts: %w", err)
	}
	return out, nil
}

// ApplyAlertChange marks ch.Points judged, writes ch.Alert (inserting it
// when its ID is 0, else only if its Version is still the stored one),
// queues ch.Deliveries and stores ch.Timers, all in one transaction.
func (s *Store) ApplyAlertChange(ctx context.Context, ch store.AlertChange) (store.ListeningAlert, error) {
	var out store.ListeningAlert
	err := s.inTx(ctx, func(q *querier) error {
		var err error
		out, err = applyAlertChange(ctx, q, ch)
		return err
	})
	if err != nil {
		return store.ListeningAlert{}, fmt.Errorf("apply alert change: %w", err)
	}
	return out, nil
}

// ApplyAlertChangeAndClaim applies ch and claims the alert's deliveries in
// one transaction.
func (s *Store) ApplyAlertChangeAndClaim(ctx context.Context, ch store.AlertChange, now time.Time, lease time.Duration) (a store.ListeningAlert, claimed []store.AlertDelivery, busy bool, err error) {
	if lease <= 0 {
		return a, nil, false, fmt.Errorf("apply alert change: lease must be positive, not %s", lease)
	}
	err = s.inTx(ctx, func(q *querier) error {
		if a, err = applyAlertChange(ctx, q, ch); err != nil || len(ch.Deliveries) == 0 {
			return err
		}
		claimed, busy, err = claimDeliveries(ctx, q, a.ID, now, lease)
		return err
	})
	if err != nil {
		return store.ListeningAlert{}, nil, false, fmt.Errorf("apply alert change: %w", err)
	}
	return a, claimed, busy, nil
}

func applyAlertChange(ctx context.Context, q *querier, ch store.AlertChange) (store.ListeningAlert, error) {
	if err := markEvaluated(ctx, q, ch.Points, ch.Revisions); err != nil {
		return store.ListeningAlert{}, err
	}
	if ch.Alert == nil {
		return store.ListeningAlert{}, nil
	}
	a, err := writeAlert(ctx, q, *ch.Alert)
	if err != nil {
		return store.ListeningAlert{}, err
	}
	for _, kind := range ch.Deliveries {
		if _, err := q.exec(ctx, `INSERT INTO listening_outbox (alert_id, kind, created_at) VALUES (?, ?, ?)`,
			a.ID, kind, queuedAt(ch)); err != nil {
			return store.ListeningAlert{}, fmt.Errorf("queue %s delivery: %w", kind, err)
		}
	}
	if ch.Timers != nil {
		if err := scheduleTimers(ctx, q, ch.Timers(a)...); err != nil {
			return store.ListeningAlert{}, err
		}
	}
	return a, nil
}

// queuedAt is when ch's deliveries are queued: ch.At, else the alert's
// last update.
func queuedAt(ch store.AlertChange) time.Time {
	if !ch.At.IsZero() {
		return ch.At
	}
	return ch.Alert.UpdatedAt
}

// writeAlert inserts a new alert or updates a current one.
func writeAlert(ctx context.Context, q *querier, a store.ListeningAlert) (store.ListeningAlert, error) {
	reasons, err := marshalList(a.Reasons)
	if err != nil {
		return a, err
	}
	samples, err := marshalList(a.Samples)
	if err != nil {
		return a, err
	}
	evidence, err := marshalEvidence(a.Evidence)
	if err != nil {
		return a, err
	}
	args := []any{a.Brand, a.Topic, a.Status, a.Severity, a.PeakSeverity, reasons, a.Source, a.Mentions, a.Expected,
		a.Multiple, a.Negative, a.Reach, a.Press, a.PeakMentions, samples, a.FirstWindow, a.LastWindow, a.OpenedAt,
		a.UpdatedAt, zeroAsNull(a.ResolvedAt), a.AckedBy, zeroAsNull(a.AckedAt), a.SnoozedBy, zeroAsNull(a.SnoozedUntil),
		a.CrisisRequested, zeroAsNull(a.SilentSince), a.ResolveReason, evidence}
	if a.ID == 0 {
		err = q.queryRow(ctx, `INSERT INTO listening_alerts (brand, topic, status, severity, peak_severity, reasons,
				source, mentions, expected, multiple, negative, reach, press, peak_mentions, samples, first_window,
				last_window, opened_at, updated_at, resolved_at, acked_by, acked_at, snoozed_by, snoozed_until,
				crisis_requested, silent_since, resolve_reason, evidence)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			RETURNING id, message_channel, message_id, version`, args...).Scan(&a.ID, &a.MessageChannel, &a.MessageID, &a.Version)
		if bot.IsCode(err, bot.EConflict) {
			return a, &bot.Error{Code: bot.EConflict, Message: "an alert for " + groupName(a.Brand, a.Topic) + " is active already", Err: err}
		}
		return a, err
	}
	err = q.queryRow(ctx, `UPDATE listening_alerts SET brand = ?, topic = ?, status = ?, severity = ?,
			peak_severity = ?, reasons = ?, source = ?, mentions = ?, expected = ?, multiple = ?, negative = ?,
			reach = ?, press = ?, peak_mentions = ?, samples = ?, first_window = ?, last_window = ?, opened_at = ?,
			updated_at = ?, resolved_at = ?, acked_by = ?, acked_at = ?, snoozed_by = ?, snoozed_until = ?,
			crisis_requested = ?, silent_since = ?, resolve_reason = ?, evidence = ?, version = version + 1
		WHERE id = ? AND version = ?
		RETURNING message_channel, message_id, version`,
		append(args, a.ID, a.Version)...).Scan(&a.MessageChannel, &a.MessageID, &a.Version)
	if errors.Is(err, ErrNoRows) {
		return a, bot.Errorf(bot.EConflict, "alert %s changed meanwhile", bot.FormatID(a.ID))
	}
	return a, err
}

func scanAlert(r Row) (store.ListeningAlert, error) {
	var (
		a                           store.ListeningAlert
		reasons, samples, evidence  string
		resolved, acked, snoozedTil sql.NullTime
		silent                      sql.NullTime
	)
	err := r.Scan(&a.ID, &a.Brand, &a.Topic, &a.Status, &a.Severity, &a.PeakSeverity, &reasons, &a.Source,
		&a.Mentions, &a.Expected, &a.Multiple, &a.Negative, &a.Reach, &a.Press, &a.PeakMentions, &samples,
		&a.FirstWindow, &a.LastWindow, &a.OpenedAt, &a.UpdatedAt, &resolved, &a.AckedBy, &acked, &a.SnoozedBy,
		&snoozedTil, &a.CrisisRequested, &silent, &a.ResolveReason, &evidence, &a.MessageChannel, &a.MessageID, &a.Version)
	if err != nil {
		return a, err
	}
	a.ResolvedAt, a.AckedAt, a.SnoozedUntil = nullTimeValue(resolved), nullTimeValue(acked), nullTimeValue(snoozedTil)
	a.SilentSince = nullTimeValue(silent)
	if err := json.Unmarshal([]byte(reasons), &a.Reasons); err != nil {
		return a, fmt.Errorf("reasons of alert %d: %w", a.ID, err)
	}
	if err := json.Unmarshal([]byte(samples), &a.Samples); err != nil {
		return a, fmt.Errorf("samples of alert %d: %w", a.ID, err)
	}
	if evidence != "{}" && evidence != "" {
		a.Evidence = new(store.Evidence)
		if err := json.Unmarshal([]byte(evidence), a.Evidence); err != nil {
			return a, fmt.Errorf("evidence of alert %d: %w", a.ID, err)
		}
	}
	return a, nil
}

func groupName(brand, topic string) string {
	if topic == "" {
		return brand
	}
	return brand + "/" + topic
}

// ClaimAlertDeliveries leases the alert's queued deliveries that nobody
// holds, oldest first. busy reports queued deliveries it could not take.
func (s *Store) ClaimAlertDeliveries(ctx context.Context, alertID int64, now time.Time, lease time.Duration) (claimed []store.AlertDelivery, busy bool, err error) {
	if lease <= 0 {
		return nil, false, fmt.Errorf("claim deliveries of alert %d: lease must be positive, not %s", alertID, lease)
	}
	err = s.inTx(ctx, func(q *querier) error {
		claimed, busy, err = claimDeliveries(ctx, q, alertID, now, lease)
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("claim deliveries of alert %d: %w", alertID, err)
	}
	return claimed, busy, nil
}

// claimDeliveries leases the alert's queued deliveries nobody holds, oldest
// first; busy reports queued ones held by someone else.
func claimDeliveries(ctx context.Context, q *querier, alertID int64, now time.Time, lease time.Duration) ([]store.AlertDelivery, bool, error) {
	claim := `UPDATE listening_outbox SET claimed_until = ?, attempts = attempts + 1
		WHERE id IN (
			SELECT id FROM listening_outbox
			WHERE alert_id = ? AND delivered_at IS NULL AND (claimed_until IS NULL OR claimed_until <= ?)
			ORDER BY id
			` + q.dialect.skipLocked() + `)
		RETURNING id, alert_id, kind, created_at, attempts, last_error`
	const queuedCount = `SELECT COUNT(*) FROM listening_outbox WHERE alert_id = ? AND delivered_at IS NULL`
	claimArgs, countArgs := []any{now.Add(lease), alertID, now}, []any{alertID}
	claimAndCount := claimThenCount
	if q.dialect == Postgres {
		claimAndCount = claimCounting
	}
	claimed, queued, err := claimAndCount(ctx, q, claim, claimArgs, queuedCount, countArgs)
	if err != nil {
		return nil, false, err
	}
	// RETURNING has no defined order; deliver the oldest first.
	slices.SortFunc(claimed, func(a, b store.AlertDelivery) int { return cmp.Compare(a.ID, b.ID) })
	return claimed, queued > len(claimed), nil
}

// claimThenCount claims, then counts the alert's queued deliveries.
func claimThenCount(ctx context.Context, q *querier, claim string, claimArgs []any, count string, countArgs []any) ([]store.AlertDelivery, int, error) {
	rows, err := q.query(ctx, claim, claimArgs...)
	if err != nil {
		return nil, 0, err
	}
	claimed, err := collect(rows, scanDelivery)
	if err != nil {
		return nil, 0, err
	}
	var queued int
	err = q.queryRow(ctx, count, countArgs...).Scan(&queued)
	return claimed, queued, err
}

// claimCounting claims and counts in one statement, one round trip inside
// an alert change's transaction: the count reads the statement's snapshot,
// which the claim (it sets no delivered_at) leaves as it was. A row with
// no claimed delivery carries the count when nothing was claimed.
func claimCounting(ctx context.Context, q *querier, claim string, claimArgs []any, count string, countArgs []any) ([]store.AlertDelivery, int, error) {
	rows, err := q.query(ctx, `WITH claimed AS (`+claim+`), queued AS (`+count+`)
		SELECT c.id, c.alert_id, c.kind, c.created_at, c.attempts, c.last_error, queued.count
		FROM queued LEFT JOIN claimed c ON TRUE`, append(slices.Clip(claimArgs), countArgs...)...)
	if err != nil {
		return nil, 0, err
	}
	var (
		claimed []store.AlertDelivery
		queued  int
	)
	err = scanEach(rows, func(r Rows) error {
		var (
			id, alert, attempts *int64
			kind, lastError     *string
			created             *time.Time
		)
		if err := r.Scan(&id, &alert, &kind, &created, &attempts, &lastError, &queued); err != nil {
			return err
		}
		if id != nil {
			claimed = append(claimed, store.AlertDelivery{ID: *id, AlertID: *alert, Kind: *kind, CreatedAt: *created,
				Attempts: int(*attempts), LastError: *lastError})
		}
		return nil
	})
	return claimed, queued, err
}

func scanDelivery(r Rows) (d store.AlertDelivery, err error) {
	err = r.Scan(&d.ID, &d.AlertID, &d.Kind, &d.CreatedAt, &d.Attempts, &d.LastError)
	return d, err
}

// CompleteAlertDeliveries marks deliveries done and records where the
// alert's card is when ref is set. It is one statement where it can be,
// committed on its own: a round trip on every card post or edit rather
// than a transaction's four (PostgreSQL runs a data-modifying WITH whether
// or not the statement reads it; SQLite has no such WITH, and its
// transactions cost no round trips).
func (s *Store) CompleteAlertDeliveries(ctx context.Context, alertID int64, ids []int64, ref bot.MessageRef, at time.Time) error {
	done := func(ids []int64) (string, []any) {
		return `UPDATE listening_outbox SET delivered_at = ?, claimed_until = NULL, last_error = ''
			WHERE alert_id = ? AND delivered_at IS NULL AND id IN (` + inList(len(ids)) + `)`,
			append([]any{at, alertID}, anys(ids)...)
	}
	const card = `UPDATE listening_alerts SET message_channel = ?, message_id = ? WHERE id = ?`
	cardArgs := []any{ref.Channel, ref.ID, alertID}
	oneChunk := len(ids) > 0 && len(ids) <= rowsPerStatement
	var err error
	switch {
	case len(ids) == 0 && ref.ID == "":
		return nil
	case oneChunk && (ref.ID == "" || s.dialect == Postgres):
		err = s.autocommit(ctx, func(q *querier) error {
			sql, args := done(ids)
			if ref.ID != "" {
				sql, args = `WITH done AS (`+sql+` RETURNING id) `+card, append(args, cardArgs...)
			}
			_, err := q.exec(ctx, sql, args...)
			return err
		})
	default:
		err = s.inTx(ctx, func(q *querier) error {
			for chunk := range slices.Chunk(ids, rowsPerStatement) {
				sql, args := done(chunk)
				if _, err := q.exec(ctx, sql, args...); err != nil {
					return err
				}
			}
			if ref.ID == "" {
				return nil
			}
			_, err := q.exec(ctx, card, cardArgs...)
			return err
		})
	}
	if err != nil {
		return fmt.Errorf("complete deliveries of alert %d: %w", alertID, err)
	}
	return nil
}

// FailAlertDeliveries returns claimed deliveries to the queue with reason.
func (s *Store) FailAlertDeliveries(ctx context.Context, ids []int64, reason string) error {
	err := s.inTx(ctx, func(q *querier) error {
		for _, id := range ids {
			if _, err := q.exec(ctx, `UPDATE listening_outbox SET claimed_until = NULL, last_error = ?
				WHERE id = ? AND delivered_at IS NULL`, reason, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("fail alert deliveries: %w", err)
	}
	return nil
}

// marshalEvidence stores an alert's evidence as JSON, none as "{}".
func marshalEvidence(e *store.Evidence) (string, error) {
	if e == nil {
		return "{}", nil
	}
	b, err := json.Marshal(e)
	if err != nil {
		return "", fmt.Errorf("marshal evidence: %w", err)
	}
	return string(b), nil
}
