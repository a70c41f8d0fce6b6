package crisis

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// postBrief posts the room's brief: severity and why, the pre-approved
// holding statement, the spokesperson, the approvers and their quorum, the
// check-in cadence and the commands to use.
func (h *handlers) postBrief(ctx context.Context, cr store.Crisis) (bot.MessageRef, error) {
	msg, err := h.brief(ctx, cr)
	if err != nil {
		return bot.MessageRef{}, err
	}
	ref, err := h.Chat.Post(ctx, cr.RoomID, msg)
	if err != nil {
		return ref, fmt.Errorf("post brief: %w", err)
	}
	return ref, nil
}

func (h *handlers) brief(ctx context.Context, cr store.Crisis) (bot.Message, error) {
	sev, _ := h.Config.Severity(cr.Severity)
	title := fmt.Sprintf("🚨 %s — %s", strings.ToUpper(cr.Severity), cr.Title)
	if cr.Brand != "" {
		title += " (" + cr.Brand + ")"
	}
	spokes, err := h.holdersText(ctx, sev.Spokesperson, cr.Brand)
	if err != nil {
		return bot.Message{}, err
	}
	approvers, err := h.approversText(ctx, sev.Approvers, cr.Brand)
	if err != nil {
		return bot.Message{}, err
	}
	return bot.Message{
		Title: title,
		Text:  "Why " + cr.Severity + ": " + strings.Join(sev.Meaning, "; or "),
		Fields: []bot.Field{
			{Title: "Holding statement (pre-approved)", Value: sev.HoldingStatement},
			{Title: "Spokesperson", Value: spokes},
			{Title: "Approvers", Value: fmt.Sprintf("%s — quorum %d of %d", approvers, sev.Quorum, len(sev.Approvers))},
			{Title: "Check-ins", Value: "every " + bot.FormatDuration(sev.CheckIn) + " until resolved"},
			{Title: "Commands", Value: "/crisis status <update…> · /crisis decide <decision…> · /crisis propose <response…> · /crisis sev <level> · /crisis resolve <summary…>"},
		},
		Footer: fmt.Sprintf("Crisis %s opened by @%s on %s", bot.FormatID(cr.ID), cr.OpenedBy, h.stamp(cr.OpenedAt)),
	}, nil
}

// holdersText names who acts for role on brand, or says nobody does.
func (h *handlers) holdersText(ctx context.Context, role, brand string) (string, error) {
	if role == "" {
		return "none designated", nil
	}
	people, backup, err := h.Roster().Holders(ctx, role, brand)
	if err != nil {
		return "", err
	}
	if len(people) == 0 {
		return fmt.Sprintf("nobody holds %s — assign with /role assign %s @user", role, role), nil
	}
	s := mentions(people) + " (" + role
	if backup {
		s += ", backup"
	}
	return s + ")", nil
}

func (h *handlers) approversText(ctx context.Context, roles []string, brand string) (string, error) {
	parts := make([]string, 0, len(roles))
	for _, role := range roles {
		people, _, err := h.Roster().Holders(ctx, role, brand)
		if err != nil {
			return "", err
		}
		who := "nobody yet"
		if len(people) > 0 {
			who = mentions(people)
		}
		parts = append(parts, role+" ("+who+")")
	}
	return strings.Join(parts, ", "), nil
}

// timerCrisis loads the crisis a timer is about; open is false once it is
// resolved, when the timer has nothing left to do.
func (h *handlers) timerCrisis(ctx context.Context, t bot.Timer) (cr store.Crisis, open bool, err error) {
	var ref crisisRef
	if err := json.Unmarshal([]byte(t.Payload), &ref); err != nil {
		return cr, false, fmt.Errorf("decode timer %s payload: %w", t.Key, err)
	}
	if cr, err = h.crises.Crisis(ctx, ref.CrisisID); err != nil {
		return cr, false, fmt.Errorf("load crisis %d: %w", ref.CrisisID, err)
	}
	return cr, cr.Status == store.CrisisOpen, nil
}
