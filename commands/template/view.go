package template

import (
	"context"
	"fmt"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

func (h *handlers) list(ctx context.Context, c *bot.Context) error {
	if len(c.Args.Words) > 0 {
		return bot.Errorf(bot.EInvalid, "unexpected %q", c.Args.Text(0))
	}
	var dept string
	if c.Args.Has("dept") {
		d, err := h.department(c.Args.Flag("dept"))
		if err != nil {
			return err
		}
		dept = d
	}
	ts, err := h.Store.ListTemplates(ctx, dept)
	if err != nil {
		return err
	}
	if len(ts) == 0 {
		return c.Private(bot.Message{Text: "No reply templates yet. Add one with /template add <name> --dept D <text…>"})
	}
	lines := make([]string, len(ts))
	for i, t := range ts {
		lines[i] = fmt.Sprintf("• %s (%s): %s", t.Name, t.Department, state(t))
	}
	return c.Private(bot.Message{Title: "Reply templates", Text: strings.Join(lines, "\n"), Footer: "Details with /template show <name>"})
}

// state says which version is in use and what waits: "v1 in use · v2 in-review · 3 uses".
func state(t store.Template) string {
	if !t.RetiredAt.IsZero() {
		return fmt.Sprintf("retired by @%s · %s", t.RetiredBy, uses(t.Uses))
	}
	var parts []string
	v, ok := t.Approved()
	if ok {
		parts = append(parts, fmt.Sprintf("v%d in use", v.Version))
	} else {
		parts = append(parts, "not usable yet")
	}
	if l := t.Latest(); l.Version > v.Version && l.Status != store.ContentWithdrawn {
		parts = append(parts, fmt.Sprintf("v%d %s", l.Version, l.Status))
	}
	parts = append(parts, uses(t.Uses))
	return strings.Join(parts, " · ")
}

func (h *handlers) show(ctx context.Context, c *bot.Context) error {
	if len(c.Args.Words) > 1 {
		return bot.Errorf(bot.EInvalid, "unexpected %q", c.Args.Text(1))
	}
	t, err := h.load(ctx, c.Args.Word(0))
	if err != nil {
		return err
	}
	loc := h.Config.Org.Location
	var versions []string
	for _, v := range t.Versions {
		versions = append(versions, fmt.Sprintf("v%d %s (content %s) — @%s, %s: placeholders %s\n> %s", v.Version, v.Status,
			bot.FormatID(v.ContentID), v.CreatedBy, v.CreatedAt.In(loc).Format("2006-01-02 15:04"), describe(v.Text), v.Text))
	}
	fields := []bot.Field{
		{Title: "State", Value: state(t)},
		{Title: "Versions", Value: strings.Join(versions, "\n")},
	}
	if v, ok := t.Approved(); ok && t.RetiredAt.IsZero() {
		fields = append(fields, bot.Field{Title: "Use it", Value: usage(t.Name, v.Text)})
	}
	return c.Private(bot.Message{Title: fmt.Sprintf("Template %s (%s) — by @%s", t.Name, t.Department, t.CreatedBy), Fields: fields})
}

// usage is the typed command that answers with a template.
func usage(n, text string) string {
	keys, _ := Placeholders(text)
	return strings.TrimSpace("/route answer <id> --template " + n + " " + assignments(keys))
}

func uses(n int) string {
	return fmt.Sprintf("%d %s", n, plural(n, "use", "uses"))
}
