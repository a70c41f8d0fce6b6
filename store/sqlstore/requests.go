package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// requestColumns are the columns of service_requests in scanRequest's order.
const requestColumns = `id, service, details, fields, requested_by, requested_at, week, queued, due_at, status,
	claimed_by, claimed_at, note, note_at, done_at, link, reason, reminded_at, late_at`

// Limits of ListRequests.
const (
	defaultRequestLimit = 50
	maxRequestLimit     = 10000
)

// PlaceRequest takes a slot in the first candidate week with room and
// stores the request there, with its timers, in one transaction.
func (s *Store) PlaceRequest(ctx context.Context, candidates []store.ServiceRequest, capacity int, arm func(store.ServiceRequest) []bot.Timer) (store.ServiceRequest, error) {
	if len(candidates) == 0 || capacity < 1 {
		return store.ServiceRequest{}, fmt.Errorf("place request: %d candidates, capacity %d", len(candidates), capacity)
	}
	var out store.ServiceRequest
	err := s.inTx(ctx, func(q *querier) error {
		for _, r := range candidates {
			if err := validRequest(r); err != nil {
				return err
			}
			ok, err := takeSlot(ctx, q, r.Service, r.Week, capacity)
			if err != nil || !ok {
				if err != nil {
					return err
				}
				continue
			}
			if out, err = insertRequest(ctx, q, r); err != nil || arm == nil {
				return err
			}
			return scheduleTimers(ctx, q, arm(out)...)
		}
		last := candidates[len(candidates)-1]
		return bot.Errorf(bot.EConflict, "%s is fully booked up to the week of %s; try again later", last.Service, last.Week)
	})
	if err != nil {
		return store.ServiceRequest{}, fmt.Errorf("place request for %s: %w", candidates[0].Service, err)
	}
	return out, nil
}

func validRequest(r store.ServiceRequest) error {
	switch {
	case r.Service == "" || r.Week == "":
		return fmt.Errorf("request has no service or week")
	case r.RequestedBy == "" || r.RequestedAt.IsZero() || r.DueAt.IsZero():
		return fmt.Errorf("request for %s has no requester, time or due date", r.Service)
	case r.Status == "":
		return fmt.Errorf("request for %s has no status", r.Service)
	}
	return nil
}

// takeSlot counts one more request in service's week, unless the week
// holds capacity already. The conditional upsert is atomic on both
// databases, so two replicas never both take the last slot.
func takeSlot(ctx context.Context, q *querier, service, week string, capacity int) (bool, error) {
	var taken int
	err := q.queryRow(ctx, `INSERT INTO service_weeks (service, week, taken) VALUES (?, ?, 1)
		ON CONFLICT (service, week) DO UPDATE SET taken = service_weeks.taken + 1
		WHERE service_weeks.taken < ?
		RETURNING taken`, service, week, capacity).Scan(&taken)
	switch {
	case errors.Is(err, ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("take a slot of %s in week %s: %w", service, week, err)
	}
	return true, nil
}

func insertRequest(ctx context.Context, q *querier, r store.ServiceRequest) (store.ServiceRequest, error) {
	fields, err := json.Marshal(r.Fields)
	if err != nil {
		return r, fmt.Errorf("marshal fields: %w", err)
	}
	if r.Fields == nil {
		fields = []byte("{}")
	}
	err = q.queryRow(ctx, `INSERT INTO service_requests (service, details, fields, requested_by, requested_at, week,
			queued, due_at, status, claimed_by, claimed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		r.Service, r.Details, string(fields), r.RequestedBy, r.RequestedAt, r.Week, r.Queued, r.DueAt, r.Status,
		r.ClaimedBy, zeroAsNull(r.ClaimedAt)).Scan(&r.ID)
	if err != nil {
		return r, fmt.Errorf("insert request: %w", err)
	}
	return loadRequest(ctx, q, r.ID, false)
}

// ServiceRequest returns the request with id; ENotFound when there is none.
func (s *Store) ServiceRequest(ctx context.Context, id int64) (store.ServiceRequest, error) {
	var out store.ServiceRequest
	err := s.inTx(ctx, func(q *querier) (err error) {
		out, err = loadRequest(ctx, q, id, false)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("load request %d: %w", id, err)
	}
	return out, nil
}

// ListRequests lists the requests matching f, newest first.
func (s *Store) ListRequests(ctx context.Context, f store.RequestQuery) ([]store.ServiceRequest, error) {
	w := where{}
	if f.Open {
		w.add("status = ?", store.RequestOpen)
	}
	if f.RequestedBy != "" {
		w.add("requested_by = ?", f.RequestedBy)
	}
	if f.ClaimedBy != "" {
		w.add("claimed_by = ?", f.ClaimedBy)
	}
	if f.Service != "" {
		w.add("service = ?", f.Service)
	}
	if !f.DueBefore.IsZero() {
		w.add("due_at < ?", f.DueBefore)
	}
	if !f.RequestedFrom.IsZero() {
		w.add("requested_at >= ?", f.RequestedFrom)
	}
	if !f.RequestedTo.IsZero() {
		w.add("requested_at < ?", f.RequestedTo)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = defaultRequestLimit
	}
	var out []store.ServiceRequest
	err := s.inTx(ctx, func(q *querier) error {
		rows, err := q.query(ctx, `SELECT `+requestColumns+` FROM service_requests`+w.sql()+` ORDER BY id DESC LIMIT ?`,
			append(w.args, min(limit, maxRequestLimit))...)
		if err != nil {
			return err
		}
		out, err = collect(rows, func(r Rows) (store.ServiceRequest, error) { return scanRequest(r) })
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list requests: %w", err)
	}
	return out, nil
}

// UpdateRequest runs change on the request with its row held and writes it
// back; cancelling an open request gives its week's slot back.
func (s *Store) UpdateRequest(ctx context.Context, id int64, change func(*store.ServiceRequest) error) (store.ServiceRequest, error) {
	var (
		out       store.ServiceRequest
		changeErr error
	)
	err := s.inTx(ctx, func(q *querier) error {
		before, err := loadRequest(ctx, q, id, true)
		if err != nil {
			return err
		}
		out = before
		if changeErr = change(&out); changeErr != nil {
			return changeErr
		}
		out.ID, out.Service, out.Week = id, before.Service, before.Week
		if before.Open() && out.Status == store.RequestCancelled {
			if _, err := q.exec(ctx, `UPDATE service_weeks SET taken = taken - 1 WHERE service = ? AND week = ? AND taken > 0`,
				out.Service, out.Week); err != nil {
				return fmt.Errorf("give back the slot: %w", err)
			}
		}
		_, err = q.exec(ctx, `UPDATE service_requests SET status = ?, claimed_by = ?, claimed_at = ?, note = ?, note_at = ?,
				done_at = ?, link = ?, reason = ?, reminded_at = ?, late_at = ? WHERE id = ?`,
			out.Status, out.ClaimedBy, zeroAsNull(out.ClaimedAt), out.Note, zeroAsNull(out.NoteAt), zeroAsNull(out.DoneAt),
			out.Link, out.Reason, zeroAsNull(out.RemindedAt), zeroAsNull(out.LateAt), id)
		return err
	})
	switch {
	case changeErr != nil:
		return store.ServiceRequest{}, changeErr
	case err != nil:
		return store.ServiceRequest{}, fmt.Errorf("update request %d: %w", id, err)
	}
	return out, nil
}

// loadRequest reads one request; forUpdate locks its row until the
// transaction ends (SQLite serialises writers anyway).
func loadRequest(ctx context.Context, q *querier, id int64, forUpdate bool) (store.ServiceRequest, error) {
	lock := ""
	if forUpdate && q.dialect == Postgres {
		lock = " FOR UPDATE"
	}
	r, err := scanRequest(q.queryRow(ctx, `SELECT `+requestColumns+` FROM service_requests WHERE id = ?`+lock, id))
	if errors.Is(err, ErrNoRows) {
		return r, bot.Errorf(bot.ENotFound, "no request %s", bot.FormatID(id))
	}
	return r, err
}

func scanRequest(row Row) (store.ServiceRequest, error) {
	var (
		r                               store.ServiceRequest
		fields                          string
		claimed, noted, done, rem, late sql.NullTime
	)
	err := row.Scan(&r.ID, &r.Service, &r.Details, &fields, &r.RequestedBy, &r.RequestedAt, &r.Week, &r.Queued, &r.DueAt,
		&r.Status, &r.ClaimedBy, &claimed, &r.Note, &noted, &done, &r.Link, &r.Reason, &rem, &late)
	if err != nil {
		return store.ServiceRequest{}, err
	}
	if err := json.Unmarshal([]byte(fields), &r.Fields); err != nil {
		return store.ServiceRequest{}, fmt.Errorf("decode fields of request %d: %w", r.ID, err)
	}
	r.ClaimedAt, r.NoteAt, r.DoneAt = nullTimeValue(claimed), nullTimeValue(noted), nullTimeValue(done)
	r.RemindedAt, r.LateAt = nullTimeValue(rem), nullTimeValue(late)
	return r, nil
}
