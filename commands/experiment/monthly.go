package experiment

import (
	"context"
	"fmt"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// monthlyPick is the durable timer that picks the month's test: the
// top-voted proposal, owned by the brand whose turn it is, announced to
// every brand. It does nothing when a test was already picked by hand since
// the previous monthly pick, and re-arms itself for next month either way.
func (h *handlers) monthlyPick(ctx context.Context, t bot.Timer) error {
	msg, err := h.pickOfTheMonth(ctx, t.Due)
	if err != nil {
		return err
	}
	if msg != nil {
		if _, err := h.Chat.Post(ctx, h.Config.Channels.Announce, *msg); err != nil {
			return fmt.Errorf("announce monthly pick: %w", err)
		}
	}
	next := h.nextPick(t.Due)
	if now := h.Clock.Now(); !next.After(now) {
		next = h.nextPick(now) // after a long outage, resume from now
	}
	return h.schedulePick(ctx, next)
}

// pickOfTheMonth picks the month's test and returns the announcement, or
// nil when there is nothing to announce.
func (h *handlers) pickOfTheMonth(ctx context.Context, due time.Time) (*bot.Message, error) {
	earlier, byHand, err := h.recentPicks(ctx, due)
	switch {
	case err != nil:
		return nil, err
	case earlier != nil:
		// This timer picked it on an earlier attempt whose announcement
		// failed: announce it again rather than pick a second test.
		return announcement(*earlier), nil
	case byHand != nil:
		h.Log.Info("monthly test pick skipped: a test was picked by hand this month", "test", byHand.ID)
		return nil, nil
	}
	e, err := h.topProposal(ctx)
	if bot.IsCode(err, bot.EConflict) {
		return &bot.Message{Text: "🧪 Monthly test pick: nothing is proposed. Add ideas to the shared sheet with /test propose <title…>."}, nil
	}
	if err != nil {
		return nil, err
	}
	picked, err := h.assign(ctx, e, scheduledBy)
	if err != nil {
		return nil, err
	}
	return announcement(picked), nil
}

func announcement(e store.Experiment) *bot.Message {
	msg := pickedMessage(e)
	msg.Title = "Monthly test pick"
	return &msg
}

// recentPicks finds a test this firing (due) already picked on an earlier
// attempt, and a test picked by hand since the previous monthly pick.
func (h *handlers) recentPicks(ctx context.Context, due time.Time) (earlier, byHand *store.Experiment, err error) {
	es, err := h.sheet.ListExperiments(ctx, "")
	if err != nil {
		return nil, nil, fmt.Errorf("list tests: %w", err)
	}
	// The previous pick was at the same local time a month earlier; in UTC
	// it is an hour off when daylight saving changed in between.
	previous := due.In(h.location()).AddDate(0, -1, 0)
	for i := range es {
		e := &es[i]
		switch {
		case e.PickedAt.IsZero():
		case e.PickedBy == scheduledBy && !e.PickedAt.Before(due):
			earlier = e
		case e.PickedBy != scheduledBy && e.PickedAt.After(previous):
			byHand = e
		}
	}
	return earlier, byHand, nil
}
