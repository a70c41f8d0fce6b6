package discord

import (
	"context"
	"log/slog"
	"strconv"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/commandstest/freetext"
)

// specFor finds the Discord form of the command at path.
func specFor(t *testing.T, cat *catalog, path string) *commandSpec {
	t.Helper()
	for _, top := range cat.tops {
		if top.bare != nil && top.bare.path == path {
			return top.bare
		}
		for _, s := range top.subs {
			if s.path == path {
				return s
			}
		}
	}
	t.Fatalf("no Discord command for %s", path)
	return nil
}

// TestDiscordKeepsFreeTextAsTyped fills each free-text command's Discord
// form (the words before the text, then the text option) and checks that
// the command gets exactly the text given.
func TestDiscordKeepsFreeTextAsTyped(t *testing.T) {
	rec := freetext.NewRecorder(freetext.Commands(t))
	cat := newCatalog(rec.Router.Commands(), slog.New(slog.DiscardHandler))
	for _, c := range freetext.Cases {
		spec := specFor(t, cat, c.Path)
		for _, text := range freetext.Texts {
			var opts []*discordgo.ApplicationCommandInteractionDataOption
			before := c.Before
			for _, p := range spec.params {
				switch {
				case p.flag != "":
				case p.rest:
					opts = append(opts, opt(p.name, text))
				case len(before) > 0:
					var v any = before[0]
					if p.kind == kindInteger {
						n, _ := strconv.Atoi(before[0])
						v = float64(n)
					}
					opts = append(opts, opt(p.name, v))
					before = before[1:]
				}
			}
			typed, err := spec.typedText(opts, testHandle)
			if err != nil {
				t.Fatalf("%s: %v", c.Path, err)
			}
			if err := rec.Router.Handle(context.Background(), bot.Request{User: "alex", Text: typed}, bot.ResponderFunc(func(context.Context, bot.Reply) error { return nil })); err != nil {
				t.Fatalf("%q: %v", typed, err)
			}
			rec.Check(t, c, text)
		}
	}
}
