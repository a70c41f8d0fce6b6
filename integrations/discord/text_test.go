package discord

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
)

// opt is an interaction option as Discord delivers it (numbers as float64).
func opt(name string, v any) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Value: v}
}

func testHandle(id string) string {
	if p, ok := people.PersonByDiscordID(id); ok {
		return p.ID
	}
	return "discord-" + id
}

func TestTypedText(t *testing.T) {
	cat := testCatalog(t,
		bot.Command{Group: "crisis", Name: "open", Args: "<sev1|sev2|sev3|sev4> <title…> [--brand B]", Options: []string{"brand"}, Handler: noop},
		bot.Command{Group: "role", Name: "assign", Args: "<role> @user [--brand B] [--backup]", Options: []string{"brand"}, Switches: []string{"backup"}, Handler: noop},
		bot.Command{Group: "test", Name: "result", Args: "<id> a=<successes>/<trials> b=<successes>/<trials> [--notes N]", Options: []string{"notes"}, Handler: noop},
		bot.Command{Group: "decision", Args: "<text…> [--context C]", Options: []string{"context"}, Handler: noop},
		bot.Command{Group: "content", Name: "submit", Args: "<title…> --link URL [--brand B] [--fast-track <reason…>]", Options: []string{"link", "brand", "fast-track"}, Handler: noop},
	)
	tests := []struct {
		top  string
		sub  string
		opts []*discordgo.ApplicationCommandInteractionDataOption
		want string
	}{
		{"crisis", "open", []*discordgo.ApplicationCommandInteractionDataOption{opt("title", "Juice recall"), opt("sev", "sev2"), opt("brand", "acme")},
			"/crisis open sev2 Juice recall --brand acme"},
		{"crisis", "open", []*discordgo.ApplicationCommandInteractionDataOption{opt("sev", "sev1"), opt("title", `The "bad" day`)},
			`/crisis open sev1 "The \"bad\" day"`},
		{"crisis", "open", []*discordgo.ApplicationCommandInteractionDataOption{opt("sev", "sev1"), opt("title", "use --force  now"), opt("brand", "two words")},
			`/crisis open sev1 "use --force  now" --brand "two words"`},
		{"role", "assign", []*discordgo.ApplicationCommandInteractionDataOption{opt("role", "social lead"), opt("user", danaID), opt("backup", true)},
			`/role assign "social lead" @dana --backup`},
		{"role", "assign", []*discordgo.ApplicationCommandInteractionDataOption{opt("role", "legal"), opt("user", "123"), opt("backup", false), opt("brand", "--odd")},
			`/role assign legal @discord-123 --brand=--odd`},
		{"test", "result", []*discordgo.ApplicationCommandInteractionDataOption{opt("id", 12.0), opt("a", "3/10"), opt("b", "5/10")},
			"/test result 12 a=3/10 b=5/10"},
		{"decision", "", []*discordgo.ApplicationCommandInteractionDataOption{opt("text", "ship it, says <@"+leeID+">"), opt("context", "<@!"+samID+"> asked")},
			`/decision ship it, says @lee --context "@sam asked"`},
		{"content", "submit", []*discordgo.ApplicationCommandInteractionDataOption{opt("title", "Recall notice"), opt("fast-track", "safety issue"), opt("link", "https://cms.example.com/7")},
			`/content submit Recall notice --link https://cms.example.com/7 --fast-track "safety issue"`},
		{"interlock", "run", []*discordgo.ApplicationCommandInteractionDataOption{opt("command", " crisis list --all")},
			"/crisis list --all"},
	}
	for _, tt := range tests {
		data := discordgo.ApplicationCommandInteractionData{Name: tt.top, Options: tt.opts}
		if tt.sub != "" {
			data.Options = []*discordgo.ApplicationCommandInteractionDataOption{{Name: tt.sub, Type: discordgo.ApplicationCommandOptionSubCommand, Options: tt.opts}}
		}
		spec, opts, err := cat.lookup(data)
		if err != nil {
			t.Fatalf("%s %s: %v", tt.top, tt.sub, err)
		}
		got, err := spec.typedText(opts, testHandle)
		if err != nil || got != tt.want {
			t.Errorf("typedText = %q, %v\n want %q", got, err, tt.want)
		}
	}
}

func TestTypedTextRefusesBadValues(t *testing.T) {
	cat := testCatalog(t, bot.Command{Group: "role", Name: "assign", Args: "<role> @user", Handler: noop})
	spec := cat.tops["role"].subs["assign"]
	for _, opts := range [][]*discordgo.ApplicationCommandInteractionDataOption{
		{opt("user", "not-an-id")},
		{opt("role", []any{"x"})},
		{opt("role", map[string]any{})},
	} {
		if got, err := spec.typedText(opts, testHandle); err == nil {
			t.Errorf("typedText(%v) = %q, want an error", opts[0].Value, got)
		}
	}
}

// FuzzTypedText checks that the router reads back exactly the values a
// person picked in Discord's form, whatever they typed.
func FuzzTypedText(f *testing.F) {
	f.Add("legal", "Water in the juice", "acme", int64(3), true, uint64(300000000000000002))
	f.Add("two words", `quote " and \ slash`, "--brand", int64(1), false, uint64(7))
	f.Add("“smart”", "it's   spaced  ", "a=b", int64(1<<40), true, uint64(1))
	f.Add("x", "see <@300000000000000003> now", "'", int64(9), false, uint64(42))
	f.Add("--role", "--force it", "b", int64(2), false, uint64(5))
	f.Add("\u202Elegal", "Checkout \u202Enwod\u202C", "acme\u2066", int64(4), true, uint64(6))
	f.Add("x", `Tell the press "no comment"`, "acme", int64(5), false, uint64(8))
	// Values made only of bidirectional controls, which the router removes.
	f.Add("\u202e", "\u2066", "\u2066", int64(4), true, uint64(0))
	log := slog.New(slog.DiscardHandler)
	router := bot.NewRouter(log, nil, nil)
	router.Register(bot.Command{Group: "fuzz", Name: "run", Args: "<role> @user <id> <text…> [--brand B] [--backup]",
		Options: []string{"brand"}, Switches: []string{"backup"}, Handler: noop})
	spec := newCatalog(router.Commands(), log).tops["fuzz"].subs["run"]
	f.Fuzz(func(t *testing.T, role, text, brand string, id int64, backup bool, user uint64) {
		if role == "" || text == "" || brand == "" || id < 1 || id > 1<<53 {
			t.Skip("Discord sends no such value")
		}
		uid := strconv.FormatUint(user, 10)
		opts := []*discordgo.ApplicationCommandInteractionDataOption{
			opt("role", role), opt("user", uid), opt("id", float64(id)), opt("text", text), opt("brand", brand), opt("backup", backup),
		}
		typed, err := spec.typedText(opts, testHandle)
		if err != nil {
			t.Fatal(err)
		}
		_, args, err := router.Resolve(typed)
		if err != nil {
			t.Fatalf("Resolve(%q): %v", typed, err)
		}
		// The router removes bidirectional controls from every command.
		clean := func(s string) string {
			return bot.NormalizeText(normalizeMentions(strings.ToValidUTF8(s, "\uFFFD"), testHandle))
		}
		want := []string{clean(role), "@" + testHandle(uid), fmt.Sprint(id)}
		for i, w := range want {
			if args.Word(i) != w {
				t.Fatalf("%q: word %d = %q, want %q", typed, i, args.Word(i), w)
			}
		}
		if got := args.Text(3); got != clean(text) {
			t.Fatalf("%q: text = %q, want %q", typed, got, clean(text))
		}
		if args.Flag("brand") != clean(brand) || args.Has("backup") != backup {
			t.Fatalf("%q: flags = %v, want brand %q backup %v", typed, args.Flags, clean(brand), backup)
		}
		if !utf8.ValidString(typed) {
			t.Fatalf("typed text is not UTF-8: %q", typed)
		}
	})
}
