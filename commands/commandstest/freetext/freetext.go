// Package freetext is a test kit for the promise that words are kept as
// typed: it lists every command that takes free text, texts as people type
// them, and a router with every feature's real definitions whose handlers
// only record what they were given. Each platform's tests feed the texts
// through their own parser and check that the command gets them unchanged.
package freetext

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/alerts"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/crisis"
	"github.com/interlock-coe/interlock/commands/decision"
	"github.com/interlock-coe/interlock/commands/experiment"
	"github.com/interlock-coe/interlock/commands/kpi"
	"github.com/interlock-coe/interlock/commands/role"
	"github.com/interlock-coe/interlock/commands/route"
	"github.com/interlock-coe/interlock/commands/syncs"
)

// Case is one command that takes free text.
type Case struct {
	Path   string   // "crisis reject"
	Before []string // the words typed before the free text: {"3"}
}

// Line is the command line before the free text: "/crisis reject 3".
func (c Case) Line() string {
	return strings.Join(append([]string{"/" + c.Path}, c.Before...), " ")
}

// Cases are the commands whose last argument is free text (<text…>).
// TestCasesCoverEveryFreeTextCommand keeps the list complete.
var Cases = []Case{
	{Path: "decision"},
	{Path: "decisions"},
	{Path: "crisis open", Before: []string{"sev2"}},
	{Path: "crisis status"},
	{Path: "crisis decide"},
	{Path: "crisis propose"},
	{Path: "crisis reject", Before: []string{"3"}},
	{Path: "crisis resolve"},
	{Path: "route", Before: []string{"auto"}},
	{Path: "route answer", Before: []string{"4"}},
	{Path: "sync notes", Before: []string{"2"}},
	{Path: "test propose"},
}

// Texts are free texts as people type them: quotes for speech, apostrophes,
// backslashes, runs of spaces, dashes, markup-like characters.
var Texts = []string{
	`Tell the press "no comment"`,
	`we're on it, it's 'fine'`,
	`“smart” quotes and ‘apostrophes’`,
	`two  spaces,   three   spaces`,
	`a back\slash and a \"escaped\" quote`,
	`unclosed "quote`,
	`-- dashes -- and - hyphens`,
	`50% off & <b>tags</b> #5 *bold* _it_ ~x~`,
	`Störung: Ünïcödé Crème brûlée ✅`,
}

// Commands returns the definitions every feature registers, as the app
// registers them.
func Commands(t testing.TB) []*bot.Command {
	t.Helper()
	return Harness(t).Router.Commands()
}

// Harness returns a harness with every feature registered.
func Harness(t testing.TB) *commandstest.Harness {
	t.Helper()
	return commandstest.New(t, []commandstest.Register{
		role.Register,
		decision.Register,
		func(r *bot.Router, d commands.Deps) { crisis.Register(r, d, d.Store) },
		func(r *bot.Router, d commands.Deps) { alerts.Register(r, d) },
		func(r *bot.Router, d commands.Deps) { route.Register(r, d, nil) },
		experiment.Register,
		syncs.Register,
		kpi.Register,
	})
}

// Recorder is a router with the real definitions whose handlers record the
// arguments of each command run, and nothing else.
type Recorder struct {
	Router *bot.Router
	mu     sync.Mutex
	got    map[string]bot.Args
}

// NewRecorder returns a Recorder for cmds.
func NewRecorder(cmds []*bot.Command) *Recorder {
	rec := &Recorder{Router: bot.NewRouter(discard(), nil, nil), got: map[string]bot.Args{}}
	for _, c := range cmds {
		if c.Path() == "interlock help" {
			continue // the router has its own
		}
		def := *c
		def.Permission = ""
		def.Handler = func(_ context.Context, bc *bot.Context) error {
			rec.mu.Lock()
			defer rec.mu.Unlock()
			rec.got[bc.Command.Path()] = bc.Args
			return nil
		}
		rec.Router.Register(def)
	}
	return rec
}

// Args returns the arguments the command at path last ran with.
func (r *Recorder) Args(path string) (bot.Args, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	a, ok := r.got[path]
	return a, ok
}

// Check fails the test unless the command at c.Path last ran with text as
// its free text.
func (r *Recorder) Check(t testing.TB, c Case, text string) {
	t.Helper()
	args, ok := r.Args(c.Path)
	if !ok {
		t.Errorf("%s did not run", c.Line())
		return
	}
	if got := args.Text(len(c.Before)); got != text {
		t.Errorf("%s: free text = %q, want %q", c.Line(), got, text)
	}
}
