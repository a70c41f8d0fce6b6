package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

const syncColumns = `id, department, week, weekday, clock, time_zone, duration_seconds, next_at, facilitator_turn, created_by, created_at, version`

// CreateSync stores a new sync and returns it with its id; EConflict when
// the department already has one.
func (s *Store) CreateSync(ctx context.Context, sy store.Sync) (store.Sync, error) {
	if err := validSync(sy); err != nil {
		return store.Sync{}, err
	}
	var out store.Sync
	err := s.inTx(ctx, func(q *querier) error {
		var id int64
		err := q.queryRow(ctx, `INSERT INTO syncs (department, week, weekday, clock, time_zone, duration_seconds, next_at, facilitator_turn, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (department) DO NOTHING
			RETURNING id`,
			sy.Department, sy.Week, int(sy.Weekday), sy.Clock, sy.TimeZone, int64(sy.Duration/time.Second),
			sy.NextAt, sy.FacilitatorTurn, sy.CreatedBy, sy.CreatedAt).Scan(&id)
		if errors.Is(err, ErrNoRows) {
			return departmentTaken(ctx, q, sy.Department)
		}
		if err != nil {
			return err
		}
		out, err = loadSync(ctx, q, id)
		return err
	})
	if err != nil {
		return store.Sync{}, fmt.Errorf("create sync with %s: %w", sy.Department, err)
	}
	return out, nil
}

// departmentTaken is the conflict of a second sync for a department.
func departmentTaken(ctx context.Context, q *querier, department string) error {
	var id int64
	if err := q.queryRow(ctx, `SELECT id FROM syncs WHERE department = ?`, department).Scan(&id); err != nil {
		return bot.Errorf(bot.EConflict, "%s already has a standing sync", department)
	}
	return bot.Errorf(bot.EConflict, "%s already has a standing sync (#%d)", department, id)
}

func validSync(sy store.Sync) error {
	switch {
	case sy.Department == "" || sy.Clock == "" || sy.TimeZone == "":
		return bot.Errorf(bot.EInvalid, "a sync needs a department, a time and a time zone")
	case sy.Week != -1 && (sy.Week < 1 || sy.Week > 4):
		return bot.Errorf(bot.EInvalid, "a sync's week is 1..4 or last")
	case sy.Weekday < time.Sunday || sy.Weekday > time.Saturday:
		return bot.Errorf(bot.EInvalid, "a sync needs a weekday")
	case sy.Duration < time.Second:
		return bot.Errorf(bot.EInvalid, "a sync needs a duration")
	case sy.NextAt.IsZero() || sy.CreatedAt.IsZero():
		return fmt.Errorf("sync with %s has no next date or creation time", sy.Department)
	}
	return nil
}

// Sync returns the sync with id; ENotFound when there is none.
func (s *Store) Sync(ctx context.Context, id int64) (store.Sync, error) {
	var out store.Sync
	err := s.inTx(ctx, func(q *querier) (err error) {
		out, err = loadSync(ctx, q, id)
		return err
	})
	if err != nil {
		return store.Sync{}, fmt.Errorf("load sync %d: %w", id, err)
	}
	return out, nil
}

// ListSyncs lists every sync by id.
func (s *Store) ListSyncs(ctx context.Context) ([]store.Sync, error) {
	var out []store.Sync
	err := s.inTx(ctx, func(q *querier) error {
		rows, err := q.query(ctx, `SELECT `+syncColumns+` FROM syncs ORDER BY id`)
		if err != nil {
			return err
		}
		out, err = collect(rows, scanSync)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list syncs: %w", err)
	}
	return out, nil
}

// SaveSyncProgress writes sy's NextAt and FacilitatorTurn if the stored
// sync is still at sy.Version, and returns it as written.
func (s *Store) SaveSyncProgress(ctx context.Context, sy store.Sync) (store.Sync, error) {
	var out store.Sync
	err := s.inTx(ctx, func(q *querier) error {
		n, err := q.exec(ctx, `UPDATE syncs SET next_at = ?, facilitator_turn = ?, version = version + 1
			WHERE id = ? AND version = ?`, sy.NextAt, sy.FacilitatorTurn, sy.ID, sy.Version)
		if err != nil {
			return err
		}
		out, err = loadSync(ctx, q, sy.ID)
		if err == nil && n == 0 {
			err = store.Stale(fmt.Sprintf("sync #%d", sy.ID))
		}
		return err
	})
	if err != nil {
		return store.Sync{}, fmt.Errorf("save progress of sync %d: %w", sy.ID, err)
	}
	return out, nil
}

// DeleteSync removes a sync; ENotFound when there is none.
func (s *Store) DeleteSync(ctx context.Context, id int64) error {
	err := s.inTx(ctx, func(q *querier) error {
		n, err := q.exec(ctx, `DELETE FROM syncs WHERE id = ?`, id)
		if err == nil && n == 0 {
			err = bot.Errorf(bot.ENotFound, "no sync #%d", id)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("delete sync %d: %w", id, err)
	}
	return nil
}

func loadSync(ctx context.Context, q *querier, id int64) (store.Sync, error) {
	rows, err := q.query(ctx, `SELECT `+syncColumns+` FROM syncs WHERE id = ?`, id)
	if err != nil {
		return store.Sync{}, err
	}
	ss, err := collect(rows, scanSync)
	if err != nil {
		return store.Sync{}, err
	}
	if len(ss) == 0 {
		return store.Sync{}, bot.Errorf(bot.ENotFound, "no sync #%d", id)
	}
	return ss[0], nil
}

func scanSync(r Rows) (store.Sync, error) {
	var (
		sy       store.Sync
		weekday  int
		duration int64
	)
	err := r.Scan(&sy.ID, &sy.Department, &sy.Week, &weekday, &sy.Clock, &sy.TimeZone, &duration,
		&sy.NextAt, &sy.FacilitatorTurn, &sy.CreatedBy, &sy.CreatedAt, &sy.Version)
	sy.Weekday = time.Weekday(weekday)
	sy.Duration = time.Duration(duration) * time.Second
	return sy, err
}
