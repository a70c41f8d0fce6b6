package freetext_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/commandstest/freetext"
)

// TestCasesCoverEveryFreeTextCommand keeps Cases complete: every command
// whose usage ends in free text (<text…> or search…) is listed.
func TestCasesCoverEveryFreeTextCommand(t *testing.T) {
	var want []string
	for _, c := range freetext.Commands(t) {
		if strings.Contains(c.Args, "…") {
			want = append(want, c.Path())
		}
	}
	var got []string
	for _, c := range freetext.Cases {
		got = append(got, c.Path)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("free-text cases = %q\nwant %q", got, want)
	}
}

// TestTypedFreeTextIsKept runs each free text through the router as typed.
func TestTypedFreeTextIsKept(t *testing.T) {
	rec := freetext.NewRecorder(freetext.Commands(t))
	for _, c := range freetext.Cases {
		for _, text := range freetext.Texts {
			var replies bottestReplies
			if err := rec.Router.Handle(context.Background(), bot.Request{User: "alex", Text: c.Line() + " " + text}, &replies); err != nil {
				t.Fatalf("%s %s: %v", c.Line(), text, err)
			}
			rec.Check(t, c, text)
		}
	}
}

type bottestReplies struct{}

func (*bottestReplies) Respond(context.Context, bot.Reply) error { return nil }
