package bot_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/bot/bottest"
)

// freeTexts are free texts as people type them; each must reach the
// command with every character kept.
var freeTexts = []string{
	`Tell the press "no comment"`,
	`we're on it`,
	`'single' and "double" quotes`,
	`“smart” quotes and ‘apostrophes’`,
	`two  spaces,   three   spaces`,
	`a back\slash and a \"escaped\" quote`,
	`C:\temp\new`,
	`unclosed "quote and don't`,
	`tab	separated`,
	`-- dashes -- and - hyphens`,
	`50% off & <b>tags</b> #5 @dana`,
}

func TestFreeTextKeptAsTyped(t *testing.T) {
	commands := []struct{ prefix string }{
		{"/crisis status "},
		{"/crisis open sev2 "},
		{"/route auto "},
	}
	for _, c := range commands {
		for _, text := range freeTexts {
			t.Run(c.prefix+text, func(t *testing.T) {
				r := newRouter(t, &echo{}, nil)
				cmd, args, err := r.Resolve(c.prefix + text)
				if err != nil {
					t.Fatalf("Resolve: %v", err)
				}
				first := strings.Count(strings.TrimPrefix(c.prefix, "/"+cmd.Path()), " ") - 1
				if got := args.Text(first); got != text {
					t.Fatalf("text = %q, want %q", got, text)
				}
			})
		}
	}
}

func TestFreeTextAroundOptions(t *testing.T) {
	tests := []struct{ in, text, brand string }{
		{`/crisis open sev2 Checkout "down"   again --brand acme`, `Checkout "down"   again`, "acme"},
		{`/crisis open sev2 --brand "acme co" Checkout  down`, `Checkout  down`, "acme co"},
		{`/crisis open sev2 Checkout --brand=acme is down`, `Checkout is down`, "acme"},
		// One quoted string is read without its quotes: that is how a
		// text holding an option's name is typed.
		{`/crisis open sev2 "use --force now"`, `use --force now`, ""},
		{`/crisis open sev2 "Quoted title" --brand=globex`, `Quoted title`, "globex"},
		{`/crisis open sev2 "a \"b\" c"`, `a "b" c`, ""},
		{`/crisis open sev2 "--brand" is a word`, `"--brand" is a word`, ""},
	}
	for _, tt := range tests {
		r := newRouter(t, &echo{}, nil)
		_, args, err := r.Resolve(tt.in)
		if err != nil {
			t.Fatalf("Resolve(%q): %v", tt.in, err)
		}
		if args.Text(1) != tt.text || args.Flag("brand") != tt.brand {
			t.Errorf("Resolve(%q): text %q brand %q, want %q %q", tt.in, args.Text(1), args.Flag("brand"), tt.text, tt.brand)
		}
	}
}

func TestRepliesNeverEchoMoreThan200CharactersOfBadInput(t *testing.T) {
	huge := strings.Repeat("x", 10000)
	for _, text := range []string{
		"/" + huge,
		"/crisis " + huge,
		"/crisis open sev2 Title --" + huge,
		"/crisis open sev2 Title --brand a --brand " + huge,
	} {
		r := newRouter(t, &echo{}, nil)
		r.Register(bot.Command{Group: "check", Args: "<id>", MinWords: 1, Handler: func(_ context.Context, c *bot.Context) error {
			_, err := bot.ParseID(c.Args.Word(0))
			return err
		}})
		var replies bottest.Replies
		_ = r.Handle(context.Background(), bot.Request{User: "sam", Text: text}, &replies)
		_ = r.Handle(context.Background(), bot.Request{User: "sam", Text: "/check " + huge}, &replies)
		for _, rep := range replies.All() {
			if n := utf8.RuneCountInString(rep.Text); n > 2*bot.MaxEcho+100 || strings.Contains(rep.Text, strings.Repeat("x", bot.MaxEcho)) {
				t.Fatalf("reply to %.40q… is %d characters: %.300q", text, n, rep.Text)
			}
			if !strings.Contains(rep.Text, "…") {
				t.Errorf("reply to %.40q… does not mark the cut: %.300q", text, rep.Text)
			}
		}
	}
}

func TestBidiControlsAreRemovedFromCommandText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Checkout \u202Enwod si\u202C", "Checkout nwod si"},
		{"\u2066isolated\u2069 \u2067rtl\u2069 \u2068first\u2069", "isolated rtl first"},
		{"marks\u200E and\u200F \u061Cthese", "marks and these"},
		{"\u202A\u202B\u202D embed", " embed"},
		{"plain Störung ✅", "plain Störung ✅"},
	}
	for _, tt := range tests {
		if got := bot.RemoveBidiControls(tt.in); got != tt.want {
			t.Errorf("RemoveBidiControls(%q) = %q, want %q", tt.in, got, tt.want)
		}
		e := &echo{}
		r := newRouter(t, e, nil)
		var replies bottest.Replies
		_ = r.Handle(context.Background(), bot.Request{User: "sam", Text: "/crisis status x " + tt.in}, &replies)
		if e.got == nil || e.got.Args.Text(0) != strings.TrimSpace("x "+tt.want) || strings.ContainsFunc(e.got.Text, isBidi) {
			t.Errorf("handler saw %+v for %q", e.got, tt.in)
		}
	}
}

func isBidi(r rune) bool { return bot.RemoveBidiControls(string(r)) == "" }

// FuzzFreeText checks that free text reaches the command exactly as typed
// (without bidirectional controls), unless it holds an option or is wholly
// one quoted string, and that options never leak into it.
func FuzzFreeText(f *testing.F) {
	for _, s := range freeTexts {
		f.Add(s)
	}
	for _, s := range []string{"\u202Egnp.exe", `"whole"`, `x --brand acme y`, "\xff bad utf8", `a "b`, `\`, `"\"`} {
		f.Add(s)
	}
	r := newRouter(&testing.T{}, &echo{}, nil)
	f.Fuzz(func(t *testing.T, text string) {
		_, args, err := r.Resolve("/crisis status " + text)
		if err != nil {
			return // no text, or a bad option
		}
		got := args.Text(0)
		if strings.ContainsFunc(got, isBidi) || !utf8.ValidString(got) {
			t.Fatalf("text %q kept a bidirectional control or bad UTF-8", got)
		}
		want := strings.TrimSpace(bot.NormalizeText(text))
		if len(args.Flags) == 0 && len(args.Words) > 1 && got != want {
			t.Fatalf("text = %q, want %q", got, want)
		}
		if len(args.Words) == 1 && got != want && got != args.Words[0] {
			t.Fatalf("one word %q read as %q", want, got)
		}
	})
}
