package route

import (
	"context"
	"fmt"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/template"
	"github.com/interlock-coe/interlock/store"
)

// withTemplates adds to an issue's post an "Answer with <template>" button
// per approved template of its department while it awaits an answer. The
// post stands without them when they cannot be listed.
func (s *Service) withTemplates(ctx context.Context, is store.RoutedIssue, m bot.Message) bot.Message {
	if is.Status != store.IssueOpen && is.Status != store.IssueClaimed {
		return m
	}
	extra, err := template.Buttons(ctx, s.Store, is.Department, is.ID)
	if err != nil {
		s.Log.Warn("cannot list the department's templates", "issue", is.ID, "err", err)
		return m
	}
	m.Buttons = append(m.Buttons, extra...)
	return m
}

// reply is the answer's text: typed, or filled from a template (whose
// name and version are returned too).
func (s *Service) reply(ctx context.Context, c *bot.Context, is store.RoutedIssue) (string, template.Filled, error) {
	words := c.Args.Words[1:]
	if !c.Args.Has("template") {
		reply := strings.TrimSpace(c.Args.Text(1))
		if reply == "" {
			return "", template.Filled{}, bot.Errorf(bot.EInvalid, "type the reply after the id: /route answer %d <reply…>", is.ID)
		}
		return reply, template.Filled{}, nil
	}
	f, err := template.Answer(ctx, s.Store, c.Args.Flag("template"), is.Department, words)
	if err != nil {
		return "", f, err
	}
	return f.Text, f, nil
}

// templateNote says which template an answer came from, with its text.
func templateNote(f template.Filled, reply string) string {
	if f.Name == "" {
		return ""
	}
	return fmt.Sprintf("\nFrom template %s v%d:\n> %s", f.Name, f.Version, strings.ReplaceAll(reply, "\n", "\n> "))
}
