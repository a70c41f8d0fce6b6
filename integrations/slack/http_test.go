package slack

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// silent is a Dispatcher that records requests and never replies.
type silent struct{ *recorder }

func (s silent) Handle(_ context.Context, req bot.Request, _ bot.Responder) error {
	s.mu.Lock()
	s.reqs = append(s.reqs, req)
	s.mu.Unlock()
	return nil
}

func TestHTTPAcceptsSlackExampleRequest(t *testing.T) {
	f := newFakeSlack(t)
	d := silent{newRecorder()}
	a, clock, _ := testAdapter(t, f, d)
	a.verify.secret = []byte(exampleSecret)
	clock.now = time.Unix(exampleTimestamp, 0)

	send := func(body string) int {
		r := signed("/slack/commands", body, clock.now)
		r.Header = exampleHeader()
		return serve(a, r).Code
	}
	if code := send(exampleBody); code != http.StatusOK {
		t.Fatalf("Slack's example answered %d, want 200", code)
	}
	idle(a)
	reqs := d.requests()
	if len(reqs) != 1 || reqs[0].Text != "/webhook-collect" || reqs[0].Channel != "G8PSS9T3V" {
		t.Fatalf("dispatched %+v", reqs)
	}
	if code := send(strings.Replace(exampleBody, "roadrunner", "roadrunnes", 1)); code != http.StatusUnauthorized {
		t.Fatalf("one byte changed answered %d, want 401", code)
	}
}

func TestHTTPRefusesBadRequests(t *testing.T) {
	f := newFakeSlack(t)
	d := newRecorder()
	a, clock, _ := testAdapter(t, f, d)
	body := commandForm("/crisis", "list", "U0ALICE", "C0SOCIAL", "1.2.3", "")
	cases := []struct {
		name string
		req  func() *http.Request
		want int
	}{
		{"bad signature", func() *http.Request {
			r := signed("/slack/commands", body, clock.now)
			r.Header.Set("X-Slack-Signature", "v0="+strings.Repeat("00", 32))
			return r
		}, http.StatusUnauthorized},
		{"unsigned", func() *http.Request {
			r := signed("/slack/commands", body, clock.now)
			r.Header.Del("X-Slack-Signature")
			return r
		}, http.StatusUnauthorized},
		{"timestamp 6 minutes old", func() *http.Request {
			return signed("/slack/events", `{"type":"url_verification","challenge":"x"}`, clock.now.Add(-6*time.Minute))
		}, http.StatusUnauthorized},
		{"timestamp 5 minutes old is fine", func() *http.Request {
			return signed("/slack/events", `{"type":"url_verification","challenge":"x"}`, clock.now.Add(-5*time.Minute))
		}, http.StatusOK},
		{"interaction with a bad signature", func() *http.Request {
			r := signed("/slack/interactions", "payload=%7B%7D", clock.now)
			r.Header.Set("X-Slack-Request-Timestamp", "1700000001")
			return r
		}, http.StatusUnauthorized},
		{"body over 1 MiB", func() *http.Request {
			return signed("/slack/commands", body+"&pad="+strings.Repeat("x", maxBody), clock.now)
		}, http.StatusRequestEntityTooLarge},
		{"GET", func() *http.Request {
			r := signed("/slack/commands", "", clock.now)
			r.Method = http.MethodGet
			return r
		}, http.StatusMethodNotAllowed},
		{"command without user", func() *http.Request {
			return signed("/slack/commands", "command=%2Fcrisis&channel_id=C1", clock.now)
		}, http.StatusBadRequest},
		{"event that is not JSON", func() *http.Request {
			return signed("/slack/events", "{", clock.now)
		}, http.StatusBadRequest},
		{"ssl_check", func() *http.Request {
			return signed("/slack/commands", "ssl_check=1&token=x", clock.now)
		}, http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := serve(a, tc.req()).Code; got != tc.want {
				t.Fatalf("answered %d, want %d", got, tc.want)
			}
		})
	}
	idle(a)
	if reqs := d.requests(); len(reqs) != 0 {
		t.Fatalf("refused requests reached the dispatcher: %+v", reqs)
	}
}

func TestURLVerificationAnswersChallenge(t *testing.T) {
	a, clock, _ := testAdapter(t, newFakeSlack(t), newRecorder())
	w := serve(a, signed("/slack/events", `{"token":"t","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`, clock.now))
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"`) {
		t.Fatalf("answered %d %q", w.Code, w.Body.String())
	}
}

func TestSlashCommandIsNormalisedAndAnsweredPrivately(t *testing.T) {
	f := newFakeSlack(t)
	hooks := newHookServer(t)
	d := newRecorder()
	a, clock, _ := testAdapter(t, f, d)

	text := "status <@U0BOB|bob> told &lt;everyone&gt; in <#C0SOCIAL|social> &amp; <#G0LEGAL>: see <https://status.example.com/x?a=1&amp;b=2|status page>"
	w := serve(a, signed("/slack/commands", commandForm("/crisis", text, "U0ALICE", "C0SOCIAL", "111.222.abc", hooks.srv.URL), clock.now))
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("acknowledged with %d %q, want an empty 200", w.Code, w.Body.String())
	}
	idle(a)

	reqs := d.requests()
	if len(reqs) != 1 {
		t.Fatalf("dispatched %d requests", len(reqs))
	}
	got := reqs[0]
	want := "/crisis status @bob told <everyone> in #social & #G0LEGAL: see https://status.example.com/x?a=1&b=2"
	if got.Text != want || got.User != "alice" || got.Channel != "C0SOCIAL" || got.ID != "slack:cmd:111.222.abc" || got.Platform != "slack" {
		t.Fatalf("request %+v\nwant text %q from alice", got, want)
	}
	if !got.Time.Equal(clock.now) {
		t.Fatalf("request time %v, want the clock's %v", got.Time, clock.now)
	}
	msgs := hooks.received()
	if len(msgs) != 1 || msgs[0]["response_type"] != "ephemeral" || !strings.Contains(msgs[0]["text"].(string), "only you: /crisis status <@U0BOB> told &lt;everyone&gt;") {
		t.Fatalf("response_url received %v", msgs)
	}
	if n := len(f.callsTo("chat.postEphemeral")); n != 0 {
		t.Fatalf("chat.postEphemeral used %d times though the response_url worked", n)
	}
}

func TestPrivateReplyFallsBackToPostEphemeral(t *testing.T) {
	f := newFakeSlack(t)
	d := newRecorder()
	a, clock, _ := testAdapter(t, f, d)
	gone := "http://127.0.0.1:1/expired" // nothing listens on port 1
	serve(a, signed("/slack/commands", commandForm("/kpi", "", "U0ALICE", "C0SOCIAL", "9.9.9", gone), clock.now))
	idle(a)
	calls := f.callsTo("chat.postEphemeral")
	if len(calls) != 1 || calls[0].form.Get("user") != "U0ALICE" || calls[0].form.Get("channel") != "C0SOCIAL" {
		t.Fatalf("chat.postEphemeral calls: %+v", calls)
	}
}

// TestResponseURLIsNotLogged is the regression test for failed
// response_url posts: the URL is a credential for the channel and the
// transport error that names it was logged at every retry.
func TestResponseURLIsNotLogged(t *testing.T) {
	f := newFakeSlack(t)
	var logs strings.Builder
	var mu sync.Mutex
	a, clock, _ := testAdapter(t, f, newRecorder(), func(o *Options) {
		o.Logger = slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, nil))
	})
	secret := "http://127.0.0.1:1/commands/T0TEAM/397700885554/96rGlfmibIGlgcZRskXaIFfN"
	serve(a, signed("/slack/commands", commandForm("/kpi", "", "U0ALICE", "C0SOCIAL", "9.9.8", secret), clock.now))
	idle(a)
	if n := len(f.callsTo("chat.postEphemeral")); n != 1 {
		t.Fatalf("%d chat.postEphemeral calls, want the fallback", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Contains(logs.String(), "96rGlfmibIGlgcZRskXaIFfN") || !strings.Contains(logs.String(), "(response_url)") {
		t.Fatalf("logs name the response_url:\n%s", logs.String())
	}
}

// lockedWriter serialises writes from the adapter's goroutines.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestShutdownWaitsThenRefuses(t *testing.T) {
	f := newFakeSlack(t)
	d := newRecorder()
	a, clock, _ := testAdapter(t, f, d)
	serve(a, signed("/slack/commands", commandForm("/kpi", "", "U0ALICE", "C0SOCIAL", "1.1.1", ""), clock.now))
	if err := a.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(d.requests()); n != 1 {
		t.Fatalf("Shutdown returned before the request in flight finished (%d handled)", n)
	}
	w := serve(a, signed("/slack/commands", commandForm("/kpi", "", "U0ALICE", "C0SOCIAL", "1.1.2", ""), clock.now))
	if w.Code != http.StatusServiceUnavailable {
		t.Fatalf("after Shutdown answered %d, want 503", w.Code)
	}
}

func TestInteractionWithoutCommandIsAcknowledged(t *testing.T) {
	d := newRecorder()
	a, clock, _ := testAdapter(t, newFakeSlack(t), d)
	body := url.Values{"payload": {`{"type":"view_submission","user":{"id":"U0ALICE"}}`}}.Encode()
	if code := serve(a, signed("/slack/interactions", body, clock.now)).Code; code != http.StatusOK {
		t.Fatalf("answered %d", code)
	}
	idle(a)
	if n := len(d.requests()); n != 0 {
		t.Fatalf("dispatched %d requests", n)
	}
}

func TestPing(t *testing.T) {
	a, _, _ := testAdapter(t, newFakeSlack(t), nil)
	if err := a.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}
