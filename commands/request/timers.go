package request

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// errNothingToDo stops a timer whose request was closed, or whose work was
// done already (by another replica, or before a retry).
var errNothingToDo = errors.New("nothing to do")

// due loads a timer's request and marks it with set while it is still
// open; ok is false when there is nothing left to do. Marking before
// telling anyone makes the timer's message go out once.
func (h *handlers) due(ctx context.Context, t bot.Timer, set func(*store.ServiceRequest, time.Time) bool) (r store.ServiceRequest, ok bool, err error) {
	var ref struct {
		Request int64 `json:"request"`
	}
	if err := json.Unmarshal([]byte(t.Payload), &ref); err != nil {
		return r, false, fmt.Errorf("decode timer %s: %w", t.Key, err)
	}
	now := h.Clock.Now()
	r, err = h.Store.UpdateRequest(ctx, ref.Request, func(u *store.ServiceRequest) error {
		if !u.Open() || !set(u, now) {
			return errNothingToDo
		}
		return nil
	})
	switch {
	case errors.Is(err, errNothingToDo), bot.IsCode(err, bot.ENotFound):
		return r, false, nil
	case err != nil:
		return r, false, fmt.Errorf("mark request %d: %w", ref.Request, err)
	}
	return r, true, nil
}

// remind tells the claimer, or else the owner role in the service's
// channel, a business day before the due date.
func (h *handlers) remind(ctx context.Context, t bot.Timer) error {
	r, ok, err := h.due(ctx, t, func(u *store.ServiceRequest, now time.Time) bool {
		if !u.RemindedAt.IsZero() || !now.Before(u.DueAt) {
			return false // reminded already, or so late that the late note says it all
		}
		u.RemindedAt = now
		return true
	})
	if err != nil || !ok {
		return err
	}
	text := fmt.Sprintf("⏰ Reminder: %s for @%s is due %s (in %s): %s", label(r), r.RequestedBy, h.stamp(r.DueAt),
		bot.FormatDuration(r.DueAt.Sub(h.Clock.Now())), r.Details)
	if r.ClaimedBy != "" {
		h.dm(ctx, []string{r.ClaimedBy}, bot.Message{Text: text, Footer: fmt.Sprintf("/request update %d <note…> · /request done %d [--link URL]", r.ID, r.ID)})
		return nil
	}
	svc := h.service(r)
	owners, _, err := h.Roster().Holders(ctx, svc.Owner, r.Fields["brand"])
	if err != nil {
		return err
	}
	m := bot.Message{Text: fmt.Sprintf("%s\nNobody has claimed it yet, %s (%s).", text, svc.Owner, mentions(owners)), Notify: owners,
		Buttons: []bot.Button{{Label: "Claim", Command: fmt.Sprintf("/request claim %d", r.ID), Style: bot.StylePrimary}}}
	if _, err := h.Chat.Post(ctx, svc.Channel, m); err != nil {
		h.Log.Warn("cannot post request reminder", "request", r.ID, "err", err)
	}
	return nil
}

// late tells the social lead, in the social channel, that a request passed
// its due date undelivered.
func (h *handlers) late(ctx context.Context, t bot.Timer) error {
	r, ok, err := h.due(ctx, t, func(u *store.ServiceRequest, now time.Time) bool {
		if !u.LateAt.IsZero() {
			return false
		}
		u.LateAt = now
		return true
	})
	if err != nil || !ok {
		return err
	}
	leads, _, err := h.Roster().Holders(ctx, socialLead, r.Fields["brand"])
	if err != nil {
		return err
	}
	who := "nobody has claimed it"
	if r.ClaimedBy != "" {
		who = "claimed by @" + r.ClaimedBy
	}
	m := bot.Message{
		Text: fmt.Sprintf("🚨 %s: %s for @%s is late — it was due %s and is not delivered (%s): %s",
			mentions(leads), label(r), r.RequestedBy, h.stamp(r.DueAt), who, r.Details),
		Footer: "/request list --late",
		Notify: leads,
	}
	if _, err := h.Chat.Post(ctx, h.Config.Channels.Social, m); err != nil {
		h.Log.Warn("cannot post late request note", "request", r.ID, "err", err)
	}
	return nil
}
