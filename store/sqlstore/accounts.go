package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// accountColumns are the columns of accounts in scanAccount's order.
const accountColumns = `id, network, handle, brand, owner, backup, dept, url, two_factor, last_post_at, last_review_at,
	review_started_at, review_reminded_at, review_escalated_at, created_by, created_at, removed_by, removed_at`

// AddAccount stores a new account, its first history entry and its timers
// in one transaction.
func (s *Store) AddAccount(ctx context.Context, a store.Account, e store.AccountEvent, arm func(store.Account) []bot.Timer) (store.Account, error) {
	if a.Network == "" || a.Handle == "" || a.Brand == "" || a.Owner == "" || a.CreatedAt.IsZero() {
		return store.Account{}, bot.Errorf(bot.EInvalid, "an account needs a network, a handle, a brand and an owner")
	}
	var out store.Account
	err := s.inTx(ctx, func(q *querier) error {
		err := q.queryRow(ctx, `INSERT INTO accounts (network, handle, brand, owner, backup, dept, url, two_factor,
				last_post_at, last_review_at, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			a.Network, a.Handle, a.Brand, a.Owner, a.Backup, a.Dept, a.URL, a.TwoFactor,
			zeroAsNull(a.LastPostAt), zeroAsNull(a.LastReviewAt), a.CreatedBy, a.CreatedAt).Scan(&a.ID)
		if bot.IsCode(err, bot.EConflict) {
			return bot.Errorf(bot.EConflict, "%s @%s is already in the inventory", a.Network, a.Handle)
		}
		if err != nil {
			return err
		}
		if err := saveAccess(ctx, q, a); err != nil {
			return err
		}
		e.AccountID = a.ID
		if err := appendAccountEvents(ctx, q, a.ID, e); err != nil {
			return err
		}
		if out, err = loadAccount(ctx, q, a.ID, false); err != nil || arm == nil {
			return err
		}
		return scheduleTimers(ctx, q, arm(out)...)
	})
	if bot.IsCode(err, bot.EConflict) {
		return store.Account{}, err
	}
	if err != nil {
		return store.Account{}, fmt.Errorf("add account %s @%s: %w", a.Network, a.Handle, err)
	}
	return out, nil
}

// Account loads one account with its access.
func (s *Store) Account(ctx context.Context, id int64) (a store.Account, err error) {
	err = s.inTx(ctx, func(q *querier) error {
		a, err = loadAccount(ctx, q, id, false)
		return err
	})
	if err != nil && !bot.IsCode(err, bot.ENotFound) {
		err = fmt.Errorf("load account %d: %w", id, err)
	}
	return a, err
}

// UpdateAccount runs change with the account's row held and writes the
// result in the same transaction.
func (s *Store) UpdateAccount(ctx context.Context, id int64, change func(*store.AccountUpdate) error) (store.Account, error) {
	var (
		out       store.Account
		changeErr error
	)
	err := s.inTx(ctx, func(q *querier) error {
		a, err := loadAccount(ctx, q, id, true)
		if err != nil {
			return err
		}
		u := store.AccountUpdate{Account: a}
		if changeErr = change(&u); changeErr != nil {
			return changeErr
		}
		u.Account.ID = id
		if err := saveAccountUpdate(ctx, q, u); err != nil {
			return err
		}
		out, err = loadAccount(ctx, q, id, false)
		return err
	})
	switch {
	case changeErr != nil:
		return store.Account{}, changeErr
	case bot.IsCode(err, bot.ENotFound), bot.IsCode(err, bot.EConflict):
		return store.Account{}, err
	case err != nil:
		return store.Account{}, fmt.Errorf("update account %d: %w", id, err)
	}
	return out, nil
}

func saveAccountUpdate(ctx context.Context, q *querier, u store.AccountUpdate) error {
	a := u.Account
	_, err := q.exec(ctx, `UPDATE accounts SET network = ?, handle = ?, brand = ?, owner = ?, backup = ?, dept = ?, url = ?,
			two_factor = ?, last_post_at = ?, last_review_at = ?, review_started_at = ?, review_reminded_at = ?,
			review_escalated_at = ?, removed_by = ?, removed_at = ? WHERE id = ?`,
		a.Network, a.Handle, a.Brand, a.Owner, a.Backup, a.Dept, a.URL, a.TwoFactor, zeroAsNull(a.LastPostAt),
		zeroAsNull(a.LastReviewAt), zeroAsNull(a.ReviewStartedAt), zeroAsNull(a.ReviewRemindedAt),
		zeroAsNull(a.ReviewEscalatedAt), a.RemovedBy, zeroAsNull(a.RemovedAt), a.ID)
	if bot.IsCode(err, bot.EConflict) {
		return bot.Errorf(bot.EConflict, "%s @%s is already in the inventory", a.Network, a.Handle)
	}
	if err != nil {
		return fmt.Errorf("save account: %w", err)
	}
	if _, err := q.exec(ctx, `DELETE FROM account_access WHERE account_id = ?`, a.ID); err != nil {
		return fmt.Errorf("clear access: %w", err)
	}
	if err := saveAccess(ctx, q, a); err != nil {
		return err
	}
	if err := appendAccountEvents(ctx, q, a.ID, u.Events...); err != nil {
		return err
	}
	if u.Decision != nil {
		if _, err := appendDecision(ctx, q, *u.Decision); err != nil {
			return fmt.Errorf("log decision: %w", err)
		}
	}
	for _, key := range u.Cancel {
		if _, err := q.exec(ctx, `DELETE FROM timers WHERE key = ? AND fired_at IS NULL`, key); err != nil {
			return fmt.Errorf("cancel timer %s: %w", key, err)
		}
	}
	return scheduleTimers(ctx, q, u.Timers...)
}

func saveAccess(ctx context.Context, q *querier, a store.Account) error {
	for _, x := range a.Access {
		_, err := q.exec(ctx, `INSERT INTO account_access (account_id, person, level, granted_by, granted_at, mark)
			VALUES (?, ?, ?, ?, ?, ?)`, a.ID, x.Person, x.Level, x.GrantedBy, x.GrantedAt, x.Mark)
		if err != nil {
			return fmt.Errorf("save access of %s: %w", x.Person, err)
		}
	}
	return nil
}

func appendAccountEvents(ctx context.Context, q *querier, id int64, es ...store.AccountEvent) error {
	for _, e := range es {
		_, err := q.exec(ctx, `INSERT INTO account_history (account_id, at, actor, action, text) VALUES (?, ?, ?, ?, ?)`,
			id, e.At, e.Actor, e.Action, e.Text)
		if err != nil {
			return fmt.Errorf("append account history: %w", err)
		}
	}
	return nil
}

func loadAccount(ctx context.Context, q *querier, id int64, forUpdate bool) (store.Account, error) {
	lock := ""
	if forUpdate && q.dialect == Postgres {
		lock = " FOR UPDATE"
	}
	a, err := scanAccount(q.queryRow(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = ?`+lock, id))
	if errors.Is(err, ErrNoRows) {
		return a, bot.Errorf(bot.ENotFound, "no account %s", bot.FormatID(id))
	}
	if err != nil {
		return a, err
	}
	rows, err := q.query(ctx, `SELECT account_id, person, level, granted_by, granted_at, mark
		FROM account_access WHERE account_id = ? ORDER BY person`, id)
	if err != nil {
		return a, err
	}
	access, err := collect(rows, scanAccess)
	for _, x := range access {
		a.Access = append(a.Access, x.AccountAccess)
	}
	return a, err
}

// ListAccounts lists accounts by network and handle, with their access.
func (s *Store) ListAccounts(ctx context.Context, aq store.AccountQuery) ([]store.Account, error) {
	var out []store.Account
	err := s.inTx(ctx, func(q *querier) error {
		var w where
		if !aq.Removed {
			w.add("removed_at IS NULL")
		}
		if aq.Brand != "" {
			w.add("brand = ?", aq.Brand)
		}
		if aq.Person != "" {
			w.add("(owner = ? OR backup = ? OR id IN (SELECT account_id FROM account_access WHERE person = ?))", aq.Person, aq.Person, aq.Person)
		}
		rows, err := q.query(ctx, `SELECT `+accountColumns+` FROM accounts`+w.sql()+` ORDER BY network, LOWER(handle), id`, w.args...)
		if err != nil {
			return err
		}
		if out, err = collect(rows, func(r Rows) (store.Account, error) { return scanAccount(r) }); err != nil {
			return err
		}
		return attachAccess(ctx, q, out)
	})
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	return out, nil
}

// attachAccess loads the access of every listed account in one query.
func attachAccess(ctx context.Context, q *querier, as []store.Account) error {
	if len(as) == 0 {
		return nil
	}
	at := make(map[int64]int, len(as))
	for i, a := range as {
		at[a.ID] = i
	}
	rows, err := q.query(ctx, `SELECT account_id, person, level, granted_by, granted_at, mark
		FROM account_access ORDER BY account_id, person`)
	if err != nil {
		return err
	}
	access, err := collect(rows, scanAccess)
	for _, x := range access {
		if i, ok := at[x.account]; ok {
			as[i].Access = append(as[i].Access, x.AccountAccess)
		}
	}
	return err
}

type accessRow struct {
	account int64
	store.AccountAccess
}

func scanAccess(r Rows) (x accessRow, err error) {
	err = r.Scan(&x.account, &x.Person, &x.Level, &x.GrantedBy, &x.GrantedAt, &x.Mark)
	return x, err
}

func scanAccount(r Row) (a store.Account, err error) {
	var post, review, started, reminded, escalated, removed sql.NullTime
	err = r.Scan(&a.ID, &a.Network, &a.Handle, &a.Brand, &a.Owner, &a.Backup, &a.Dept, &a.URL, &a.TwoFactor,
		&post, &review, &started, &reminded, &escalated, &a.CreatedBy, &a.CreatedAt, &a.RemovedBy, &removed)
	a.LastPostAt, a.LastReviewAt = nullTimeValue(post), nullTimeValue(review)
	a.ReviewStartedAt, a.ReviewRemindedAt = nullTimeValue(started), nullTimeValue(reminded)
	a.ReviewEscalatedAt, a.RemovedAt = nullTimeValue(escalated), nullTimeValue(removed)
	return a, err
}

// AccountHistory lists an account's history, oldest first.
func (s *Store) AccountHistory(ctx context.Context, id int64) ([]store.AccountEvent, error) {
	var out []store.AccountEvent
	err := s.inTx(ctx, func(q *querier) error {
		rows, err := q.query(ctx, `SELECT account_id, at, actor, action, text FROM account_history WHERE account_id = ? ORDER BY id`, id)
		if err != nil {
			return err
		}
		out, err = collect(rows, func(r Rows) (e store.AccountEvent, err error) {
			err = r.Scan(&e.AccountID, &e.At, &e.Actor, &e.Action, &e.Text)
			return e, err
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("account %d history: %w", id, err)
	}
	return out, nil
}

// RecordTraining records a completed course, keeping the latest day.
func (s *Store) RecordTraining(ctx context.Context, t store.Training) error {
	if t.Person == "" || t.Course == "" || t.On.IsZero() {
		return bot.Errorf(bot.EInvalid, "a training needs a person, a course and a day")
	}
	err := s.inTx(ctx, func(q *querier) error {
		_, err := q.exec(ctx, `INSERT INTO trainings (person, course, completed, recorded_by) VALUES (?, ?, ?, ?)
			ON CONFLICT (person, course) DO UPDATE SET completed = excluded.completed, recorded_by = excluded.recorded_by
			WHERE excluded.completed > trainings.completed`, t.Person, t.Course, t.On, t.RecordedBy)
		return err
	})
	if err != nil {
		return fmt.Errorf("record training of %s: %w", t.Person, err)
	}
	return nil
}

// Trainings lists completed courses by person and course.
func (s *Store) Trainings(ctx context.Context, person string) ([]store.Training, error) {
	var out []store.Training
	err := s.inTx(ctx, func(q *querier) error {
		var w where
		if person != "" {
			w.add("person = ?", person)
		}
		rows, err := q.query(ctx, `SELECT person, course, completed, recorded_by FROM trainings`+w.sql()+` ORDER BY person, course`, w.args...)
		if err != nil {
			return err
		}
		out, err = collect(rows, func(r Rows) (t store.Training, err error) {
			err = r.Scan(&t.Person, &t.Course, &t.On, &t.RecordedBy)
			return t, err
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list trainings: %w", err)
	}
	return out, nil
}
