package crisis

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

func (h *handlers) status(ctx context.Context, c *bot.Context) error {
	cr, err := h.roomCrisis(ctx, c)
	if err != nil {
		return err
	}
	text := c.Args.Text(0)
	if err := h.timeline(ctx, cr, c.User, "status", text); err != nil {
		return err
	}
	return c.Replyf("🟡 Status %s @%s: %s", h.stamp(h.Clock.Now()), c.User, text)
}

func (h *handlers) decide(ctx context.Context, c *bot.Context) error {
	cr, err := h.roomCrisis(ctx, c)
	if err != nil {
		return err
	}
	text := c.Args.Text(0)
	d, err := h.crises.AppendDecision(ctx, store.Decision{
		Kind: store.KindDecision, Text: text, Actor: c.User, Brand: cr.Brand, CrisisID: cr.ID,
		Ref: fmt.Sprintf("crisis:%d", cr.ID), At: h.Clock.Now(),
	})
	if err != nil {
		return fmt.Errorf("record crisis decision: %w", err)
	}
	reply := fmt.Sprintf("📝 Decision %s recorded by @%s: %s", bot.FormatID(d.ID), c.User, text)
	if err := h.timeline(ctx, cr, c.User, "decision", fmt.Sprintf("decision %s: %s", bot.FormatID(d.ID), text)); err != nil {
		if !bot.IsCode(err, bot.EConflict) || errors.Is(err, store.ErrStale) {
			return err
		}
		// Resolved meanwhile: the decision is logged, the closed timeline
		// stays closed.
		reply += fmt.Sprintf(" (crisis %s was resolved meanwhile: it is in the decision log, not the timeline)", bot.FormatID(cr.ID))
	}
	return c.Reply(bot.Message{Text: reply})
}

func (h *handlers) sev(ctx context.Context, c *bot.Context) error {
	cr, err := h.roomCrisis(ctx, c)
	if err != nil {
		return err
	}
	level, sev, err := h.severity(c.Args.Word(0))
	if err != nil {
		return err
	}
	member, err := h.isMember(ctx, cr.ID, c.User)
	if err != nil {
		return err
	}
	if err := h.Access.Check(ctx, "crisis.sev", c.User, bot.Facts{RoomMember: member}); err != nil {
		return err
	}
	// The severity, its timeline entry and the next check-in (at the new
	// cadence, from now) are one version-checked write: a sev that races
	// with a resolve either lands before it or is refused, and never leaves
	// a check-in behind.
	var from string
	cr, err = h.change(ctx, cr.ID, func(cur store.Crisis) (store.CrisisUpdate, error) {
		if err := mustBeOpen(cur); err != nil {
			return store.CrisisUpdate{}, err
		}
		if level == cur.Severity {
			return store.CrisisUpdate{}, bot.Errorf(bot.EConflict, "crisis %s is already %s", bot.FormatID(cur.ID), level)
		}
		from, cur.Severity = cur.Severity, level
		return store.CrisisUpdate{
			Crisis:   cur,
			Timeline: []store.TimelineEntry{h.entry(c.User, "sev", fmt.Sprintf("re-classified %s → %s", from, level))},
			Schedule: []bot.Timer{checkInTimer(cur.ID, h.Clock.Now().Add(sev.CheckIn))},
		}, nil
	})
	if err != nil {
		return fmt.Errorf("re-classify crisis: %w", err)
	}
	added, missing, err := h.inviteNewRoles(ctx, cr, level)
	if err != nil {
		return err
	}
	if err := h.Chat.SetTopic(ctx, cr.RoomID, h.topic(cr)); err != nil {
		h.Log.Warn("cannot update crisis topic", "crisis", cr.ID, "err", err)
	}
	m := bot.Message{Text: fmt.Sprintf("⚠ @%s re-classified crisis %s: %s → %s. Check-ins now every %s; approvals need %d of %s.",
		c.User, bot.FormatID(cr.ID), from, level, bot.FormatDuration(sev.CheckIn), sev.Quorum, strings.Join(sev.Approvers, ", "))}
	if len(added) > 0 {
		m.Fields = append(m.Fields, bot.Field{Title: "Invited", Value: mentions(added)})
	}
	if len(missing) > 0 {
		m.Fields = append(m.Fields, bot.Field{Title: "No holder", Value: strings.Join(missing, ", ")})
	}
	return c.Reply(m)
}

// inviteNewRoles invites the holders of roles that level adds and who are
// not in the room yet.
func (h *handlers) inviteNewRoles(ctx context.Context, cr store.Crisis, level string) (added, missing []string, err error) {
	wanted, missing, err := h.roleMembers(ctx, level, cr.Brand)
	if err != nil {
		return nil, nil, err
	}
	current, err := h.crises.CrisisMembers(ctx, cr.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("list members of crisis %d: %w", cr.ID, err)
	}
	in := map[string]bool{}
	for _, m := range current {
		in[m.Person] = true
	}
	var fresh []store.CrisisMember
	for _, m := range wanted {
		if !in[m.Person] {
			in[m.Person] = true
			m.InvitedAt = h.Clock.Now()
			fresh = append(fresh, m)
		}
	}
	if len(fresh) == 0 {
		return nil, missing, nil
	}
	people := memberPeople(fresh)
	if err := h.Chat.Invite(ctx, cr.RoomID, people); err != nil && !isUnknownPeople(err) {
		return nil, nil, fmt.Errorf("invite new roles: %w", err)
	}
	if err := h.crises.AddCrisisMembers(ctx, cr.ID, fresh); err != nil {
		return nil, nil, fmt.Errorf("record members: %w", err)
	}
	return people, missing, nil
}
