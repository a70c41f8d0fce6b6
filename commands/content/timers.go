package content

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// errNothingToDo stops a timer whose stage was answered, restarted or
// already handled in the meantime.
var errNothingToDo = errors.New("nothing to do")

// stageDue loads a stage timer's item and marks the stage with set, if the
// stage still waits at the timer's version. ok is false when the timer has
// nothing left to do.
func (h *handlers) stageDue(ctx context.Context, t bot.Timer, action string, set func(*store.ContentStage) bool) (it store.ContentItem, st store.ContentStage, ok bool, err error) {
	var ref stageRef
	if err := json.Unmarshal([]byte(t.Payload), &ref); err != nil {
		return it, st, false, fmt.Errorf("decode timer %s: %w", t.Key, err)
	}
	now := h.Clock.Now()
	u, err := h.Store.UpdateContent(ctx, ref.Item, func(u *store.ContentUpdate) error {
		it := &u.Item
		if it.Status != store.ContentInReview || it.Version != ref.Version || ref.Position >= len(it.Stages) {
			return errNothingToDo
		}
		s := &it.Stages[ref.Position]
		if s.Status != store.StagePending || !set(s) {
			return errNothingToDo
		}
		u.Trail = append(u.Trail, h.entry(*it, now, "", action, s.Name, fmt.Sprintf("%s of %s passed", bot.FormatDuration(now.Sub(s.StartedAt)), bot.FormatDuration(s.Target))))
		return nil
	})
	switch {
	case errors.Is(err, errNothingToDo), bot.IsCode(err, bot.ENotFound):
		return it, st, false, nil
	case err != nil:
		return it, st, false, err
	}
	return u.Item, u.Item.Stages[ref.Position], true, nil
}

// silent are a stage's approvers who have not answered it at this version.
func (h *handlers) silent(ctx context.Context, it store.ContentItem, st store.ContentStage) ([]string, error) {
	people, err := h.approvers(ctx, it, st)
	if err != nil {
		return nil, err
	}
	answers, err := h.Store.ContentAnswers(ctx, it.ID)
	if err != nil {
		return nil, fmt.Errorf("answers on content %d: %w", it.ID, err)
	}
	b := h.ballot(it, st, answers)
	return slices.DeleteFunc(people, b.Answered), nil
}

// remind nudges a stage's approvers halfway to its target.
func (h *handlers) remind(ctx context.Context, t bot.Timer) error {
	now := h.Clock.Now()
	it, st, ok, err := h.stageDue(ctx, t, "reminded", func(s *store.ContentStage) bool {
		if !s.RemindedAt.IsZero() || !now.Before(s.StartedAt.Add(s.Target)) {
			return false // reminded already, or so late that the escalation says it all
		}
		s.RemindedAt = now
		return true
	})
	if err != nil || !ok {
		return err
	}
	people, err := h.silent(ctx, it, st)
	if err != nil {
		return err
	}
	m := h.request(it, st)
	m.Title = fmt.Sprintf("⏰ Reminder: %s waits for you at stage %s — %s left", label(it), st.Name, bot.FormatDuration(untilDue(st, now)))
	h.dm(ctx, people, m)
	return nil
}

// escalate calls the stage roles' backups and tells the social lead when a
// stage misses its target.
func (h *handlers) escalate(ctx context.Context, t bot.Timer) error {
	now := h.Clock.Now()
	it, st, ok, err := h.stageDue(ctx, t, "escalated", func(s *store.ContentStage) bool {
		if !s.EscalatedAt.IsZero() {
			return false
		}
		s.EscalatedAt = now
		return true
	})
	if err != nil || !ok {
		return err
	}
	var backups []string
	for _, role := range st.Roles {
		bs, err := h.Roster().Backups(ctx, role, it.Brand)
		if err != nil {
			return err
		}
		for _, b := range bs {
			if !slices.Contains(backups, b) && !(h.Config.Approvals.SegregationOfDuties && strings.EqualFold(b, it.SubmittedBy)) {
				backups = append(backups, b)
			}
		}
	}
	leads, _, err := h.Roster().Holders(ctx, socialLead, it.Brand)
	if err != nil {
		return err
	}
	m := h.request(it, st)
	m.Title = fmt.Sprintf("🚨 Escalated to you (backup for %s): %s missed its %s target at stage %s", strings.Join(st.Roles, "/"), label(it), bot.FormatDuration(st.Target), st.Name)
	h.dm(ctx, backups, m)
	to := "no backup holds " + strings.Join(st.Roles, " or ") + " (assign one with /role assign <role> @name --backup)"
	if len(backups) > 0 {
		to = "escalated to " + mentions(backups)
	}
	h.dm(ctx, leads, bot.Message{Text: fmt.Sprintf("🚨 %s has waited %s at stage %s (target %s); %s. /content show %d",
		label(it), bot.FormatDuration(now.Sub(st.StartedAt)), st.Name, bot.FormatDuration(st.Target), to, it.ID)})
	return nil
}

// deadline warns, publish_warning before --publish-at, when the chain
// cannot finish in time on its targets.
func (h *handlers) deadline(ctx context.Context, t bot.Timer) error {
	var ref struct {
		Item int64 `json:"item"`
	}
	if err := json.Unmarshal([]byte(t.Payload), &ref); err != nil {
		return fmt.Errorf("decode timer %s: %w", t.Key, err)
	}
	now := h.Clock.Now()
	var finish time.Time
	u, err := h.Store.UpdateContent(ctx, ref.Item, func(u *store.ContentUpdate) error {
		it := &u.Item
		if (it.Status != store.ContentInReview && it.Status != store.ContentChanges) || !it.DeadlineWarnedAt.IsZero() {
			return errNothingToDo
		}
		var fits bool
		if finish, fits = estimate(*it, now); fits {
			return errNothingToDo
		}
		it.DeadlineWarnedAt = now
		u.Trail = append(u.Trail, h.entry(*it, now, "", "deadline", stageNames(pending(*it)), "the chain cannot finish before the publish time "+h.stamp(it.PublishAt)))
		return nil
	})
	switch {
	case errors.Is(err, errNothingToDo), bot.IsCode(err, bot.ENotFound):
		return nil
	case err != nil:
		return err
	}
	it := u.Item
	why := fmt.Sprintf("it is back with @%s for changes", it.SubmittedBy)
	if it.Status == store.ContentInReview {
		why = fmt.Sprintf("stage %s is still waiting; on its targets it finishes %s", stageNames(pending(it)), h.stamp(finish))
	}
	m := bot.Message{Text: fmt.Sprintf("⏳ %s is to be published %s (in %s) but its approvals cannot finish in time: %s. /content show %d",
		label(it), h.stamp(it.PublishAt), bot.FormatDuration(it.PublishAt.Sub(now)), why, it.ID)}
	people := []string{it.SubmittedBy}
	if it.Status == store.ContentInReview {
		for _, st := range pending(it) {
			silent, err := h.silent(ctx, it, st)
			if err != nil {
				return err
			}
			people = append(people, silent...)
		}
	}
	h.dm(ctx, slices.Compact(people), m)
	return nil
}

// estimate is when the chain finishes if every stage takes its target, and
// whether that is before the publish time. An item back with its submitter
// never fits: its clock is stopped.
func estimate(it store.ContentItem, now time.Time) (time.Time, bool) {
	if it.Status != store.ContentInReview {
		return time.Time{}, false
	}
	finish := now
	for _, st := range pending(it) {
		if due := st.StartedAt.Add(st.Target); due.After(finish) {
			finish = due
		}
	}
	for _, st := range it.Stages {
		if st.Status == store.StageWaiting {
			finish = finish.Add(st.Target)
		}
	}
	return finish, !finish.After(it.PublishAt)
}
