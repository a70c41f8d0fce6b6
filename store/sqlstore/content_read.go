package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// Reading content items, their stages, answers and trail.

// ContentItem returns the item with id and its stages; ENotFound when there
// is none.
func (s *Store) ContentItem(ctx context.Context, id int64) (store.ContentItem, error) {
	var out store.ContentItem
	err := s.inTx(ctx, func(q *querier) (err error) {
		out, err = loadContent(ctx, q, id, false)
		return err
	})
	if err != nil {
		return store.ContentItem{}, fmt.Errorf("load content %d: %w", id, err)
	}
	return out, nil
}

// ListContent lists the items matching f with their stages, newest first.
func (s *Store) ListContent(ctx context.Context, f store.ContentQuery) ([]store.ContentItem, error) {
	w := where{}
	if f.Open {
		w.add("status IN (?, ?)", store.ContentInReview, store.ContentChanges)
	}
	if f.SubmittedBy != "" {
		w.add("submitted_by = ?", f.SubmittedBy)
	}
	if f.Brand != "" {
		w.add("brand = ?", f.Brand)
	}
	if !f.DecidedFrom.IsZero() {
		w.add("decided_at >= ?", f.DecidedFrom)
	}
	if !f.DecidedTo.IsZero() {
		w.add("decided_at < ?", f.DecidedTo)
	}
	if !f.SubmittedFrom.IsZero() {
		w.add("submitted_at >= ?", f.SubmittedFrom)
	}
	if !f.SubmittedTo.IsZero() {
		w.add("submitted_at < ?", f.SubmittedTo)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = defaultContentLimit
	}
	var out []store.ContentItem
	err := s.inTx(ctx, func(q *querier) error {
		rows, err := q.query(ctx, `SELECT `+contentColumns+` FROM content_items`+w.sql()+` ORDER BY id DESC LIMIT ?`,
			append(w.args, min(limit, maxContentLimit))...)
		if err != nil {
			return err
		}
		if out, err = collect(rows, func(r Rows) (store.ContentItem, error) { return scanContentItem(r) }); err != nil {
			return err
		}
		for i := range out {
			if out[i].Stages, err = loadStages(ctx, q, out[i].ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list content: %w", err)
	}
	return out, nil
}

// ContentAnswers lists every answer on an item, in the order given.
func (s *Store) ContentAnswers(ctx context.Context, id int64) ([]store.ContentAnswer, error) {
	var out []store.ContentAnswer
	err := s.inTx(ctx, func(q *querier) (err error) {
		out, err = loadAnswers(ctx, q, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list answers on content %d: %w", id, err)
	}
	return out, nil
}

// ContentTrail lists an item's trail, oldest first.
func (s *Store) ContentTrail(ctx context.Context, id int64) ([]store.ContentEntry, error) {
	var out []store.ContentEntry
	err := s.inTx(ctx, func(q *querier) error {
		rows, err := q.query(ctx, `SELECT id, item_id, at, actor, action, stage, version, text
			FROM content_trail WHERE item_id = ? ORDER BY id`, id)
		if err != nil {
			return err
		}
		out, err = collect(rows, func(r Rows) (e store.ContentEntry, err error) {
			err = r.Scan(&e.ID, &e.ItemID, &e.At, &e.Actor, &e.Action, &e.Stage, &e.Version, &e.Text)
			return e, err
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("trail of content %d: %w", id, err)
	}
	return out, nil
}

// loadContent reads one item and its stages; forUpdate locks its row until
// the transaction ends (SQLite serialises writers anyway).
func loadContent(ctx context.Context, q *querier, id int64, forUpdate bool) (store.ContentItem, error) {
	lock := ""
	if forUpdate && q.dialect == Postgres {
		lock = " FOR UPDATE"
	}
	it, err := scanContentItem(q.queryRow(ctx, `SELECT `+contentColumns+` FROM content_items WHERE id = ?`+lock, id))
	if errors.Is(err, ErrNoRows) {
		return it, bot.Errorf(bot.ENotFound, "no content item %s", bot.FormatID(id))
	}
	if err != nil {
		return it, err
	}
	it.Stages, err = loadStages(ctx, q, id)
	return it, err
}

func loadStages(ctx context.Context, q *querier, id int64) ([]store.ContentStage, error) {
	rows, err := q.query(ctx, `SELECT position, name, roles, quorum, target_seconds, status, started_at, decided_at,
			reminded_at, escalated_at FROM content_stages WHERE item_id = ? ORDER BY position`, id)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r Rows) (st store.ContentStage, err error) {
		var (
			roles                                 string
			target                                int64
			started, decided, reminded, escalated sql.NullTime
		)
		err = r.Scan(&st.Position, &st.Name, &roles, &st.Quorum, &target, &st.Status, &started, &decided, &reminded, &escalated)
		st.Roles = strings.Split(roles, ",")
		st.Target = time.Duration(target) * time.Second
		st.StartedAt, st.DecidedAt = nullTimeValue(started), nullTimeValue(decided)
		st.RemindedAt, st.EscalatedAt = nullTimeValue(reminded), nullTimeValue(escalated)
		return st, err
	})
}

func loadAnswers(ctx context.Context, q *querier, id int64) ([]store.ContentAnswer, error) {
	rows, err := q.query(ctx, `SELECT item_id, position, version, person, role, verdict, comment, at
		FROM content_answers WHERE item_id = ? ORDER BY at, position, person`, id)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r Rows) (a store.ContentAnswer, err error) {
		err = r.Scan(&a.ItemID, &a.Position, &a.Version, &a.Person, &a.Role, &a.Verdict, &a.Comment, &a.At)
		return a, err
	})
}

func scanContentItem(r Row) (store.ContentItem, error) {
	var (
		it                       store.ContentItem
		publish, decided, warned sql.NullTime
	)
	err := r.Scan(&it.ID, &it.Title, &it.Link, &it.Brand, &it.Channel, &it.Sensitivity, &it.SubmittedBy, &it.SubmittedAt,
		&publish, &it.FastTrack, &it.FastTrackReason, &it.Version, &it.Status, &decided, &warned, &it.Body)
	if err != nil {
		return store.ContentItem{}, err
	}
	it.PublishAt, it.DecidedAt, it.DeadlineWarnedAt = nullTimeValue(publish), nullTimeValue(decided), nullTimeValue(warned)
	return it, nil
}
