package syncs

import (
	"context"
	"fmt"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// agenda builds the agenda of s's occurrence at, from the month before it
// up to now, naming facilitator.
func (h *handlers) agenda(ctx context.Context, s store.Sync, at time.Time, facilitator string) (bot.Message, error) {
	sched, err := scheduleOf(s)
	if err != nil {
		return bot.Message{}, err
	}
	dept := h.department(s.Department)
	q := AgendaQuery{SyncID: s.ID, Department: dept, Since: at.AddDate(0, -1, 0), Until: h.Clock.Now(), Location: sched.Location}
	out := []string{fmt.Sprintf("Facilitator: %s (rotates among the %s liaisons and the social team)", mention(facilitator), dept.Name)}
	for i, src := range h.sources {
		sec, err := src.AgendaSection(ctx, q)
		if err != nil {
			// One missing input should not cost the whole agenda.
			h.Log.Warn("agenda section unavailable", "sync", s.ID, "section", sec.Title, "err", err)
			sec.Lines, sec.Empty = nil, "unavailable right now"
		}
		out = append(out, fmt.Sprintf("%d. %s", i+1, sec.Title))
		if len(sec.Lines) == 0 {
			out = append(out, "   — "+sec.Empty)
		}
		for _, l := range sec.Lines {
			out = append(out, "   • "+l)
		}
	}
	out = append(out, fmt.Sprintf("%d. Open floor — record decisions with /sync notes %d <text…>", len(h.sources)+1, s.ID))
	// The overdue issues quote customers: the agenda is outside text, and
	// only the facilitator is called on.
	return bot.Quoting(bot.Message{
		Title:  fmt.Sprintf("Agenda — %s sync, %s (%s)", h.title(s), stamp(at, sched.Location), bot.FormatDuration(s.Duration)),
		Text:   lines(out...),
		Footer: fmt.Sprintf("sync %s · covers %s to now · skip this one with /sync skip %d", bot.FormatID(s.ID), q.Since.In(sched.Location).Format("02 Jan"), s.ID),
	}, facilitator), nil
}

// facilitators lists the sync's rotation.
func (h *handlers) facilitators(ctx context.Context, s store.Sync) ([]string, error) {
	return Facilitators(ctx, h.syncs, h.department(s.Department))
}

func (h *handlers) showAgenda(ctx context.Context, c *bot.Context) error {
	if err := onlyID(c); err != nil {
		return err
	}
	s, err := h.sync(ctx, c.Args.Word(0))
	if err != nil {
		return err
	}
	people, err := h.facilitators(ctx, s)
	if err != nil {
		return err
	}
	// Once the agenda is posted the rotation has moved on to next month's
	// facilitator; the current one is the turn before.
	turn := s.FacilitatorTurn
	if !h.Clock.Now().Before(h.agendaDue(s.NextAt)) {
		turn--
	}
	msg, err := h.agenda(ctx, s, s.NextAt, facilitatorAt(people, turn))
	if err != nil {
		return err
	}
	return c.Private(msg)
}
