package route_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/role"
	"github.com/interlock-coe/interlock/commands/route"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/integrations/inbox"
	"github.com/interlock-coe/interlock/integrations/web"
)

const (
	outboundSecret = "outbound-secret"
	webhookToken   = "hook-token"
)

// receiver is a test social inbox: it records the answers it is sent and
// refuses the first failures of them.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	answers  []route.Answer
	headers  []http.Header
	failures int
}

func newReceiver(t *testing.T, failures int) *receiver {
	t.Helper()
	rc := &receiver{failures: failures}
	rc.Server = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.failures > 0 {
		rc.failures--
		http.Error(w, "inbox is down", http.StatusInternalServerError)
		return
	}
	sig, _ := hex.DecodeString(strings.TrimPrefix(r.Header.Get("X-Interlock-Signature"), "sha256="))
	if !bytes.Equal(sig, web.Sign(outboundSecret, body)) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var a route.Answer
	if err := json.Unmarshal(body, &a); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rc.answers = append(rc.answers, a)
	rc.headers = append(rc.headers, r.Header.Clone())
	w.WriteHeader(http.StatusNoContent)
}

func (rc *receiver) received() []route.Answer {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]route.Answer(nil), rc.answers...)
}

// configWithOutbound is the example configuration answering to url.
func configWithOutbound(t *testing.T, url string) string {
	t.Helper()
	yaml := string(config.Example())
	old := "  outbound:\n    url: \"\""
	if !strings.Contains(yaml, old) {
		t.Fatal("example configuration has no empty routing.outbound.url to replace")
	}
	yaml = strings.Replace(yaml, old, "  outbound:\n    url: \""+url+"\"", 1)
	return strings.Replace(yaml, "    secret: \"\"", "    secret: \""+outboundSecret+"\"", 1)
}

// fixture is a harness with /role and /route, the inbox webhook, and a test
// inbox receiving answers.
type fixture struct {
	*commandstest.Harness
	svc   *route.Service
	inbox *receiver
	hook  http.Handler
}

func newFixture(t *testing.T, opts ...commandstest.Option) *fixture {
	t.Helper()
	return newFixtureFailing(t, 0, opts...)
}

func newFixtureFailing(t *testing.T, failures int, opts ...commandstest.Option) *fixture {
	t.Helper()
	return newFixtureWith(t, failures, func(d commands.Deps) commands.Deps { return d }, opts...)
}

// newFixtureWith lets a test change the route service's dependencies.
func newFixtureWith(t *testing.T, failures int, deps func(commands.Deps) commands.Deps, opts ...commandstest.Option) *fixture {
	t.Helper()
	f := &fixture{inbox: newReceiver(t, failures)}
	register := func(r *bot.Router, d commands.Deps) {
		f.svc = route.Register(r, deps(d), inbox.NewSender(d.Config.Routing.Outbound, f.inbox.Client()))
	}
	opts = append([]commandstest.Option{commandstest.WithConfig(configWithOutbound(t, f.inbox.URL))}, opts...)
	f.Harness = commandstest.New(t, []commandstest.Register{role.Register, register}, opts...)
	f.hook = inbox.NewHandler(f.svc, web.WebhookAuth{Token: webhookToken}, slog.New(slog.DiscardHandler))
	return f
}

// assignLiaisons gives the departments of the done-when scenario their
// liaisons: @lee for customer care with @maria as backup, @sam for sales,
// @dana for legal.
func (f *fixture) assignLiaisons(t *testing.T) {
	t.Helper()
	for _, line := range []string{
		"/role assign customer-care @lee",
		"/role assign customer-care @maria --backup",
		"/role assign sales @sam",
		"/role assign legal @dana",
	} {
		if r := f.Say(line); r.Err != nil {
			t.Fatalf("%s: %v", line, r.Err)
		}
	}
}

// postInbox posts body to the inbox webhook and returns the status and the
// decoded answer.
func (f *fixture) postInbox(t *testing.T, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/hooks/inbox", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+webhookToken)
	rec := httptest.NewRecorder()
	f.hook.ServeHTTP(rec, req)
	var out map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	return rec.Code, out
}

// posts returns the text of the messages posted (not edited) in channel.
func (f *fixture) posts(channel string) []string {
	var out []string
	for _, e := range f.Chat.Events("post") {
		if e.Channel == channel {
			out = append(out, bot.PlainText(e.Message))
		}
	}
	return out
}

// postsContaining counts the posts in channel that contain want.
func (f *fixture) postsContaining(channel, want string) int {
	n := 0
	for _, p := range f.posts(channel) {
		if strings.Contains(p, want) {
			n++
		}
	}
	return n
}

// errTimersDown is what flakyTimers answers while down.
var errTimersDown = errors.New("timer store unavailable")

// flakyTimers is a timer store whose separate scheduling and cancelling
// calls fail while down; timers armed inside a store transaction are not
// affected. It stands for a process that stops right after a change
// commits.
type flakyTimers struct {
	bot.TimerStore
	down atomic.Bool
}

func (f *flakyTimers) ScheduleTimer(ctx context.Context, t bot.Timer) error {
	if f.down.Load() {
		return errTimersDown
	}
	return f.TimerStore.ScheduleTimer(ctx, t)
}

func (f *flakyTimers) CancelTimer(ctx context.Context, key string) error {
	if f.down.Load() {
		return errTimersDown
	}
	return f.TimerStore.CancelTimer(ctx, key)
}

// newFlakyFixture is a fixture whose route service (and the harness's
// Advance) use a scheduler over flakyTimers.
func newFlakyFixture(t *testing.T) (*fixture, *flakyTimers) {
	t.Helper()
	flaky := &flakyTimers{}
	var sched *bot.Scheduler
	f := newFixtureWith(t, 0, func(d commands.Deps) commands.Deps {
		flaky.TimerStore = d.Store
		sched = bot.NewScheduler(flaky, d.Clock, d.Log)
		d.Scheduler = sched
		return d
	})
	f.Deps.Scheduler = sched
	return f, flaky
}
