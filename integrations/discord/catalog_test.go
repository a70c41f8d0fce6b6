package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
)

var validName = regexp.MustCompile(`^[-_a-z0-9]{1,32}$`)

func noop(context.Context, *bot.Context) error { return nil }

func testCatalog(t *testing.T, cmds ...bot.Command) *catalog {
	t.Helper()
	r := bot.NewRouter(slog.New(slog.DiscardHandler), nil, nil)
	r.Register(cmds...)
	return newCatalog(r.Commands(), slog.New(slog.DiscardHandler))
}

func TestApplicationCommandsFromDefinitions(t *testing.T) {
	cat := testCatalog(t,
		bot.Command{Group: "crisis", Name: "open", Args: "<sev1|sev2|sev3|sev4> <title…> [--brand B]", Options: []string{"brand"}, Summary: "Open a crisis room", Handler: noop},
		bot.Command{Group: "crisis", Name: "list", Args: "[--all]", Switches: []string{"all"}, Handler: noop},
		bot.Command{Group: "decision", Args: "<text…> [--context C]", Options: []string{"context"}, Summary: "Log a decision", Handler: noop},
		bot.Command{Group: "alerts", Summary: "Show alerts", Handler: noop},
		bot.Command{Group: "alerts", Name: "ack", Args: "<id>", Handler: noop},
		bot.Command{Group: "Weird Group!", Name: "Do It", Args: "[--verbose]", Switches: []string{"verbose"}, Handler: noop},
	)
	got := map[string]string{}
	for _, c := range cat.applicationCommands() {
		got[c.Name] = describeCommand(c.Options)
	}
	want := map[string]string{
		"interlock":   "help(command:3) run(command:3!)",
		"crisis":      "open(sev:3!{sev1,sev2,sev3,sev4} title:3! brand:3) list(all:5)",
		"decision":    "text:3! context:3",
		"alerts":      "new() ack(id:4!>=1)",
		"weird-group": "do-it(verbose:5)",
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("/%s = %s, want %s", name, got[name], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("commands = %v", got)
	}
}

func describeCommand(opts []*discordgo.ApplicationCommandOption) string {
	var parts []string
	for _, o := range opts {
		if o.Type == discordgo.ApplicationCommandOptionSubCommand {
			parts = append(parts, o.Name+"("+describeCommand(o.Options)+")")
			continue
		}
		s := fmt.Sprintf("%s:%d", o.Name, o.Type)
		if o.Required {
			s += "!"
		}
		var choices []string
		for _, c := range o.Choices {
			choices = append(choices, fmt.Sprint(c.Value))
		}
		if len(choices) > 0 {
			s += "{" + strings.Join(choices, ",") + "}"
		}
		if o.MinValue != nil {
			s += fmt.Sprintf(">=%g", *o.MinValue)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestApplicationCommandsRespectLimits(t *testing.T) {
	var cmds []bot.Command
	for i := range 30 {
		cmds = append(cmds, bot.Command{Group: "big", Name: fmt.Sprintf("sub%d", i), Summary: strings.Repeat("long summary ", 20), Handler: noop})
	}
	args := ""
	for i := range 30 {
		args += fmt.Sprintf(" [--opt%d X]", i)
	}
	for i := range 12 {
		cmds = append(cmds, bot.Command{Group: "heavy", Name: fmt.Sprintf("sub%d", i), Handler: noop,
			Args: strings.Repeat("[--flag "+strings.Repeat("placeholder-", 7)+"] ", 1) + fmt.Sprintf("[--a%d %s] [--b%d %s] [--c%d %s]", i, strings.Repeat("x", 80), i, strings.Repeat("y", 80), i, strings.Repeat("z", 80))})
	}
	cmds = append(cmds,
		bot.Command{Group: "wide", Args: "[x] <required-after-optional> " + args, Handler: noop},
		bot.Command{Group: strings.Repeat("g", 40), Name: "x", Args: "<" + strings.Repeat("n", 40) + "> <" + strings.Repeat("n", 40) + ">", Handler: noop},
	)
	for _, c := range testCatalog(t, cmds...).applicationCommands() {
		checkLimits(t, c.Name, c.Description, c.Options)
		if n := commandSize(c.Name, c.Description, c.Options); n > maxCommandSize {
			t.Errorf("/%s totals %d characters", c.Name, n)
		}
	}
}

func checkLimits(t *testing.T, name, desc string, opts []*discordgo.ApplicationCommandOption) {
	t.Helper()
	if !validName.MatchString(name) {
		t.Errorf("invalid name %q", name)
	}
	if n := utf8.RuneCountInString(desc); n < 1 || n > maxDescLen {
		t.Errorf("%s: description of %d characters", name, n)
	}
	if len(opts) > maxOptions {
		t.Errorf("%s: %d options", name, len(opts))
	}
	seen := map[string]bool{}
	optional := false
	for _, o := range opts {
		if seen[o.Name] {
			t.Errorf("%s: option %s twice", name, o.Name)
		}
		seen[o.Name] = true
		if o.Required && optional {
			t.Errorf("%s: required option %s after an optional one", name, o.Name)
		}
		optional = optional || !o.Required
		checkLimits(t, o.Name, o.Description, o.Options)
	}
}

func TestRegisterCommandsOnlyWhenChanged(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	for range 2 {
		if err := h.a.RegisterCommands(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := h.srv.CommandWrites(); n != 1 {
		t.Fatalf("bulk overwrites = %d, want 1 (the second start finds them unchanged)", n)
	}
	names := []string{}
	for _, c := range h.srv.Commands() {
		names = append(names, c.Name)
	}
	if !slices.Equal(names, []string{"interlock", "drill"}) {
		t.Errorf("registered %v", names)
	}

	// A new version of the bot with one more command registers again.
	h.router.Register(bot.Command{Group: "drill", Name: "extra", Summary: "New", Handler: noop})
	next := newHarnessOn(t, h)
	if err := next.RegisterCommands(ctx); err != nil {
		t.Fatal(err)
	}
	if n := h.srv.CommandWrites(); n != 2 {
		t.Fatalf("bulk overwrites = %d, want 2 after a change", n)
	}
}

// newHarnessOn makes a second adapter (another replica) on the same local
// Discord, router and button store.
func newHarnessOn(t *testing.T, h *harness) *Adapter {
	a, err := New(Options{BotToken: "t", AppID: h.a.appID, GuildID: h.a.guildID, APIURL: h.srv.URL,
		PublicKey: h.signer.PublicKeyHex(), Directory: people, Dispatcher: h.router, Logger: h.a.log,
		Clock: h.clock, Buttons: h.a.buttons, DeferAfter: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestSameCommandsIgnoresWhatDiscordAdds(t *testing.T) {
	want := testCatalog(t,
		bot.Command{Group: "crisis", Name: "open", Args: "<sev1|sev2> <title…> [--brand B]", Handler: noop},
		bot.Command{Group: "crisis", Name: "approve", Args: "<proposal-id>", Handler: noop},
	).applicationCommands()
	// Discord echoes ids and versions, omits false "required", and lists
	// commands in its own order.
	raw, _ := json.Marshal(want)
	var echoed []map[string]any
	if err := json.Unmarshal(raw, &echoed); err != nil {
		t.Fatal(err)
	}
	for i, c := range echoed {
		c["id"], c["version"], c["application_id"], c["nsfw"], c["dm_permission"] = fmt.Sprint(i), "7", "1", false, true
		stripFalseRequired(c)
	}
	slices.Reverse(echoed)
	raw, _ = json.Marshal(echoed)
	var have []*discordgo.ApplicationCommand
	if err := json.Unmarshal(raw, &have); err != nil {
		t.Fatal(err)
	}
	if !sameCommands(want, have) {
		t.Fatalf("echoed commands compare different:\n%s\n%s", canonJSON(want), canonJSON(have))
	}
	have[0].Options[0].Description = "changed"
	if sameCommands(want, have) {
		t.Fatal("a changed description compares equal")
	}
}

func stripFalseRequired(v map[string]any) {
	if r, ok := v["required"].(bool); ok && !r {
		delete(v, "required")
	}
	opts, _ := v["options"].([]any)
	for _, o := range opts {
		if m, ok := o.(map[string]any); ok {
			stripFalseRequired(m)
		}
	}
}
