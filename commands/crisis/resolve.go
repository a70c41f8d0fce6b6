package crisis

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/privacy"
	"github.com/interlock-coe/interlock/store"
)

func (h *handlers) resolve(ctx context.Context, c *bot.Context) error {
	cr, err := h.roomCrisis(ctx, c)
	if err != nil {
		return err
	}
	member, err := h.isMember(ctx, cr.ID, c.User)
	if err != nil {
		return err
	}
	if err := h.Access.Check(ctx, "crisis.resolve", c.User, bot.Facts{RoomMember: member}); err != nil {
		return err
	}
	// One version-checked write resolves the crisis, records it and stops
	// its timers: of two resolves (or a resolve and a sev) at once, the
	// loser reads the crisis again and is told it is already resolved.
	now, text := h.Clock.Now(), c.Args.Text(0)
	cr, err = h.change(ctx, cr.ID, func(cur store.Crisis) (store.CrisisUpdate, error) {
		if err := mustBeOpen(cur); err != nil {
			return store.CrisisUpdate{}, err
		}
		cur.Status, cur.ResolvedAt, cur.ResolvedBy, cur.Summary = store.CrisisResolved, now, c.User, text
		return store.CrisisUpdate{
			Crisis:   cur,
			Timeline: []store.TimelineEntry{h.entry(c.User, "resolved", "resolved: "+text)},
			Decisions: []store.Decision{{
				Kind: store.KindCrisis, Text: fmt.Sprintf("crisis %s resolved: %s", bot.FormatID(cur.ID), text),
				Actor: c.User, Brand: cur.Brand, CrisisID: cur.ID, Ref: fmt.Sprintf("crisis:%d", cur.ID), At: now,
			}},
			Cancel: []string{checkInKey(cur.ID), resumeKey(cur.ID)},
		}, nil
	})
	if err != nil {
		return fmt.Errorf("resolve crisis: %w", err)
	}
	summary, err := h.summary(ctx, cr)
	if err != nil {
		return err
	}
	if err := c.Reply(summary); err != nil {
		return err
	}
	if ch := h.Config.Channels.Crisis; ch != "" && ch != c.Channel {
		// The channel is not the room: it learns the outcome, not the summary.
		if _, err := h.Chat.Post(ctx, ch, h.resolvedNotice(cr)); err != nil {
			h.Log.Warn("cannot post crisis summary to the crisis channel", "channel", ch, "err", err)
		}
	}
	return nil
}

// summary rebuilds the post-incident summary from the store.
func (h *handlers) summary(ctx context.Context, cr store.Crisis) (bot.Message, error) {
	entries, err := h.crises.Timeline(ctx, cr.ID)
	if err != nil {
		return bot.Message{}, fmt.Errorf("timeline of crisis %d: %w", cr.ID, err)
	}
	decisions, err := h.crises.ListDecisions(ctx, store.DecisionQuery{CrisisID: cr.ID, Kind: store.KindDecision, Limit: 100})
	if err != nil {
		return bot.Message{}, fmt.Errorf("decisions of crisis %d: %w", cr.ID, err)
	}
	end := cr.ResolvedAt
	if end.IsZero() {
		end = h.Clock.Now()
	}
	m := bot.Message{
		Title: fmt.Sprintf("✅ Crisis %s resolved — %s %s", bot.FormatID(cr.ID), cr.Severity, cr.Title),
		Text:  cr.Summary,
		Fields: []bot.Field{
			{Title: "Duration", Value: fmt.Sprintf("%s (%s → %s)", bot.FormatDuration(end.Sub(cr.OpenedAt)), h.stamp(cr.OpenedAt), h.stamp(end))},
			{Title: "Time to assemble", Value: since(cr.OpenedAt, cr.AssembledAt, "not everyone was invited")},
			{Title: "Time to first status", Value: since(cr.OpenedAt, cr.FirstStatusAt, "no status was posted")},
			{Title: "Time to first approved response", Value: since(cr.OpenedAt, cr.FirstApprovedAt, "no response was approved")},
		},
	}
	var ds []string
	for i := len(decisions) - 1; i >= 0; i-- { // oldest first
		d := decisions[i]
		ds = append(ds, fmt.Sprintf("%s %s @%s: %s", bot.FormatID(d.ID), h.stamp(d.At), d.Actor, d.Text))
	}
	if len(ds) == 0 {
		ds = []string{"none recorded"}
	}
	m.Fields = append(m.Fields, bot.Field{Title: "Decisions", Value: strings.Join(ds, "\n    ")})
	var tl []string
	for _, e := range entries {
		tl = append(tl, fmt.Sprintf("%s @%s %s", h.stamp(e.At), e.Actor, timelineText(e)))
	}
	m.Fields = append(m.Fields, bot.Field{Title: "Timeline", Value: strings.Join(tl, "\n    ")})
	return m, nil
}

// resolvedNotice announces a resolution to people outside the room: what
// privacy lets everyone see, and where the summary is.
func (h *handlers) resolvedNotice(cr store.Crisis) bot.Message {
	text := fmt.Sprintf("✅ Crisis %s resolved — %s %s%s after %s.", bot.FormatID(cr.ID), cr.Severity, privacy.Title(cr, false),
		inBrand(cr.Brand), bot.FormatDuration(cr.ResolvedAt.Sub(cr.OpenedAt)))
	return bot.Message{Text: text + " The summary is in the crisis room."}
}

func inBrand(brand string) string {
	if brand == "" {
		return ""
	}
	return " (" + brand + ")"
}

func timelineText(e store.TimelineEntry) string {
	if e.Kind == "status" {
		return "status: " + e.Text
	}
	return e.Text
}

func since(start, t time.Time, none string) string {
	if t.IsZero() {
		return none
	}
	return bot.FormatDuration(t.Sub(start))
}

func (h *handlers) list(ctx context.Context, c *bot.Context) error {
	viewer := h.privacy.Viewer(c.User)
	all := c.Args.Has("all")
	crises, err := h.crises.ListCrises(ctx, all)
	if err != nil {
		return fmt.Errorf("list crises: %w", err)
	}
	if len(crises) == 0 {
		if all {
			return c.Privatef("No crises recorded.")
		}
		return c.Privatef("No open crises. (/crisis list --all shows resolved ones.)")
	}
	lines := []string{"Crises:"}
	for _, cr := range crises {
		sees, err := viewer.Sees(ctx, cr.ID)
		if err != nil {
			return err
		}
		line, err := h.listLine(ctx, cr, sees)
		if err != nil {
			return err
		}
		lines = append(lines, "  "+line)
	}
	return c.Private(bot.Message{Text: strings.Join(lines, "\n")})
}

// listLine shows one crisis; to someone who does not see inside it (sees
// is false), only what privacy allows: no room, no pending steps.
func (h *handlers) listLine(ctx context.Context, cr store.Crisis, sees bool) (string, error) {
	line := fmt.Sprintf("%s %s %s%s", bot.FormatID(cr.ID), cr.Severity, privacy.Title(cr, sees), inBrand(cr.Brand))
	if sees && cr.RoomName != "" {
		line += " — #" + cr.RoomName
	}
	if cr.Status == store.CrisisOpen {
		line += " — open " + bot.FormatDuration(h.Clock.Now().Sub(cr.OpenedAt))
	} else {
		line += " — resolved " + h.stamp(cr.ResolvedAt)
	}
	if !sees {
		return line + " — private", nil
	}
	steps, err := h.crises.CrisisSteps(ctx, cr.ID)
	if err != nil {
		return "", fmt.Errorf("steps of crisis %d: %w", cr.ID, err)
	}
	var pending []string
	for _, s := range steps {
		if !s.Done && cr.Status == store.CrisisOpen {
			p := s.Name
			if s.LastError != "" {
				p += " (" + s.LastError + ")"
			}
			pending = append(pending, p)
		}
	}
	if len(pending) > 0 {
		line += " — pending steps: " + strings.Join(pending, "; ")
	}
	return line, nil
}
