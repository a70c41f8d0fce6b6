package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// contentColumns are the columns of content_items in scanContentItem's order.
const contentColumns = `id, title, link, brand, channel, sensitivity, submitted_by, submitted_at, publish_at,
	fast_track, fast_track_reason, version, status, decided_at, deadline_warned_at`

// Limits of ListContent.
const (
	defaultContentLimit = 50
	maxContentLimit     = 10000
)

// SubmitContent stores a new item, its stages, its first trail entry and
// timers in one transaction.
func (s *Store) SubmitContent(ctx context.Context, it store.ContentItem, e store.ContentEntry, arm func(store.ContentItem) []bot.Timer) (store.ContentItem, error) {
	if err := validContent(it); err != nil {
		return store.ContentItem{}, err
	}
	var out store.ContentItem
	err := s.inTx(ctx, func(q *querier) error {
		err := q.queryRow(ctx, `INSERT INTO content_items (title, link, brand, channel, sensitivity, submitted_by,
				submitted_at, publish_at, fast_track, fast_track_reason, version, status)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			RETURNING id`,
			it.Title, it.Link, it.Brand, it.Channel, it.Sensitivity, it.SubmittedBy,
			it.SubmittedAt, zeroAsNull(it.PublishAt), it.FastTrack, it.FastTrackReason, max(it.Version, 1), it.Status).Scan(&it.ID)
		if err != nil {
			return err
		}
		for i, st := range it.Stages {
			st.Position = i
			_, err := q.exec(ctx, `INSERT INTO content_stages (item_id, position, name, roles, quorum, target_seconds, status,
					started_at, decided_at, reminded_at, escalated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				it.ID, st.Position, st.Name, strings.Join(st.Roles, ","), st.Quorum, int64(st.Target/time.Second), st.Status,
				zeroAsNull(st.StartedAt), zeroAsNull(st.DecidedAt), zeroAsNull(st.RemindedAt), zeroAsNull(st.EscalatedAt))
			if err != nil {
				return fmt.Errorf("insert stage %s: %w", st.Name, err)
			}
		}
		e.ItemID = it.ID
		if err := appendContentEntries(ctx, q, it.ID, e); err != nil {
			return err
		}
		if out, err = loadContent(ctx, q, it.ID, false); err != nil || arm == nil {
			return err
		}
		return scheduleTimers(ctx, q, arm(out)...)
	})
	if err != nil {
		return store.ContentItem{}, fmt.Errorf("submit content %q: %w", it.Title, err)
	}
	return out, nil
}

func validContent(it store.ContentItem) error {
	switch {
	case it.Title == "" || it.Link == "":
		return bot.Errorf(bot.EInvalid, "content needs a title and a link")
	case len(it.Stages) == 0:
		return bot.Errorf(bot.EInvalid, "content needs at least one approval stage")
	case it.SubmittedBy == "" || it.SubmittedAt.IsZero() || it.Status == "":
		return fmt.Errorf("content %q has no submitter, time or status", it.Title)
	}
	for _, st := range it.Stages {
		if st.Name == "" || st.Quorum < 1 || st.Target <= 0 || st.Status == "" ||
			slices.ContainsFunc(st.Roles, func(r string) bool { return r == "" || strings.Contains(r, ",") }) {
			return fmt.Errorf("content %q: invalid stage %+v", it.Title, st)
		}
	}
	return nil
}

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

// UpdateContent runs change on the item's state with its row held, then
// writes the item, its stages and what change added, in one transaction.
func (s *Store) UpdateContent(ctx context.Context, id int64, change func(*store.ContentUpdate) error) (store.ContentUpdate, error) {
	var (
		u         store.ContentUpdate
		changeErr error
	)
	err := s.inTx(ctx, func(q *querier) (err error) {
		u = store.ContentUpdate{}
		if u.Item, err = loadContent(ctx, q, id, true); err != nil {
			return err
		}
		if u.Answers, err = loadAnswers(ctx, q, id); err != nil {
			return err
		}
		if changeErr = change(&u); changeErr != nil {
			return changeErr
		}
		u.Item.ID = id
		return saveContentUpdate(ctx, q, u)
	})
	switch {
	case changeErr != nil:
		return store.ContentUpdate{}, changeErr
	case err != nil:
		return store.ContentUpdate{}, fmt.Errorf("update content %d: %w", id, err)
	}
	return u, nil
}

func saveContentUpdate(ctx context.Context, q *querier, u store.ContentUpdate) error {
	it := u.Item
	_, err := q.exec(ctx, `UPDATE content_items SET title = ?, link = ?, publish_at = ?, version = ?, status = ?,
			decided_at = ?, deadline_warned_at = ? WHERE id = ?`,
		it.Title, it.Link, zeroAsNull(it.PublishAt), it.Version, it.Status,
		zeroAsNull(it.DecidedAt), zeroAsNull(it.DeadlineWarnedAt), it.ID)
	if err != nil {
		return fmt.Errorf("save content: %w", err)
	}
	for _, st := range it.Stages {
		_, err := q.exec(ctx, `UPDATE content_stages SET status = ?, started_at = ?, decided_at = ?, reminded_at = ?,
				escalated_at = ? WHERE item_id = ? AND position = ?`,
			st.Status, zeroAsNull(st.StartedAt), zeroAsNull(st.DecidedAt), zeroAsNull(st.RemindedAt),
			zeroAsNull(st.EscalatedAt), it.ID, st.Position)
		if err != nil {
			return fmt.Errorf("save stage %s: %w", st.Name, err)
		}
	}
	for _, a := range u.NewAnswers {
		if err := insertAnswer(ctx, q, it.ID, a); err != nil {
			return err
		}
	}
	if err := appendContentEntries(ctx, q, it.ID, u.Trail...); err != nil {
		return err
	}
	for _, d := range u.Decisions {
		if _, err := appendDecision(ctx, q, d); err != nil {
			return err
		}
	}
	return scheduleTimers(ctx, q, u.Timers...)
}

func insertAnswer(ctx context.Context, q *querier, itemID int64, a store.ContentAnswer) error {
	_, err := q.exec(ctx, `INSERT INTO content_answers (item_id, position, version, person, role, verdict, comment, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, itemID, a.Position, a.Version, a.Person, a.Role, a.Verdict, a.Comment, a.At)
	if bot.IsCode(err, bot.EConflict) {
		msg := fmt.Sprintf("@%s already answered content %s at this stage", a.Person, bot.FormatID(itemID))
		return &bot.Error{Code: bot.EConflict, Message: msg, Err: err}
	}
	if err != nil {
		return fmt.Errorf("insert answer: %w", err)
	}
	return nil
}

func appendContentEntries(ctx context.Context, q *querier, itemID int64, es ...store.ContentEntry) error {
	for _, e := range es {
		if e.Action == "" || e.At.IsZero() {
			return fmt.Errorf("trail entry %+v needs an action and a time", e)
		}
		_, err := q.exec(ctx, `INSERT INTO content_trail (item_id, at, actor, action, stage, version, text)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, itemID, e.At, e.Actor, e.Action, e.Stage, max(e.Version, 1), e.Text)
		if err != nil {
			return fmt.Errorf("append trail entry: %w", err)
		}
	}
	return nil
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
		&publish, &it.FastTrack, &it.FastTrackReason, &it.Version, &it.Status, &decided, &warned)
	if err != nil {
		return store.ContentItem{}, err
	}
	it.PublishAt, it.DecidedAt, it.DeadlineWarnedAt = nullTimeValue(publish), nullTimeValue(decided), nullTimeValue(warned)
	return it, nil
}
