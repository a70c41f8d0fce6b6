package alerts

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// Delivery works off the outbox. Every change that needs a chat message
// queues it in the same transaction as the change, together with a
// delivery timer; the change's author then delivers at once, and the timer
// retries with back-off whatever is still queued (the chat platform was
// down, the process died). A claim on the queued messages keeps two
// deliverers from sending the same message at once.

// deliverNow delivers the alert's queued messages; a failure is left to
// the delivery timer.
func (l *Listener) deliverNow(ctx context.Context, alertID int64) {
	if _, err := l.deliver(ctx, alertID); err != nil {
		l.Log.Warn("alert delivery failed; it stays in the outbox and will be retried", "alert", alertID, "err", err)
	}
}

// deliverTimer retries queued messages until none is left.
func (l *Listener) deliverTimer(ctx context.Context, t bot.Timer) error {
	var ref alertRef
	if err := decode(t, &ref); err != nil {
		return err
	}
	busy, err := l.deliver(ctx, ref.AlertID)
	if err != nil {
		return err
	}
	if busy {
		// Someone else holds some messages; look again later in case they
		// give up.
		return fmt.Errorf("alert %d: deliveries held by another deliverer", ref.AlertID)
	}
	return nil
}

// deliver sends the alert's queued messages that nobody else holds; card
// messages wait while another deliverer holds any of the alert's messages,
// so that the card is posted once and edited in order. The card is
// rendered from the alert as it is now, so messages queued during an
// outage become one post or edit showing the latest state.
func (l *Listener) deliver(ctx context.Context, alertID int64) (busy bool, err error) {
	queued, busy, err := l.Store.ClaimAlertDeliveries(ctx, alertID, l.Clock.Now(), deliveryLease)
	if err != nil || len(queued) == 0 {
		return busy, err
	}
	a, err := l.Store.ListeningAlert(ctx, alertID)
	if err != nil {
		return busy, l.fail(ctx, queued, fmt.Errorf("load alert %d: %w", alertID, err))
	}
	return busy, l.deliverClaimed(ctx, a, queued, busy)
}

// deliverClaimed sends the claimed deliveries queued of alert a, as it is
// now; busy tells that another deliverer holds some of its messages.
func (l *Listener) deliverClaimed(ctx context.Context, a store.ListeningAlert, queued []store.AlertDelivery, busy bool) error {
	var cards, crises []store.AlertDelivery
	for _, d := range queued {
		if d.Kind == store.DeliverCrisis {
			crises = append(crises, d)
		} else {
			cards = append(cards, d)
		}
	}
	var errs []error
	switch {
	case len(cards) > 0 && busy:
		// Another deliverer is posting or editing this alert's card (the
		// first post, perhaps, whose ref is not recorded yet): sending ours
		// now would post a second card or overwrite a newer edit. Put them
		// back; the delivery timer sends them once the other is done.
		if err := l.Store.FailAlertDeliveries(ctx, ids(cards), "waiting for another deliverer of this alert"); err != nil {
			errs = append(errs, err)
		}
	case len(cards) > 0:
		errs = append(errs, l.settle(ctx, a, cards, func() (bot.MessageRef, error) { return l.sendCard(ctx, a, cards) }))
	}
	for _, d := range crises {
		errs = append(errs, l.settle(ctx, a, []store.AlertDelivery{d}, func() (bot.MessageRef, error) {
			return bot.MessageRef{}, l.openCrisis(ctx, a, d)
		}))
	}
	return errors.Join(errs...)
}

// settle runs one chat operation for deliveries and records the outcome.
func (l *Listener) settle(ctx context.Context, a store.ListeningAlert, ds []store.AlertDelivery, send func() (bot.MessageRef, error)) error {
	ref, err := send()
	if err != nil {
		return l.fail(ctx, ds, err)
	}
	if err := l.Store.CompleteAlertDeliveries(ctx, a.ID, ids(ds), ref, l.Clock.Now()); err != nil {
		// The message went out; it may go out again after the lease.
		return fmt.Errorf("record delivery of alert %d: %w", a.ID, err)
	}
	return nil
}

func (l *Listener) fail(ctx context.Context, ds []store.AlertDelivery, cause error) error {
	if err := l.Store.FailAlertDeliveries(ctx, ids(ds), cause.Error()); err != nil {
		return errors.Join(cause, err)
	}
	return cause
}

func ids(ds []store.AlertDelivery) []int64 {
	out := make([]int64, len(ds))
	for i, d := range ds {
		out[i] = d.ID
	}
	return out
}

// sendCard posts the card (first alert, repeat, or no card posted yet) or
// brings the posted one up to date: edited in place where the platform
// can, else as a short update that names the alert. It returns the ref of
// a new post.
func (l *Listener) sendCard(ctx context.Context, a store.ListeningAlert, ds []store.AlertDelivery) (bot.MessageRef, error) {
	notify := slices.ContainsFunc(ds, func(d store.AlertDelivery) bool { return d.Kind == store.DeliverNotify })
	channel := l.Config.Channels.Listening
	if notify || a.MessageID == "" {
		ref, err := l.Chat.Post(ctx, channel, l.card(a))
		if err != nil {
			return ref, fmt.Errorf("post alert %d to %s: %w", a.ID, channel, err)
		}
		return ref, nil
	}
	if up, ok := l.Chat.(bot.Updater); ok {
		ref := bot.MessageRef{Channel: a.MessageChannel, ID: a.MessageID}
		if err := up.Update(ctx, ref, l.card(a)); err != nil {
			return bot.MessageRef{}, fmt.Errorf("update alert %d card: %w", a.ID, err)
		}
		return bot.MessageRef{}, nil
	}
	if _, err := l.Chat.Post(ctx, channel, l.updateNote(a)); err != nil {
		return bot.MessageRef{}, fmt.Errorf("post update of alert %d to %s: %w", a.ID, channel, err)
	}
	return bot.MessageRef{}, nil
}
