package crisis

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/alerts/evidence"
	"github.com/interlock-coe/interlock/config"
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
	msg := bot.Message{
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
	}
	return h.withEvidence(ctx, cr, msg, sev)
}

// withEvidence adds the evidence of the listening alert the crisis was
// opened for (by the alert's button or automatically: same brand, title
// "<Brand> <topic> mentions spike"). The evidence quotes outside posts, so
// the brief is then marked Outside, addressed to the people it names.
func (h *handlers) withEvidence(ctx context.Context, cr store.Crisis, msg bot.Message, sev config.Severity) (bot.Message, error) {
	if cr.Brand == "" || !strings.HasSuffix(cr.Title, "mentions spike") {
		return msg, nil
	}
	as, err := h.Store.ListListeningAlerts(ctx, false, 0)
	if err != nil {
		h.Log.Warn("brief without listening evidence", "crisis", cr.ID, "err", err)
		return msg, nil
	}
	title := strings.ToLower(cr.Title)
	for _, a := range as {
		if a.Brand != strings.ToLower(cr.Brand) || a.Evidence == nil || !strings.Contains(title, strings.ToLower(a.Topic)) {
			continue
		}
		msg.Fields = append(msg.Fields, bot.Field{
			Title: fmt.Sprintf("Listening evidence (alert %s)", bot.FormatID(a.ID)),
			Value: strings.Join(evidence.Lines(a.Evidence), "\n"),
		})
		var notify []string
		for _, role := range append([]string{sev.Spokesperson}, sev.Approvers...) {
			if role == "" {
				continue
			}
			people, _, err := h.Roster().Holders(ctx, role, cr.Brand)
			if err != nil {
				return msg, err
			}
			notify = append(notify, people...)
		}
		return bot.Quoting(msg, notify...), nil
	}
	return msg, nil
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
