package request

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// listLimit bounds the requests one list reads.
const listLimit = 200

func (h *handlers) list(ctx context.Context, c *bot.Context) error {
	if len(c.Args.Words) > 0 {
		return bot.Errorf(bot.EInvalid, "list takes options only, not %q", c.Args.Text(0))
	}
	now := h.Clock.Now()
	q := store.RequestQuery{Open: true, Limit: listLimit}
	if s := c.Args.Flag("service"); c.Args.Has("service") {
		svc, ok := h.Config.Service(s)
		if !ok {
			return bot.Errorf(bot.EInvalid, "unknown service %q; services: %s", s, strings.Join(h.Config.ServiceNames(), ", "))
		}
		q.Service = svc.Name
	}
	if c.Args.Has("late") {
		q.DueBefore = now
	}
	rs, err := h.Store.ListRequests(ctx, q)
	if err != nil {
		return fmt.Errorf("list requests: %w", err)
	}
	var lines []string
	for _, r := range rs {
		if c.Args.Has("mine") && r.RequestedBy != c.User && r.ClaimedBy != c.User {
			continue
		}
		lines = append(lines, h.line(r))
	}
	if len(lines) == 0 {
		return c.Private(bot.Message{Text: "No open requests match."})
	}
	return c.Private(bot.Message{
		Title:  fmt.Sprintf("Open requests (%d)", len(lines)),
		Text:   strings.Join(lines, "\n"),
		Footer: "/request claim <id> · update <id> <note…> · done <id> [--link URL] · cancel <id> <reason…>",
	})
}

// line is one request in a list: "#3 listening-report · due Wed 25 Nov 18:00 · @sam · Q4 deep dive".
func (h *handlers) line(r store.ServiceRequest) string {
	who := "unclaimed"
	if r.ClaimedBy != "" {
		who = "@" + r.ClaimedBy
	}
	due := "due " + h.stamp(r.DueAt)
	if h.Clock.Now().After(r.DueAt) {
		due = "⚠️ late, was " + due
	}
	if r.Queued {
		due += " (queued)"
	}
	s := fmt.Sprintf("%s %s · %s · for @%s · %s · %s", bot.FormatID(r.ID), r.Service, due, r.RequestedBy, who, r.Details)
	for _, f := range slices.Concat(h.service(r).Fields, h.service(r).Optional) {
		if v, ok := r.Fields[f]; ok {
			s += fmt.Sprintf(" · %s: %s", f, v)
		}
	}
	if r.Note != "" {
		s += " — latest: " + r.Note
	}
	return s
}
