package template

import (
	"context"
	"fmt"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// maxButtons bounds the "Answer with" buttons on a routed issue.
const maxButtons = 3

// Filled is a reply made from a template's approved version.
type Filled struct {
	Name    string
	Version int
	Text    string
}

// Answer fills the approved version of the template named n with the
// key=value words, for an answer of department dept. A template of
// another department, retired, or with no approved version is refused.
func Answer(ctx context.Context, st store.Templates, n, dept string, words []string) (Filled, error) {
	n, err := name(n)
	if err != nil {
		return Filled{}, err
	}
	values, err := ParseValues(words)
	if err != nil {
		return Filled{}, err
	}
	t, err := st.Template(ctx, n)
	if err != nil {
		return Filled{}, err
	}
	if err := usable(t, dept); err != nil {
		return Filled{}, err
	}
	v, _ := t.Approved()
	text, err := Fill(v.Text, values)
	if err != nil {
		return Filled{}, bot.Errorf(bot.EInvalid, "template %s: %s", t.Name, bot.ErrorMessage(err))
	}
	return Filled{Name: t.Name, Version: v.Version, Text: text}, nil
}

// usable refuses a template that cannot answer for dept now.
func usable(t store.Template, dept string) error {
	switch _, approved := t.Approved(); {
	case !t.RetiredAt.IsZero():
		return bot.Errorf(bot.EConflict, "template %s was retired by @%s", t.Name, t.RetiredBy)
	case t.Department != dept:
		return bot.Errorf(bot.EInvalid, "template %s is for %s, and this issue is routed to %s", t.Name, t.Department, dept)
	case !approved:
		l := t.Latest()
		return bot.Errorf(bot.EConflict, "template %s has no approved version yet: v%d is %s (content %s)",
			t.Name, l.Version, l.Status, bot.FormatID(l.ContentID))
	}
	return nil
}

// Buttons are "Answer with <template>" buttons for issue id, one per
// usable template of dept (at most maxButtons). A template with
// placeholders asks for their values first.
func Buttons(ctx context.Context, st store.Templates, dept string, id int64) ([]bot.Button, error) {
	ts, err := st.ListTemplates(ctx, dept)
	if err != nil {
		return nil, fmt.Errorf("templates of %s: %w", dept, err)
	}
	var out []bot.Button
	for _, t := range ts {
		if usable(t, dept) != nil || len(out) == maxButtons {
			continue
		}
		v, _ := t.Approved()
		b := bot.Button{Label: "Answer with " + t.Name, Command: fmt.Sprintf("/route answer %d --template %s", id, t.Name)}
		if keys, _ := Placeholders(v.Text); len(keys) > 0 {
			b.Input = &bot.Input{Name: "values", Label: "Values: " + assignments(keys)}
		}
		out = append(out, b)
	}
	return out, nil
}
