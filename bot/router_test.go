package bot_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/bot/bottest"
)

type echo struct{ got *bot.Context }

func (e *echo) handle(_ context.Context, c *bot.Context) error {
	e.got = c
	return c.Replyf("ok %s", c.Args.Text(0))
}

type claims struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (c *claims) Claim(_ context.Context, key string, _ time.Duration) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen[key] {
		return false, nil
	}
	c.seen[key] = true
	return true, nil
}

func (c *claims) Release(_ context.Context, key string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.seen, key)
	return nil
}

type denyAll struct{}

func (denyAll) Authorize(context.Context, string, string) error {
	return bot.Errorf(bot.EForbidden, "only holders of social-lead may do that")
}

func newRouter(t *testing.T, e *echo, auth bot.Authorizer) *bot.Router {
	t.Helper()
	r := bot.NewRouter(slog.New(slog.NewTextHandler(io.Discard, nil)), auth, &claims{seen: map[string]bool{}})
	r.Register(
		bot.Command{Group: "crisis", Name: "open", Args: "<sev> <title…> [--brand B]", Options: []string{"brand"}, MinWords: 2, Handler: e.handle},
		bot.Command{Group: "crisis", Name: "status", Args: "<update…>", MinWords: 1, Handler: e.handle},
		bot.Command{Group: "route", Args: "<department|auto> <summary…>", MinWords: 2, Handler: e.handle},
		bot.Command{Group: "route", Name: "claim", Args: "<id>", MinWords: 1, Handler: e.handle},
		bot.Command{Group: "role", Name: "assign", Args: "<role> @user", MinWords: 2, Permission: "role.assign", Handler: e.handle},
		bot.Command{Group: "boom", Handler: func(context.Context, *bot.Context) error { panic("kaboom") }},
	)
	return r
}

func TestRouterResolvesCommands(t *testing.T) {
	tests := []struct {
		text, path, words string
		flags             map[string]string
	}{
		{"/crisis open sev2 Checkout is down --brand acme", "crisis open", "sev2 Checkout is down", map[string]string{"brand": "acme"}},
		{"crisis open sev1 \"Quoted title\" --brand=globex", "crisis open", "sev1 Quoted title", map[string]string{"brand": "globex"}},
		{"/CRISIS STATUS we're on it", "crisis status", "we're on it", map[string]string{}},
		{"/route auto my order never came", "route", "auto my order never came", map[string]string{}},
		{"/route claim #4", "route claim", "#4", map[string]string{}},
		{"/interlock crisis status via one slash command", "crisis status", "via one slash command", map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			e := &echo{}
			r := newRouter(t, e, nil)
			cmd, args, err := r.Resolve(tt.text)
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if cmd.Path() != tt.path || strings.Join(args.Words, " ") != tt.words {
				t.Fatalf("got %q %q, want %q %q", cmd.Path(), args.Words, tt.path, tt.words)
			}
			for k, v := range tt.flags {
				if args.Flag(k) != v {
					t.Errorf("flag %s = %q, want %q", k, args.Flag(k), v)
				}
			}
		})
	}
}

func TestRouterAnswersBadInputPrivatelyWithUsage(t *testing.T) {
	tests := []struct{ text, want string }{
		{"/nope", "unknown command /nope"},
		{"/crisis", "/crisis needs a subcommand"},
		{"/crisis frobnicate", `unknown subcommand "frobnicate"`},
		{"/crisis open sev2", "missing arguments\nUsage: /crisis open <sev> <title…> [--brand B]"},
		{"/crisis open sev2 Title --bran acme", "unknown option --bran"},
		{"/crisis open sev2 Title --brand", "--brand needs a value"},
		{"/role assign legal @dana", "only holders of social-lead may do that"},
		{"/boom", "Something went wrong"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			r := newRouter(t, &echo{}, denyAll{})
			var replies bottest.Replies
			_ = r.Handle(context.Background(), bot.Request{ID: tt.text, User: "sam", Text: tt.text}, &replies)
			all := replies.All()
			if len(all) != 1 || !all[0].Private || !strings.Contains(all[0].Text, tt.want) {
				t.Fatalf("replies = %+v, want one private reply containing %q", all, tt.want)
			}
		})
	}
}

func TestRouterDropsRepeatedDeliveries(t *testing.T) {
	e := &echo{}
	r := newRouter(t, e, nil)
	var replies bottest.Replies
	req := bot.Request{ID: "slack:evt:1", User: "sam", Text: "/crisis status hello"}
	for i := 0; i < 3; i++ {
		if err := r.Handle(context.Background(), req, &replies); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(replies.All()); n != 1 {
		t.Fatalf("handled %d times, want 1", n)
	}
}

func TestHelpIsGeneratedFromDefinitions(t *testing.T) {
	r := newRouter(t, &echo{}, nil)
	var replies bottest.Replies
	_ = r.Handle(context.Background(), bot.Request{User: "sam", Text: "/interlock help"}, &replies)
	_ = r.Handle(context.Background(), bot.Request{User: "sam", Text: "/interlock help crisis"}, &replies)
	text := replies.Text()
	for _, want := range []string{"/crisis", "/route", "/crisis open <sev> <title…> [--brand B]", "/crisis status <update…>"} {
		if !strings.Contains(text, want) {
			t.Errorf("help lacks %q:\n%s", want, text)
		}
	}
}

func FuzzResolve(f *testing.F) {
	for _, s := range []string{"/crisis open sev2 \"a b\" --brand acme", "/route auto x", "“smart quotes” --x=", "'", "--", "/interlock help crisis"} {
		f.Add(s)
	}
	r := newRouter(&testing.T{}, &echo{}, nil)
	f.Fuzz(func(t *testing.T, text string) {
		cmd, args, err := r.Resolve(text)
		if err == nil && cmd == nil {
			t.Fatalf("no command and no error for %q", text)
		}
		_ = args.Text(0)
	})
}

func TestRouterLetsARetryRunWhenADependencyWasDown(t *testing.T) {
	calls := 0
	r := bot.NewRouter(slog.New(slog.NewTextHandler(io.Discard, nil)), nil, &claims{seen: map[string]bool{}})
	r.Register(bot.Command{Group: "decision", Handler: func(context.Context, *bot.Context) error {
		calls++
		if calls == 1 {
			return bot.Unavailable("database", errors.New("connection refused"))
		}
		return nil
	}})
	var replies bottest.Replies
	req := bot.Request{ID: "slack:cmd:1", User: "sam", Text: "/decision ship it"}
	_ = r.Handle(context.Background(), req, &replies)
	if !strings.Contains(replies.Text(), "database is unavailable right now") {
		t.Fatalf("reply = %q", replies.Text())
	}
	_ = r.Handle(context.Background(), req, &replies)
	_ = r.Handle(context.Background(), req, &replies)
	if calls != 2 {
		t.Fatalf("handler ran %d times, want 2 (the failed attempt and one retry)", calls)
	}
}
