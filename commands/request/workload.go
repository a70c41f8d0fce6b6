package request

import (
	"context"
	"fmt"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

func (h *handlers) workload(ctx context.Context, c *bot.Context) error {
	var person string
	switch len(c.Args.Words) {
	case 0:
	case 1:
		p, err := h.KnownPerson(c.Args.Word(0))
		if err != nil {
			return err
		}
		person = p
	default:
		return bot.Errorf(bot.EInvalid, "name at most one person")
	}
	rows, err := h.Store.Workload(ctx)
	if err != nil {
		return fmt.Errorf("workload: %w", err)
	}
	var team store.Workload
	var lines []string
	for _, w := range rows {
		team.Requests, team.Issues, team.Crises, team.Content = team.Requests+w.Requests, team.Issues+w.Issues, team.Crises+w.Crises, team.Content+w.Content
		if person == "" || w.Person == person {
			lines = append(lines, workLine("@"+w.Person, w))
		}
	}
	if person != "" && len(lines) == 0 {
		lines = append(lines, workLine("@"+person, store.Workload{Person: person}))
	}
	if person == "" && len(lines) == 0 {
		lines = append(lines, "Nobody has open work.")
	}
	lines = append(lines, workLine("Team", team))
	return c.Private(bot.Message{
		Title:  "Workload",
		Text:   strings.Join(lines, "\n"),
		Footer: "requests claimed · routed issues claimed · open crisis rooms · content approvals waiting",
	})
}

// workLine is one row: "@sam: 1 request · 1 routed issue · 0 crisis rooms · 2 content approvals (4 in all)".
func workLine(who string, w store.Workload) string {
	return fmt.Sprintf("%s: %s · %s · %s · %s (%d in all)", who,
		plural(w.Requests, "request", "requests"), plural(w.Issues, "routed issue", "routed issues"),
		plural(w.Crises, "crisis room", "crisis rooms"), plural(w.Content, "content approval", "content approvals"), w.Total())
}
