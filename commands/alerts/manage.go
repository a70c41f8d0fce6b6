package alerts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

func (l *Listener) list(ctx context.Context, c *bot.Context) error {
	as, err := l.Store.ListListeningAlerts(ctx, false, 0)
	if err != nil {
		return fmt.Errorf("list alerts: %w", err)
	}
	if len(as) == 0 {
		return c.Privatef("No active listening alerts.")
	}
	lines := []string{fmt.Sprintf("Active listening alerts (%d):", len(as))}
	for _, a := range as {
		lines = append(lines, fmt.Sprintf("  %s %s %s — %s mentions, %.1f× baseline · %s",
			bot.FormatID(a.ID), a.PeakSeverity, l.group(a), count(a.Mentions), a.Multiple, l.status(a)))
	}
	return c.Private(bot.Message{Text: strings.Join(lines, "\n")})
}

func (l *Listener) ack(ctx context.Context, c *bot.Context) error {
	id, err := bot.ParseID(c.Args.Word(0))
	if err != nil {
		return err
	}
	now := l.Clock.Now()
	_, err = l.change(ctx, id, func(a *store.ListeningAlert) (store.AlertChange, error) {
		if a.AckedBy != "" {
			return store.AlertChange{}, bot.Errorf(bot.EConflict, "alert %s was acknowledged by @%s at %s", bot.FormatID(id), a.AckedBy, l.clock(a.AckedAt))
		}
		a.AckedBy, a.AckedAt, a.UpdatedAt = c.User, now, now
		return l.cardChange(a, now), nil
	})
	if err != nil {
		return err
	}
	return c.Replyf("✔ Alert %s acknowledged by @%s: no more repeat notifications; the card keeps updating until it resolves.", bot.FormatID(id), c.User)
}

func (l *Listener) snooze(ctx context.Context, c *bot.Context) error {
	id, err := bot.ParseID(c.Args.Word(0))
	if err != nil {
		return err
	}
	d, err := bot.ParseDuration(c.Args.Word(1))
	if err != nil {
		return err
	}
	// d <= 0 guards against a duration that overflowed ("1e10d").
	if d <= 0 || d > maxSnooze {
		return bot.Errorf(bot.EInvalid, "snooze for at most %s", bot.FormatDuration(maxSnooze))
	}
	now := l.Clock.Now()
	until := now.Add(d)
	_, err = l.change(ctx, id, func(a *store.ListeningAlert) (store.AlertChange, error) {
		a.SnoozedBy, a.SnoozedUntil, a.UpdatedAt = c.User, until, now
		ch := l.cardChange(a, now)
		ch.Timers = func(a store.ListeningAlert) []bot.Timer {
			return []bot.Timer{deliverTimer(a, now), repeatTimer(a, until)}
		}
		return ch, nil
	})
	if err != nil {
		return err
	}
	return c.Replyf("💤 Alert %s snoozed by @%s until %s (%s): no repeat notification until then.",
		bot.FormatID(id), c.User, l.clock(until), bot.FormatDuration(d))
}

// cardChange saves a and brings its card up to date.
func (l *Listener) cardChange(a *store.ListeningAlert, now time.Time) store.AlertChange {
	return store.AlertChange{
		Alert: a, Deliveries: []string{store.DeliverUpdate}, At: now,
		Timers: func(a store.ListeningAlert) []bot.Timer { return []bot.Timer{deliverTimer(a, now)} },
	}
}

// change applies edit to active alert id, reading it again when another
// change got there first, and delivers what the change queued.
func (l *Listener) change(ctx context.Context, id int64, edit func(a *store.ListeningAlert) (store.AlertChange, error)) (store.ListeningAlert, error) {
	var err error
	for range changeAttempts {
		var a store.ListeningAlert
		a, err = l.Store.ListeningAlert(ctx, id)
		if err != nil {
			return a, err
		}
		if a.Status != store.AlertActive {
			return a, bot.Errorf(bot.EConflict, "alert %s is resolved already", bot.FormatID(id))
		}
		ch, err := edit(&a)
		if err != nil {
			return a, err
		}
		a, err = l.Store.ApplyAlertChange(ctx, ch)
		if bot.IsCode(err, bot.EConflict) {
			continue
		}
		if err != nil {
			return a, fmt.Errorf("change alert %d: %w", id, err)
		}
		if len(ch.Deliveries) > 0 {
			l.deliverNow(ctx, a.ID)
		}
		return a, nil
	}
	// %v, not %w: giving up is not the sender's conflict to resolve.
	return store.ListeningAlert{}, fmt.Errorf("change alert %d: still conflicting after %d attempts: %v", id, changeAttempts, err)
}

// errAcknowledged stops a repeat that raced with an acknowledgement.
var errAcknowledged = errors.New("alert acknowledged")

// repeatTimer re-notifies an alert that is still active and nobody has
// acknowledged, every listening.repeat_interval; a snooze defers it.
func (l *Listener) repeatTimer(ctx context.Context, t bot.Timer) error {
	var ref alertRef
	if err := decode(t, &ref); err != nil {
		return err
	}
	a, err := l.Store.ListeningAlert(ctx, ref.AlertID)
	switch {
	case bot.IsCode(err, bot.ENotFound):
		return nil
	case err != nil:
		return err
	case a.Status != store.AlertActive || a.AckedBy != "":
		return nil
	}
	now := l.Clock.Now()
	if now.Before(a.SnoozedUntil) {
		return l.Scheduler.Schedule(ctx, timerRepeat, repeatKey(a.ID), a.SnoozedUntil, alertRef{a.ID})
	}
	next := now.Add(l.Config.Listening.RepeatInterval)
	_, err = l.change(ctx, a.ID, func(a *store.ListeningAlert) (store.AlertChange, error) {
		if a.AckedBy != "" {
			return store.AlertChange{}, errAcknowledged
		}
		return store.AlertChange{Alert: a, Deliveries: []string{store.DeliverNotify}, At: now,
			Timers: func(a store.ListeningAlert) []bot.Timer {
				return []bot.Timer{deliverTimer(a, now), repeatTimer(a, next)}
			}}, nil
	})
	if errors.Is(err, errAcknowledged) || bot.IsCode(err, bot.EConflict) {
		// Acknowledged or resolved meanwhile: nothing more to repeat.
		return nil
	}
	return err
}
