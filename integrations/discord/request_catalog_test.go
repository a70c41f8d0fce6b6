package discord

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/request"
	"github.com/interlock-coe/interlock/config"
)

// TestRequestFieldsAreOptions checks that /request on Discord offers every
// service's fields as options of its "new" subcommand, and that an
// interaction giving them reads back as the typed command.
func TestRequestFieldsAreOptions(t *testing.T) {
	cfg, err := config.Parse(config.Example(), "example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	r := bot.NewRouter(log, nil, nil)
	request.Register(r, commands.Deps{Config: cfg, Scheduler: bot.NewScheduler(nil, nil, log), Log: log})
	cat := newCatalog(r.Commands(), log)
	var got string
	for _, c := range cat.applicationCommands() {
		if c.Name == "request" {
			got = describeCommand(c.Options)
		}
	}
	want := "new(service:3! details:3! brand:3 channels:3 due-by:3 launch-date:3 network:3 owner:3 purpose:3 question:3)"
	if !strings.HasPrefix(got, want) {
		t.Errorf("/request = %s\nwant it to start %s", got, want)
	}
	opts := []*discordgo.ApplicationCommandInteractionDataOption{
		{Name: "service", Value: "listening-report"}, {Name: "details", Value: "Q4 deep dive"},
		{Name: "brand", Value: "acme"}, {Name: "question", Value: "why did it drop"}, {Name: "due-by", Value: "2026-12-10"},
	}
	text, err := cat.tops["request"].subs["new"].typedText(opts, func(id string) string { return id })
	if err != nil {
		t.Fatal(err)
	}
	cmd, args, err := r.Resolve(text)
	if err != nil || cmd.Path() != "request" || args.Flag("question") != "why did it drop" || args.Text(0) != "listening-report Q4 deep dive" {
		t.Errorf("%q resolved to %v %+v, %v", text, cmd, args, err)
	}
}
