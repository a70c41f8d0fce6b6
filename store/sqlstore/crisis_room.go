package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// CrisisSteps lists the opening steps of a crisis in the order they were
// created.
func (s *Store) CrisisSteps(ctx context.Context, crisisID int64) ([]store.CrisisStep, error) {
	var out []store.CrisisStep
	err := s.inTx(ctx, func(q *querier) error {
		rows, err := q.query(ctx, `SELECT name, done, attempts, last_error, updated_at
			FROM crisis_steps WHERE crisis_id = ? ORDER BY position`, crisisID)
		if err != nil {
			return err
		}
		out, err = collect(rows, scanStep)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list steps of crisis %d: %w", crisisID, err)
	}
	return out, nil
}

// MarkStep counts an attempt at a step: done (clearing the last error), or
// failed with errText. ENotFound when the crisis has no such step.
func (s *Store) MarkStep(ctx context.Context, crisisID int64, step string, done bool, errText string, at time.Time) error {
	if at.IsZero() {
		return fmt.Errorf("mark step %s of crisis %d: no time given", step, crisisID)
	}
	if done {
		errText = ""
	}
	err := s.inTx(ctx, func(q *querier) error {
		n, err := q.exec(ctx, `UPDATE crisis_steps SET done = ?, attempts = attempts + 1, last_error = ?, updated_at = ?
			WHERE crisis_id = ? AND name = ?`, done, errText, at, crisisID, step)
		if err == nil && n == 0 {
			err = bot.Errorf(bot.ENotFound, "crisis %s has no step %q", bot.FormatID(crisisID), step)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("mark step %s of crisis %d: %w", step, crisisID, err)
	}
	return nil
}

// AddCrisisMembers adds people to a crisis, leaving those already members
// as they are.
func (s *Store) AddCrisisMembers(ctx context.Context, crisisID int64, ms []store.CrisisMember) error {
	for _, m := range ms {
		if m.Person == "" || m.InvitedAt.IsZero() {
			return fmt.Errorf("add members to crisis %d: member %+v needs a person and a time", crisisID, m)
		}
	}
	err := s.inTx(ctx, func(q *querier) error {
		if err := crisisExists(ctx, q, crisisID); err != nil {
			return err
		}
		for _, m := range ms {
			_, err := q.exec(ctx, `INSERT INTO crisis_members (crisis_id, person, role, invited_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (crisis_id, person) DO NOTHING`, crisisID, m.Person, m.Role, m.InvitedAt)
			if err != nil {
				return fmt.Errorf("add %s: %w", m.Person, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("add members to crisis %d: %w", crisisID, err)
	}
	return nil
}

// CrisisMembers lists the people of a crisis in the order they were
// invited.
func (s *Store) CrisisMembers(ctx context.Context, crisisID int64) ([]store.CrisisMember, error) {
	var out []store.CrisisMember
	err := s.inTx(ctx, func(q *querier) error {
		rows, err := q.query(ctx, `SELECT person, role, invited_at
			FROM crisis_members WHERE crisis_id = ? ORDER BY invited_at, person`, crisisID)
		if err != nil {
			return err
		}
		out, err = collect(rows, scanMember)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list members of crisis %d: %w", crisisID, err)
	}
	return out, nil
}

// AddTimeline appends e to its crisis's timeline and returns it with its id
// and stored time.
func (s *Store) AddTimeline(ctx context.Context, e store.TimelineEntry) (store.TimelineEntry, error) {
	err := s.inTx(ctx, func(q *querier) (err error) {
		if err := crisisExists(ctx, q, e.CrisisID); err != nil {
			return err
		}
		e, err = insertTimeline(ctx, q, e)
		return err
	})
	if err != nil {
		return store.TimelineEntry{}, fmt.Errorf("add %s to timeline of crisis %d: %w", e.Kind, e.CrisisID, err)
	}
	return e, nil
}

// insertTimeline appends e inside the caller's transaction.
func insertTimeline(ctx context.Context, q *querier, e store.TimelineEntry) (store.TimelineEntry, error) {
	if e.Kind == "" || e.At.IsZero() {
		return e, fmt.Errorf("add to timeline of crisis %d: an entry needs a kind and a time", e.CrisisID)
	}
	e.At = dbTime(e.At)
	err := q.queryRow(ctx, `INSERT INTO crisis_timeline (crisis_id, at, actor, kind, text)
		VALUES (?, ?, ?, ?, ?)
		RETURNING id`, e.CrisisID, e.At, e.Actor, e.Kind, e.Text).Scan(&e.ID)
	return e, err
}

// Timeline lists a crisis's timeline, oldest first.
func (s *Store) Timeline(ctx context.Context, crisisID int64) ([]store.TimelineEntry, error) {
	var out []store.TimelineEntry
	err := s.inTx(ctx, func(q *querier) error {
		rows, err := q.query(ctx, `SELECT id, crisis_id, at, actor, kind, text
			FROM crisis_timeline WHERE crisis_id = ? ORDER BY at, id`, crisisID)
		if err != nil {
			return err
		}
		out, err = collect(rows, scanTimelineEntry)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("timeline of crisis %d: %w", crisisID, err)
	}
	return out, nil
}

func scanStep(r Rows) (st store.CrisisStep, err error) {
	err = r.Scan(&st.Name, &st.Done, &st.Attempts, &st.LastError, &st.UpdatedAt)
	return st, err
}

func scanMember(r Rows) (m store.CrisisMember, err error) {
	err = r.Scan(&m.Person, &m.Role, &m.InvitedAt)
	return m, err
}

func scanTimelineEntry(r Rows) (e store.TimelineEntry, err error) {
	err = r.Scan(&e.ID, &e.CrisisID, &e.At, &e.Actor, &e.Kind, &e.Text)
	return e, err
}
