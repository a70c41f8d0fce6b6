package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// crisisColumns are the columns of crises in scanCrisis's order.
const crisisColumns = `id, brand, title, severity, status, opened_by, opened_at, room_id, room_name,
	brief_channel, brief_id, assembled_at, first_status_at, first_approved_at, last_checkin_at,
	resolved_at, resolved_by, summary, missing, version, confidential`

// CreateCrisis stores c as a new open crisis with its opening steps pending,
// in the order given. If a crisis with the same brand and title (whatever
// its case) is open already, it returns that one and created=false; the
// database's unique index settles two replicas opening it at once.
func (s *Store) CreateCrisis(ctx context.Context, c store.Crisis, steps []string) (got store.Crisis, created bool, err error) {
	if err := validCrisis(c); err != nil {
		return store.Crisis{}, false, err
	}
	c.Status = store.CrisisOpen
	err = s.inTx(ctx, func(q *querier) error {
		// Look first, so that a repeat does not use up an id.
		got, err = openCrisisByTitle(ctx, q, c.Brand, c.Title)
		if !bot.IsCode(err, bot.ENotFound) {
			return err
		}
		id, err := insertCrisis(ctx, q, c)
		if errors.Is(err, ErrNoRows) { // opened meanwhile by someone else
			got, err = openCrisisByTitle(ctx, q, c.Brand, c.Title)
			return err
		}
		if err != nil {
			return err
		}
		if err := insertSteps(ctx, q, id, steps, c); err != nil {
			return err
		}
		created = true
		got, err = loadCrisis(ctx, q, id)
		return err
	})
	if err != nil {
		return store.Crisis{}, false, fmt.Errorf("create crisis %q: %w", c.Title, err)
	}
	return got, created, nil
}

// Crisis returns the crisis with id; ENotFound when there is none.
func (s *Store) Crisis(ctx context.Context, id int64) (store.Crisis, error) {
	var out store.Crisis
	err := s.inTx(ctx, func(q *querier) (err error) {
		out, err = loadCrisis(ctx, q, id)
		return err
	})
	if err != nil {
		return store.Crisis{}, fmt.Errorf("load crisis %d: %w", id, err)
	}
	return out, nil
}

// CrisisByRoom returns the crisis whose room is roomID, the most recent one
// if several were; ENotFound when none was.
func (s *Store) CrisisByRoom(ctx context.Context, roomID string) (store.Crisis, error) {
	if roomID == "" {
		return store.Crisis{}, bot.Errorf(bot.ENotFound, "no crisis has a room without an id")
	}
	var out store.Crisis
	err := s.inTx(ctx, func(q *querier) (err error) {
		out, err = scanCrisis(q.queryRow(ctx, `SELECT `+crisisColumns+` FROM crises
			WHERE room_id = ?
			ORDER BY opened_at DESC, id DESC
			LIMIT 1`, roomID))
		if errors.Is(err, ErrNoRows) {
			return bot.Errorf(bot.ENotFound, "no crisis has room %s", roomID)
		}
		return err
	})
	if err != nil {
		return store.Crisis{}, fmt.Errorf("find crisis of room %s: %w", roomID, err)
	}
	return out, nil
}

// ListCrises lists the open crises, or every crisis when all is true,
// newest first.
func (s *Store) ListCrises(ctx context.Context, all bool) ([]store.Crisis, error) {
	w := where{}
	if !all {
		w.add("status = ?", store.CrisisOpen)
	}
	var out []store.Crisis
	err := s.inTx(ctx, func(q *querier) error {
		rows, err := q.query(ctx, `SELECT `+crisisColumns+` FROM crises`+w.sql()+`
			ORDER BY opened_at DESC, id DESC`, w.args...)
		if err != nil {
			return err
		}
		out, err = collect(rows, func(r Rows) (store.Crisis, error) { return scanCrisis(r) })
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list crises: %w", err)
	}
	return out, nil
}

// SaveCrisis writes c alone; see UpdateCrisis.
func (s *Store) SaveCrisis(ctx context.Context, c store.Crisis) error {
	_, err := s.UpdateCrisis(ctx, store.CrisisUpdate{Crisis: c})
	return err
}

// UpdateCrisis writes every field of u.Crisis but its id, if the stored
// version is still u.Crisis.Version, with u's timeline entries, decisions
// and timers, in one transaction. A lost race is store.Stale; ENotFound when
// there is no such crisis, EConflict when reopening it would make two open
// crises with one title.
func (s *Store) UpdateCrisis(ctx context.Context, u store.CrisisUpdate) (store.Crisis, error) {
	c := u.Crisis
	if err := validCrisis(c); err != nil {
		return store.Crisis{}, err
	}
	var out store.Crisis
	err := s.inTx(ctx, func(q *querier) error {
		if err := writeCrisis(ctx, q, c); err != nil {
			return err
		}
		if err := crisisExtras(ctx, q, c, u); err != nil {
			return err
		}
		var err error
		out, err = loadCrisis(ctx, q, c.ID)
		return err
	})
	if err != nil {
		return store.Crisis{}, fmt.Errorf("save crisis %d: %w", c.ID, err)
	}
	return out, nil
}

// writeCrisis is the version-checked UPDATE of c.
func writeCrisis(ctx context.Context, q *querier, c store.Crisis) error {
	n, err := q.exec(ctx, `UPDATE crises SET brand = ?, title = ?, severity = ?, status = ?,
			opened_by = ?, opened_at = ?, room_id = ?, room_name = ?, brief_channel = ?, brief_id = ?,
			assembled_at = ?, first_status_at = ?, first_approved_at = ?, last_checkin_at = ?,
			resolved_at = ?, resolved_by = ?, summary = ?, missing = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		c.Brand, c.Title, c.Severity, c.Status,
		c.OpenedBy, c.OpenedAt, c.RoomID, c.RoomName, c.BriefChannel, c.BriefID,
		zeroAsNull(c.AssembledAt), zeroAsNull(c.FirstStatusAt), zeroAsNull(c.FirstApprovedAt), zeroAsNull(c.LastCheckInAt),
		zeroAsNull(c.ResolvedAt), c.ResolvedBy, c.Summary, c.Missing,
		c.ID, c.Version)
	switch {
	case bot.IsCode(err, bot.EConflict):
		return &bot.Error{Code: bot.EConflict, Message: fmt.Sprintf("another crisis %q is open", c.Title), Err: err}
	case err != nil:
		return err
	case n == 0:
		// Either it is gone or someone else wrote it first.
		if err := crisisExists(ctx, q, c.ID); err != nil {
			return err
		}
		return store.Stale("crisis " + bot.FormatID(c.ID))
	}
	return nil
}

// crisisExtras writes what goes with a crisis change: its timeline entries,
// decisions and timers.
func crisisExtras(ctx context.Context, q *querier, c store.Crisis, u store.CrisisUpdate) error {
	for _, e := range u.Timeline {
		e.CrisisID = c.ID
		if _, err := insertTimeline(ctx, q, e); err != nil {
			return err
		}
	}
	for _, d := range u.Decisions {
		if _, err := appendDecision(ctx, q, d); err != nil {
			return err
		}
	}
	for _, key := range u.Cancel {
		if _, err := q.exec(ctx, `DELETE FROM timers WHERE key = ? AND fired_at IS NULL`, key); err != nil {
			return fmt.Errorf("cancel timer %s: %w", key, err)
		}
	}
	return scheduleTimers(ctx, q, u.Schedule...)
}

func validCrisis(c store.Crisis) error {
	switch {
	case c.Title == "" || c.Severity == "":
		return bot.Errorf(bot.EInvalid, "a crisis needs a severity and a title")
	case c.OpenedBy == "" || c.OpenedAt.IsZero():
		return fmt.Errorf("crisis %q has no opener or opening time", c.Title)
	}
	return nil
}

// insertCrisis adds c and returns its id, or ErrNoRows when a crisis with
// its brand and title is open already.
func insertCrisis(ctx context.Context, q *querier, c store.Crisis) (id int64, err error) {
	err = q.queryRow(ctx, `INSERT INTO crises (brand, title, severity, status, opened_by, opened_at,
			room_id, room_name, brief_channel, brief_id, assembled_at, first_status_at, first_approved_at,
			last_checkin_at, resolved_at, resolved_by, summary, missing, confidential)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (brand, lower(title)) WHERE status = 'open' DO NOTHING
		RETURNING id`,
		c.Brand, c.Title, c.Severity, c.Status, c.OpenedBy, c.OpenedAt,
		c.RoomID, c.RoomName, c.BriefChannel, c.BriefID, zeroAsNull(c.AssembledAt), zeroAsNull(c.FirstStatusAt),
		zeroAsNull(c.FirstApprovedAt), zeroAsNull(c.LastCheckInAt), zeroAsNull(c.ResolvedAt),
		c.ResolvedBy, c.Summary, c.Missing, c.Confidential).Scan(&id)
	return id, err
}

// insertSteps adds the pending opening steps of crisis id, numbered in the
// order given.
func insertSteps(ctx context.Context, q *querier, id int64, steps []string, c store.Crisis) error {
	for i, name := range steps {
		_, err := q.exec(ctx, `INSERT INTO crisis_steps (crisis_id, name, position, updated_at) VALUES (?, ?, ?, ?)`,
			id, name, i, c.OpenedAt)
		if err != nil {
			return fmt.Errorf("add step %s: %w", name, err)
		}
	}
	return nil
}

func loadCrisis(ctx context.Context, q *querier, id int64) (store.Crisis, error) {
	c, err := scanCrisis(q.queryRow(ctx, `SELECT `+crisisColumns+` FROM crises WHERE id = ?`, id))
	if errors.Is(err, ErrNoRows) {
		return c, bot.Errorf(bot.ENotFound, "no crisis %s", bot.FormatID(id))
	}
	return c, err
}

// openCrisisByTitle returns the open crisis of brand with title, compared
// case-insensitively; ENotFound when there is none.
func openCrisisByTitle(ctx context.Context, q *querier, brand, title string) (store.Crisis, error) {
	c, err := scanCrisis(q.queryRow(ctx, `SELECT `+crisisColumns+` FROM crises
		WHERE brand = ? AND lower(title) = lower(?) AND status = 'open'`, brand, title))
	if errors.Is(err, ErrNoRows) {
		return c, bot.Errorf(bot.ENotFound, "no open crisis %q", title)
	}
	return c, err
}

// crisisExists returns ENotFound unless crisis id exists.
func crisisExists(ctx context.Context, q *querier, id int64) error {
	var one int
	err := q.queryRow(ctx, `SELECT 1 FROM crises WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, ErrNoRows) {
		return bot.Errorf(bot.ENotFound, "no crisis %s", bot.FormatID(id))
	}
	return err
}

func scanCrisis(r Row) (store.Crisis, error) {
	var (
		c                                   store.Crisis
		assembled, firstStatus, firstApprov sql.NullTime
		lastCheckIn, resolved               sql.NullTime
	)
	err := r.Scan(&c.ID, &c.Brand, &c.Title, &c.Severity, &c.Status, &c.OpenedBy, &c.OpenedAt, &c.RoomID, &c.RoomName,
		&c.BriefChannel, &c.BriefID, &assembled, &firstStatus, &firstApprov, &lastCheckIn,
		&resolved, &c.ResolvedBy, &c.Summary, &c.Missing, &c.Version, &c.Confidential)
	if err != nil {
		return store.Crisis{}, err
	}
	c.AssembledAt, c.FirstStatusAt, c.FirstApprovedAt = nullTimeValue(assembled), nullTimeValue(firstStatus), nullTimeValue(firstApprov)
	c.LastCheckInAt, c.ResolvedAt = nullTimeValue(lastCheckIn), nullTimeValue(resolved)
	return c, nil
}
