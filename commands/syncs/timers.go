package syncs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// Each sync has two durable timers, both for its next occurrence: the
// agenda (agenda_lead before) and the reminder (at the start). The reminder
// moves the sync to its following occurrence and re-arms both, so the pair
// repeats monthly and survives restarts.
const (
	timerAgenda   = "sync.agenda"
	timerReminder = "sync.reminder"
)

// occurrence is the timers' payload: which sync, which occurrence.
type occurrence struct {
	SyncID int64     `json:"sync_id"`
	At     time.Time `json:"at"`
}

func agendaKey(id int64) string   { return fmt.Sprintf("sync:%d:agenda", id) }
func reminderKey(id int64) string { return fmt.Sprintf("sync:%d:reminder", id) }

// agendaDue is when the agenda of the occurrence at is posted.
func (h *handlers) agendaDue(at time.Time) time.Time { return at.Add(-h.Config.Syncs.AgendaLead) }

// arm books s's timers for s.NextAt, moving any pending ones.
func (h *handlers) arm(ctx context.Context, s store.Sync) error {
	ref := occurrence{SyncID: s.ID, At: s.NextAt}
	if err := h.Scheduler.Schedule(ctx, timerAgenda, agendaKey(s.ID), h.agendaDue(s.NextAt), ref); err != nil {
		return fmt.Errorf("arm agenda of sync %d: %w", s.ID, err)
	}
	if err := h.Scheduler.Schedule(ctx, timerReminder, reminderKey(s.ID), s.NextAt, ref); err != nil {
		return fmt.Errorf("arm reminder of sync %d: %w", s.ID, err)
	}
	return nil
}

// current loads the sync a timer is for. ok is false when the sync is gone,
// or when the timer is for another occurrence than the one the sync is at:
// one skipped meanwhile, or a timer left behind when a failure came between
// saving the sync and arming its timers. The sync's timers are then re-armed
// from the stored sync, so that a sync never ends up with no timer at all.
func (h *handlers) current(ctx context.Context, t bot.Timer) (store.Sync, occurrence, bool, error) {
	var ref occurrence
	if err := json.Unmarshal([]byte(t.Payload), &ref); err != nil {
		return store.Sync{}, ref, false, fmt.Errorf("decode %s payload: %w", t.Key, err)
	}
	s, err := h.syncs.Sync(ctx, ref.SyncID)
	if bot.IsCode(err, bot.ENotFound) {
		return s, ref, false, nil
	}
	if err != nil {
		return s, ref, false, fmt.Errorf("load sync %d: %w", ref.SyncID, err)
	}
	if s.NextAt.Equal(ref.At) {
		return s, ref, true, nil
	}
	return s, ref, false, h.realign(ctx, s)
}

// realign re-arms s's timers for its stored occurrence, first moving that
// on to the next one when it has passed without its timers.
func (h *handlers) realign(ctx context.Context, s store.Sync) error {
	if now := h.Clock.Now(); !s.NextAt.After(now) {
		sched, err := scheduleOf(s)
		if err != nil {
			return err
		}
		s.NextAt = sched.Next(now)
		if s, err = h.syncs.SaveSyncProgress(ctx, s); err != nil {
			return fmt.Errorf("move sync %d to its next date: %w", s.ID, err)
		}
	}
	h.Log.Info("re-arming the timers of a sync from its stored date", "sync", s.ID, "next", s.NextAt)
	return h.arm(ctx, s)
}

// postAgenda posts the agenda in the department's channel and moves the
// facilitator rotation on.
func (h *handlers) postAgenda(ctx context.Context, t bot.Timer) error {
	s, ref, ok, err := h.current(ctx, t)
	if err != nil || !ok {
		return err
	}
	people, err := h.facilitators(ctx, s)
	if err != nil {
		return err
	}
	msg, err := h.agenda(ctx, s, ref.At, facilitatorAt(people, s.FacilitatorTurn))
	if err != nil {
		return err
	}
	if _, err := h.Chat.Post(ctx, h.department(s.Department).Channel, msg); err != nil {
		return fmt.Errorf("post agenda of sync %d: %w", s.ID, err)
	}
	// A lost race fails the timer, which fires again and re-reads the sync.
	s.FacilitatorTurn++
	if _, err := h.syncs.SaveSyncProgress(ctx, s); err != nil {
		return fmt.Errorf("save facilitator turn of sync %d: %w", s.ID, err)
	}
	return nil
}

// remind announces that the sync starts, then moves it to its next
// occurrence and re-arms both timers.
func (h *handlers) remind(ctx context.Context, t bot.Timer) error {
	s, ref, ok, err := h.current(ctx, t)
	if err != nil || !ok {
		return err
	}
	sched, err := scheduleOf(s)
	if err != nil {
		return err
	}
	people, err := h.facilitators(ctx, s)
	if err != nil {
		return err
	}
	text := fmt.Sprintf("🔔 The %s sync starts now (%s). Facilitator: %s. Agenda: /sync agenda %d · record decisions with /sync notes %d <text…>",
		h.title(s), bot.FormatDuration(s.Duration), mention(facilitatorAt(people, s.FacilitatorTurn-1)), s.ID, s.ID)
	if _, err := h.Chat.Post(ctx, h.department(s.Department).Channel, bot.Message{Text: text}); err != nil {
		return fmt.Errorf("post reminder of sync %d: %w", s.ID, err)
	}
	s.NextAt = sched.Next(ref.At)
	if now := h.Clock.Now(); !s.NextAt.After(now) {
		s.NextAt = sched.Next(now) // after a long outage, resume from now
	}
	if s, err = h.syncs.SaveSyncProgress(ctx, s); err != nil {
		return fmt.Errorf("move sync %d to its next date: %w", s.ID, err)
	}
	return h.arm(ctx, s)
}
