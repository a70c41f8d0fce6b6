package route

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// How many issues /route list shows, and how many unresolved ones --mine
// looks through.
const (
	listLimit = 30
	mineScan  = 1000
)

func (s *Service) list(ctx context.Context, c *bot.Context) error {
	if len(c.Args.Words) > 0 {
		return bot.Errorf(bot.EInvalid, "unexpected %q", c.Args.Text(0))
	}
	mine := c.Args.Has("mine")
	q := store.RoutedIssueQuery{Unresolved: mine || c.Args.Has("open"), Limit: listLimit}
	if mine {
		q.Limit = mineScan // filtered below, so look at the whole queue
	}
	issues, err := s.Store.ListRoutedIssues(ctx, q)
	if err != nil {
		return fmt.Errorf("list routed issues: %w", err)
	}
	what := "Routed issues, newest first"
	switch {
	case mine:
		if issues, err = s.mine(ctx, c.User, issues); err != nil {
			return err
		}
		what = "Your routed issues: claimed by you, or waiting in your departments"
	case q.Unresolved:
		what = "Unresolved routed issues, newest first"
	}
	if len(issues) == 0 {
		return c.Privatef("No routed issues to show.")
	}
	if len(issues) > listLimit {
		issues = issues[:listLimit]
	}
	lines := []string{what + ":"}
	now := s.Clock.Now()
	// The excerpts quote customers: the list is outside text.
	for _, is := range issues {
		lines = append(lines, "  "+s.line(is, now))
	}
	return c.Private(bot.Quoting(bot.Message{Text: strings.Join(lines, "\n")}))
}

// mine keeps the issues person claimed, and the unclaimed ones of the
// departments whose liaison role they hold (as holder or backup).
func (s *Service) mine(ctx context.Context, person string, issues []store.RoutedIssue) ([]store.RoutedIssue, error) {
	var roles []string
	for _, d := range s.Config.Departments {
		roles = append(roles, d.LiaisonRole)
	}
	held, err := s.Roster().HeldRoles(ctx, person, roles)
	if err != nil {
		return nil, err
	}
	var out []store.RoutedIssue
	for _, is := range issues {
		dept, _ := s.Config.Department(is.Department)
		if strings.EqualFold(is.ClaimedBy, person) || (is.ClaimedBy == "" && slices.Contains(held, dept.LiaisonRole)) {
			out = append(out, is)
		}
	}
	return out, nil
}

// line shows one issue: id, department, state with time left, delivery.
func (s *Service) line(is store.RoutedIssue, now time.Time) string {
	parts := []string{fmt.Sprintf("%s [%s%s] %s", bot.FormatID(is.ID), is.Department, brandNote(is.Brand), s.state(is, now))}
	if d := s.delivery(is); d != "" {
		parts = append(parts, d)
	}
	return strings.Join(parts, " · ") + " — " + excerpt(is.Text, 80)
}

// state says where an issue stands; for one awaiting its first response,
// how long is left (or how late it is).
func (s *Service) state(is store.RoutedIssue, now time.Time) string {
	switch is.Status {
	case store.IssueOpen:
		left := is.DueAt.Sub(now)
		if left > 0 {
			return fmt.Sprintf("open, %s left (due %s)", bot.FormatDuration(left), s.stamp(is.DueAt))
		}
		text := fmt.Sprintf("open, overdue by %s (due %s)", bot.FormatDuration(-left), s.stamp(is.DueAt))
		if !is.EscalatedAt.IsZero() {
			text += ", escalated"
		}
		return text
	case store.IssueClaimed:
		return fmt.Sprintf("claimed by @%s after %s", is.ClaimedBy, bot.FormatDuration(is.ClaimedAt.Sub(is.RoutedAt)))
	case store.IssueAnswered:
		return fmt.Sprintf("answered by @%s after %s", is.AnsweredBy, bot.FormatDuration(is.AnsweredAt.Sub(is.RoutedAt)))
	}
	return fmt.Sprintf("resolved by @%s %s", is.ResolvedBy, s.stamp(is.ResolvedAt))
}

// delivery says where an answer's way back to the inbox stands.
func (s *Service) delivery(is store.RoutedIssue) string {
	switch {
	case is.Delivery == store.DeliverySent:
		return fmt.Sprintf("reply delivered to %s %s", inboxName(is), s.stamp(is.DeliveredAt))
	case is.Delivery == store.DeliveryPending && is.DeliveryError != "":
		return fmt.Sprintf("⚠ reply delivery to %s failing after %s (%s); retrying", inboxName(is), plural(is.DeliveryAttempts, "attempt"), is.DeliveryError)
	case is.Delivery == store.DeliveryPending:
		return fmt.Sprintf("reply to %s pending", inboxName(is))
	}
	return ""
}

// plural counts n things: "1 attempt", "3 attempts".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return itoa(n) + " " + thing + "s"
}
