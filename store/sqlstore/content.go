package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// contentColumns are the columns of content_items in scanContentItem's order.
const contentColumns = `id, title, link, brand, channel, sensitivity, submitted_by, submitted_at, publish_at,
	fast_track, fast_track_reason, version, status, decided_at, deadline_warned_at, body`

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
				submitted_at, publish_at, fast_track, fast_track_reason, version, status, body)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			RETURNING id`,
			it.Title, it.Link, it.Brand, it.Channel, it.Sensitivity, it.SubmittedBy,
			it.SubmittedAt, zeroAsNull(it.PublishAt), it.FastTrack, it.FastTrackReason, max(it.Version, 1), it.Status, it.Body).Scan(&it.ID)
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
	case it.Title == "" || (it.Link == "") == (it.Body == ""):
		return bot.Errorf(bot.EInvalid, "content needs a title and either a link or a text")
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
