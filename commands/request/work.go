package request

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// closed refuses a change to a request that is done or cancelled.
func closed(r store.ServiceRequest) error {
	if r.Open() {
		return nil
	}
	return bot.Errorf(bot.EConflict, "%s is %s already", label(r), r.Status)
}

func (h *handlers) claim(ctx context.Context, c *bot.Context) error {
	r, svc, err := h.request(ctx, c)
	if err != nil {
		return err
	}
	if err := h.may(ctx, c.User, store.ServiceRequest{ID: r.ID, Service: r.Service}, svc, "claim", false); err != nil {
		return err
	}
	now := h.Clock.Now()
	r, err = h.Store.UpdateRequest(ctx, r.ID, func(u *store.ServiceRequest) error {
		if err := closed(*u); err != nil {
			return err
		}
		if u.ClaimedBy != "" {
			return bot.Errorf(bot.EConflict, "%s is claimed by @%s already", label(*u), u.ClaimedBy)
		}
		u.ClaimedBy, u.ClaimedAt = c.User, now
		return nil
	})
	if err != nil {
		return err
	}
	text := fmt.Sprintf("🙋 @%s claimed %s for @%s, due %s.", c.User, label(r), r.RequestedBy, h.stamp(r.DueAt))
	if err := c.ReplaceClicked(bot.Message{Title: fmt.Sprintf("%s — %s", label(r), svc.Owner), Text: r.Details + "\n" + text}); err != nil {
		h.Log.Warn("cannot replace the claimed request post", "request", r.ID, "err", err)
	}
	h.dm(ctx, []string{r.RequestedBy}, bot.Message{Text: fmt.Sprintf("🙋 @%s took on your %s: %s", c.User, label(r), r.Details)})
	return c.Reply(bot.Message{Text: text, Footer: fmt.Sprintf("/request update %d <note…> · /request done %d [--link URL]", r.ID, r.ID)})
}

func (h *handlers) update(ctx context.Context, c *bot.Context) error {
	r, svc, err := h.request(ctx, c)
	if err != nil {
		return err
	}
	if err := h.may(ctx, c.User, r, svc, "update", false); err != nil {
		return err
	}
	note := c.Args.Text(1)
	now := h.Clock.Now()
	r, err = h.Store.UpdateRequest(ctx, r.ID, func(u *store.ServiceRequest) error {
		if err := closed(*u); err != nil {
			return err
		}
		u.Note, u.NoteAt = note, now
		return nil
	})
	if err != nil {
		return err
	}
	h.dm(ctx, []string{r.RequestedBy}, bot.Message{Text: fmt.Sprintf("🔄 Update on your %s from @%s: %s", label(r), c.User, note)})
	return c.Reply(bot.Message{Text: fmt.Sprintf("🔄 %s updated; @%s has been told: %s", label(r), r.RequestedBy, note)})
}

func (h *handlers) done(ctx context.Context, c *bot.Context) error {
	link := c.Args.Flag("link")
	if c.Args.Has("link") {
		if u, err := url.Parse(link); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return bot.Errorf(bot.EInvalid, "--link %q is not a link: want http(s)://…", link)
		}
	}
	if len(c.Args.Words) > 1 {
		return bot.Errorf(bot.EInvalid, "done takes an id and an optional --link, not %q", c.Args.Text(1))
	}
	r, svc, err := h.request(ctx, c)
	if err != nil {
		return err
	}
	if err := h.may(ctx, c.User, r, svc, "deliver", false); err != nil {
		return err
	}
	now := h.Clock.Now()
	r, err = h.Store.UpdateRequest(ctx, r.ID, func(u *store.ServiceRequest) error {
		if err := closed(*u); err != nil {
			return err
		}
		u.Status, u.DoneAt, u.Link = store.RequestDone, now, link
		if u.ClaimedBy == "" {
			u.ClaimedBy, u.ClaimedAt = c.User, now
		}
		return nil
	})
	if err != nil {
		return err
	}
	h.stopTimers(ctx, r.ID)
	timing := "on time"
	if now.After(r.DueAt) {
		timing = bot.FormatDuration(now.Sub(r.DueAt)) + " late"
	}
	text := fmt.Sprintf("✅ %s delivered by @%s (%s)", label(r), c.User, timing)
	if link != "" {
		text += ": " + link
	}
	h.dm(ctx, []string{r.RequestedBy}, bot.Message{Text: fmt.Sprintf("✅ Your %s is delivered by @%s: %s", label(r), c.User, strings.TrimSpace(link+" "+r.Details))})
	return c.Reply(bot.Message{Text: text})
}

func (h *handlers) cancel(ctx context.Context, c *bot.Context) error {
	r, svc, err := h.request(ctx, c)
	if err != nil {
		return err
	}
	if err := h.may(ctx, c.User, r, svc, "cancel", true); err != nil {
		return err
	}
	reason := c.Args.Text(1)
	now := h.Clock.Now()
	r, err = h.Store.UpdateRequest(ctx, r.ID, func(u *store.ServiceRequest) error {
		if err := closed(*u); err != nil {
			return err
		}
		u.Status, u.DoneAt, u.Reason = store.RequestCancelled, now, reason
		return nil
	})
	if err != nil {
		return err
	}
	h.stopTimers(ctx, r.ID)
	people := slices.DeleteFunc(slices.Compact([]string{r.RequestedBy, r.ClaimedBy}), func(p string) bool { return p == "" || p == c.User })
	h.dm(ctx, people, bot.Message{Text: fmt.Sprintf("🚫 %s was cancelled by @%s: %s", label(r), c.User, reason)})
	return c.Reply(bot.Message{Text: fmt.Sprintf("🚫 %s cancelled: %s. Its slot in the week of %s is free again.", label(r), reason, h.weekLabel(r.Week))})
}

// may lets the claimer, the owner role's holders and the CoE lead act on
// a request, and its requester too when requester is set.
func (h *handlers) may(ctx context.Context, user string, r store.ServiceRequest, svc config.Service, verb string, requester bool) error {
	if user == r.ClaimedBy || h.Config.IsCoELead(user) || requester && user == r.RequestedBy {
		return nil
	}
	held, err := h.Roster().HeldRoles(ctx, user, []string{svc.Owner})
	if err != nil {
		return err
	}
	if len(held) > 0 {
		return nil
	}
	who := "the claimer or a holder of " + svc.Owner
	if requester {
		who = "@" + r.RequestedBy + ", " + who
	}
	return bot.Errorf(bot.EForbidden, "only %s may %s %s", who, verb, label(r))
}

// stopTimers cancels a closed request's reminder and late note. A failure
// is only logged: both check the request's status when they fire.
func (h *handlers) stopTimers(ctx context.Context, id int64) {
	for _, what := range []string{"remind", "late"} {
		if err := h.Scheduler.Cancel(ctx, fmt.Sprintf("request:%d:%s", id, what)); err != nil {
			h.Log.Warn("cannot cancel request timer", "request", id, "timer", what, "err", err)
		}
	}
}
