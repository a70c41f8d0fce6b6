// Package decision implements /decision and /decisions: recording decisions
// in the append-only log and searching it.
package decision

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/privacy"
	"github.com/interlock-coe/interlock/store"
)

type handlers struct{ commands.Deps }

// Register adds /decision and /decisions to r.
func Register(r *bot.Router, d commands.Deps) {
	h := handlers{d}
	r.Register(
		bot.Command{
			Group: "decision", Args: "<text…> [--context C]",
			Summary:  "Record a decision in the append-only decision log",
			Examples: []string{"/decision Pause paid social for 48h --context checkout outage"},
			Options:  []string{"context"}, MinWords: 1, Handler: h.record,
		},
		bot.Command{
			Group: "decisions", Args: "[search…] [--since 30d]",
			Summary:  "Search the decision log, newest first",
			Examples: []string{"/decisions", "/decisions paid social --since 7d"},
			Options:  []string{"since"}, Handler: h.search,
		},
	)
}

func (h handlers) record(ctx context.Context, c *bot.Context) error {
	text := strings.TrimSpace(c.Args.Text(0))
	if text == "" {
		return bot.Errorf(bot.EInvalid, "what was decided?")
	}
	d, err := h.Store.AppendDecision(ctx, store.Decision{
		Kind: store.KindDecision, Text: text, Context: c.Args.Flag("context"),
		Actor: c.User, At: h.Clock.Now(),
	})
	if err != nil {
		return fmt.Errorf("record decision: %w", err)
	}
	return c.Replyf("📝 Decision %s recorded by @%s: %s", bot.FormatID(d.ID), c.User, text)
}

// Limits of /decisions: how many entries it shows, and how many of the
// newest matches it reads to find them once entries of crisis rooms the
// sender does not see are left out (and counted).
const (
	shownDecisions = 20
	readDecisions  = 500
)

func (h handlers) search(ctx context.Context, c *bot.Context) error {
	q := store.DecisionQuery{Search: c.Args.Text(0), Limit: readDecisions}
	if s := c.Args.Flag("since"); s != "" {
		d, err := bot.ParseDuration(s)
		if err != nil {
			return err
		}
		q.Since = h.Clock.Now().Add(-d)
	}
	ds, err := h.Store.ListDecisions(ctx, q)
	if err != nil {
		return fmt.Errorf("list decisions: %w", err)
	}
	ds, hidden, err := privacy.New(h.Deps).Viewer(c.User).Decisions(ctx, ds)
	if err != nil {
		return fmt.Errorf("hide private crisis decisions: %w", err)
	}
	note := privacy.HiddenNote(hidden)
	if len(ds) == 0 {
		return c.Privatef("%s", strings.TrimSpace("No decisions found. "+note))
	}
	ds = ds[:min(len(ds), shownDecisions)]
	lines := make([]string, 0, len(ds)+2)
	lines = append(lines, fmt.Sprintf("Decisions (newest first, %d shown):", len(ds)))
	for _, d := range ds {
		lines = append(lines, "  "+Format(d, h.Config.Org.Location))
	}
	if note != "" {
		lines = append(lines, note)
	}
	return c.Private(bot.Message{Text: strings.Join(lines, "\n")})
}

// Format renders one log entry on one line, in the org's time zone.
func Format(d store.Decision, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	s := fmt.Sprintf("%s %s @%s", bot.FormatID(d.ID), d.At.In(loc).Format("2006-01-02 15:04"), d.Actor)
	if d.Kind != store.KindDecision {
		s += " [" + d.Kind + "]"
	}
	if d.CrisisID != 0 {
		s += " (crisis " + bot.FormatID(d.CrisisID) + ")"
	}
	s += " " + d.Text
	if d.Context != "" {
		s += " — " + d.Context
	}
	return s
}
