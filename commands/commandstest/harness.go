// Package commandstest runs features the way people use them: a real router,
// the embedded store in a temporary directory, in-process coordination, the
// example configuration, a recording chat and a clock the test moves. A test
// reads like a conversation:
//
//	h := commandstest.New(t, crisis.Register)
//	h.Say("@alex #general /crisis open sev2 Checkout down").Contains(t, "opened")
//	h.Advance(31 * time.Minute)
package commandstest

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/bot/bottest"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
	"github.com/interlock-coe/interlock/store/memory"
)

// Start is the harness clock's starting time: a Monday morning.
var Start = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// Clock is a settable clock.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Harness is a running bot for one test.
type Harness struct {
	t      testing.TB
	Deps   commands.Deps
	Router *bot.Router
	Chat   *bottest.Chat
	Clock  *Clock
	Store  store.Store
	seq    int
}

// Register is a feature's registration function.
type Register func(r *bot.Router, d commands.Deps)

// Option changes the harness before features register.
type Option func(*options)

type options struct {
	yaml  string
	dir   string
	chat  func(r *bot.Router) bot.Chat
	open  func(t testing.TB, log *slog.Logger) (store.Store, error)
	store store.Store // WithStore: the caller's, closed by the caller
}

// WithStore runs the features over st (a PostgreSQL store, say) instead of
// the embedded store; the caller closes it.
func WithStore(st store.Store) Option { return func(o *options) { o.store = st } }

// WithChat uses the chat that build makes (a platform adapter under test,
// dispatching to r) instead of the recording chat; Harness.Chat is then nil.
func WithChat(build func(r *bot.Router) bot.Chat) Option {
	return func(o *options) { o.chat = build }
}

// WithConfig uses the given YAML instead of the embedded example.
func WithConfig(yaml string) Option { return func(o *options) { o.yaml = yaml } }

// WithDataDir keeps the embedded store in dir (to test restarts).
func WithDataDir(dir string) Option { return func(o *options) { o.dir = dir } }

// New builds a harness with the given features registered.
func New(t testing.TB, features []Register, opts ...Option) *Harness {
	t.Helper()
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	cfg := loadConfig(t, o.yaml)
	if o.dir == "" {
		o.dir = t.TempDir()
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	clock := &Clock{now: Start}
	st := o.store
	if st == nil {
		opened, err := openStore(t, o, log)
		if err != nil {
			t.Fatalf("open store: %v", err)
		}
		t.Cleanup(func() { opened.Close() })
		st = opened
	}
	if err := st.SeedRoles(context.Background(), seeds(cfg, clock.Now())); err != nil {
		t.Fatalf("seed roles: %v", err)
	}
	coord := memory.New(clock)
	access := &bot.Access{Roles: commands.Roster{Store: st}, Policy: cfg.Permissions, Admins: []string{cfg.Org.CoELead}}
	router := bot.NewRouter(log, access, coord)
	h := &Harness{t: t, Router: router, Clock: clock, Store: st}
	var chat bot.Chat
	if o.chat != nil {
		chat = o.chat(router)
	} else {
		h.Chat = bottest.NewChat()
		chat = h.Chat
	}
	h.Deps = commands.Deps{
		Config: cfg, Store: st, Chat: chat, Coord: coord, Scheduler: bot.NewScheduler(st, clock, log),
		Access: access, Clock: clock, People: everyone{}, Log: log,
		Events: commands.NewRoleEvents(),
	}
	for _, f := range features {
		f(router, h.Deps)
	}
	return h
}

func loadConfig(t testing.TB, yaml string) *config.Config {
	t.Helper()
	env := config.Env{}
	if yaml != "" {
		path := t.TempDir() + "/config.yaml"
		if err := writeFile(path, yaml); err != nil {
			t.Fatal(err)
		}
		env.ConfigPath = path
	}
	cfg, err := config.Load(env)
	if err != nil {
		t.Fatalf("load config: %v", err)
	}
	return cfg
}

func seeds(cfg *config.Config, at time.Time) []store.RoleAssignment {
	var out []store.RoleAssignment
	for _, r := range cfg.Roles {
		for _, hd := range r.Holders {
			out = append(out, store.RoleAssignment{Role: r.ID, Person: strings.ToLower(hd.Person), Brand: hd.Brand, Backup: hd.Backup, AssignedBy: "config", AssignedAt: at})
		}
	}
	return out
}

// everyone accepts any handle, like the shell's workspace.
type everyone struct{}

func (everyone) Known(string) bool { return true }

// Result is what the bot answered one request.
type Result struct {
	Replies []bot.Reply
	Err     error
}

// Text joins the plain text of every reply.
func (r Result) Text() string {
	parts := make([]string, len(r.Replies))
	for i, rep := range r.Replies {
		parts[i] = bot.PlainText(rep.Message)
	}
	return strings.Join(parts, "\n")
}

// Private reports whether every reply was private.
func (r Result) Private() bool {
	for _, rep := range r.Replies {
		if !rep.Private {
			return false
		}
	}
	return len(r.Replies) > 0
}

// Contains fails the test unless the replies contain every want.
func (r Result) Contains(t testing.TB, want ...string) Result {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(r.Text(), w) {
			t.Errorf("reply lacks %q; got:\n%s", w, r.Text())
		}
	}
	return r
}

// Fails fails the test unless the request failed with code.
func (r Result) Fails(t testing.TB, code bot.Code, want string) Result {
	t.Helper()
	if bot.ErrorCode(r.Err) != code || r.Err == nil {
		t.Errorf("error = %v (code %s), want code %s", r.Err, bot.ErrorCode(r.Err), code)
	}
	if !r.Private() || !strings.Contains(r.Text(), want) {
		t.Errorf("want a private reply containing %q; got:\n%s", want, r.Text())
	}
	return r
}

// Say runs a line "[@user] [#channel] /command …" (defaults: @alex in
// #general) and returns the replies.
func (h *Harness) Say(line string) Result {
	h.t.Helper()
	user, channel, text := "alex", "#general", strings.TrimSpace(line)
	for i := 0; i < 2; i++ {
		word, rest, _ := strings.Cut(text, " ")
		switch {
		case strings.HasPrefix(word, "@"):
			user = strings.ToLower(word[1:])
		case strings.HasPrefix(word, "#"):
			channel = word
		default:
			i = 2
			continue
		}
		text = strings.TrimSpace(rest)
	}
	h.seq++
	var replies bottest.Replies
	req := bot.Request{ID: "test:" + itoa(h.seq), Platform: "test", User: user, Channel: channel, Text: text, Time: h.Clock.Now()}
	err := h.Router.Handle(context.Background(), req, &replies)
	return Result{Replies: replies.All(), Err: err}
}

// Advance moves the clock forward by d, firing every timer that falls due on
// the way at its own time, in order.
func (h *Harness) Advance(d time.Duration) {
	h.t.Helper()
	ctx := context.Background()
	target := h.Clock.Now().Add(d)
	for steps := 0; steps < 10000; steps++ {
		next, ok, err := h.Store.NextTimerDue(ctx)
		if err != nil {
			h.t.Fatalf("next timer: %v", err)
		}
		if !ok || next.After(target) {
			break
		}
		if next.After(h.Clock.Now()) {
			h.Clock.Set(next)
		}
		if _, err := h.Deps.Scheduler.FireDue(ctx); err != nil {
			h.t.Fatalf("fire due timers: %v", err)
		}
		if !h.Clock.Now().Before(target) {
			break
		}
	}
	h.Clock.Set(target)
	if _, err := h.Deps.Scheduler.FireDue(ctx); err != nil {
		h.t.Fatalf("fire due timers: %v", err)
	}
}
