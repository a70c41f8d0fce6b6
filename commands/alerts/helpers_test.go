package alerts_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/bot/bottest"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/alerts"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/crisis"
	"github.com/interlock-coe/interlock/commands/decision"
	"github.com/interlock-coe/interlock/commands/role"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

const listening = "#social-listening"

// fixture is a running bot with the listening feature and the crisis
// feature it opens rooms with.
type fixture struct {
	*commandstest.Harness
	t  *testing.T
	l  *alerts.Listener
	hr time.Duration // window length
}

func registerCrisis(r *bot.Router, d commands.Deps) { crisis.Register(r, d, d.Store) }

func newFixture(t *testing.T, opts ...commandstest.Option) *fixture {
	return newFixtureWith(t, func(d commands.Deps) commands.Deps { return d }, opts...)
}

// newFixtureWith lets a test change the alerts feature's dependencies.
func newFixtureWith(t *testing.T, deps func(commands.Deps) commands.Deps, opts ...commandstest.Option) *fixture {
	t.Helper()
	f := &fixture{t: t, hr: time.Hour}
	register := func(r *bot.Router, d commands.Deps) { f.l = alerts.Register(r, deps(d)) }
	f.Harness = commandstest.New(t, []commandstest.Register{role.Register, decision.Register, registerCrisis, register}, opts...)
	return f
}

// point is a window of source "brandwatch" for acme and topic ending at end.
func point(topic string, end time.Time, mentions int64) store.ListeningPoint {
	return store.ListeningPoint{
		Source: "brandwatch", Brand: "acme", Topic: topic,
		WindowStart: end.Add(-time.Hour), WindowEnd: end,
		Mentions: mentions, Negative: mentions / 5, Neutral: mentions / 2, Positive: mentions / 5, Reach: mentions * 50,
	}
}

// feed sends one hourly window per count: the clock moves an hour (firing
// what falls due), then the window that just ended arrives.
func (f *fixture) feed(topic string, counts ...int64) {
	f.t.Helper()
	for _, c := range counts {
		f.Advance(f.hr)
		f.ingest(point(topic, f.Clock.Now(), c))
	}
}

func (f *fixture) ingest(ps ...store.ListeningPoint) alerts.Receipt {
	f.t.Helper()
	r, err := f.l.Ingest(context.Background(), ps)
	if err != nil {
		f.t.Fatalf("Ingest: %v", err)
	}
	return r
}

// steady is n hourly counts around 400.
func steady(n int) []int64 {
	wobble := []int64{400, 390, 410, 405, 395}
	out := make([]int64, n)
	for i := range out {
		out[i] = wobble[i%len(wobble)]
	}
	return out
}

// cards returns the alert cards posted to the listening channel.
func (f *fixture) cards() []bottest.Event {
	var out []bottest.Event
	for _, e := range f.Chat.Events("post") {
		if e.Channel == listening && strings.Contains(e.Message.Title, "Listening alert") {
			out = append(out, e)
		}
	}
	return out
}

func (f *fixture) updates() []bottest.Event { return f.Chat.Events("update") }

func (f *fixture) alert(id int64) store.ListeningAlert {
	f.t.Helper()
	a, err := f.Store.ListeningAlert(context.Background(), id)
	if err != nil {
		f.t.Fatalf("alert %d: %v", id, err)
	}
	return a
}

func text(e bottest.Event) string { return bot.PlainText(e.Message) }

func contains(t *testing.T, what, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q; got:\n%s", what, w, got)
		}
	}
}

// noAutoOpen is the example configuration with listening.auto_open "".
func noAutoOpen(t *testing.T) commandstest.Option {
	t.Helper()
	return withConfig(t, "  auto_open: sev1", `  auto_open: ""`)
}

// withConfig is the example configuration with the line from replaced.
func withConfig(t *testing.T, from, to string) commandstest.Option {
	t.Helper()
	yaml := string(config.Example())
	if !strings.Contains(yaml, from) {
		t.Fatalf("the example configuration has no %q", from)
	}
	return commandstest.WithConfig(strings.Replace(yaml, from, to, 1))
}
