package crisis

import (
	"context"
	"fmt"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// checkIn is the durable timer that reminds the room at the severity's
// cadence and names who has not posted a status since the last check-in.
func (h *handlers) checkIn(ctx context.Context, t bot.Timer) error {
	cr, open, err := h.timerCrisis(ctx, t)
	if err != nil || !open || cr.RoomID == "" {
		return err
	}
	since := cr.OpenedAt
	if !cr.LastCheckInAt.IsZero() {
		since = cr.LastCheckInAt
	}
	silent, err := h.silentMembers(ctx, cr, since)
	if err != nil {
		return err
	}
	sev, _ := h.Config.Severity(cr.Severity)
	now := h.Clock.Now()
	next := t.Due.Add(sev.CheckIn)
	if !next.After(now) {
		next = now.Add(sev.CheckIn) // after a long outage, resume the cadence from now
	}
	text := fmt.Sprintf("⏰ Check-in for crisis %s (%s, every %s): ", bot.FormatID(cr.ID), cr.Severity, bot.FormatDuration(sev.CheckIn))
	if len(silent) == 0 {
		text += "everyone has posted a status since the last check-in."
	} else {
		text += fmt.Sprintf("no status since %s from %s. Post one with /crisis status <update…>.", h.stamp(since), mentions(silent))
	}
	text += " Next check-in " + h.stamp(next) + "."
	if _, err := h.Chat.Post(ctx, cr.RoomID, bot.Message{Text: text}); err != nil {
		return fmt.Errorf("post check-in: %w", err)
	}
	// The next check-in is armed with the write that records this one, and
	// only while the crisis is open at the same severity: a resolve cancels
	// the check-in, a sev arms its own.
	_, err = h.change(ctx, cr.ID, func(cur store.Crisis) (store.CrisisUpdate, error) {
		if cur.Status != store.CrisisOpen || cur.Severity != cr.Severity {
			return store.CrisisUpdate{}, errNoChange
		}
		cur.LastCheckInAt = now
		return store.CrisisUpdate{Crisis: cur, Schedule: []bot.Timer{checkInTimer(cur.ID, next)}}, nil
	})
	if err != nil {
		return fmt.Errorf("save check-in of crisis %d: %w", cr.ID, err)
	}
	return nil
}

// silentMembers lists room members without a status entry after since.
func (h *handlers) silentMembers(ctx context.Context, cr store.Crisis, since time.Time) ([]string, error) {
	members, err := h.crises.CrisisMembers(ctx, cr.ID)
	if err != nil {
		return nil, fmt.Errorf("list members of crisis %d: %w", cr.ID, err)
	}
	entries, err := h.crises.Timeline(ctx, cr.ID)
	if err != nil {
		return nil, fmt.Errorf("timeline of crisis %d: %w", cr.ID, err)
	}
	posted := map[string]bool{}
	for _, e := range entries {
		if e.Kind == "status" && !e.At.Before(since) {
			posted[e.Actor] = true
		}
	}
	var silent []string
	for _, p := range memberPeople(members) {
		if !posted[p] {
			silent = append(silent, p)
		}
	}
	return silent, nil
}
