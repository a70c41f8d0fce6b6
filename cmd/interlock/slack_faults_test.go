//go:build faults

package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack/slacktest"
)

// Secrets the replicas are given; the logs must never show them.
const (
	botToken      = "xoxb-faults-bot-token-71d3"
	signingSecret = "faults-signing-secret-0b5e"
	webhookToken  = "faults-webhook-token-a6c8"
)

// workspace are the Slack channels the bot can see (conversations.list):
// every channel the example configuration names.
var workspace = map[string]string{
	"social-listening": "C0LISTEN", "social-team": "C0SOCIAL", "all-brands": "C0ALL",
	"crisis-alerts": "C0CRISIS", "customer-care": "C0CARE", "sales": "C0SALES", "hr": "C0HR",
	"legal": "C0LEGAL", "product": "C0PRODUCT", "general": "C0GENERAL",
}

// slackUser is the Slack user id of a configured person (found by email).
func slackUser(person string) string { return "U0" + strings.ToUpper(person) }

// apiCall is one Web API call a replica made, with when it arrived.
type apiCall struct {
	method string
	form   url.Values
	at     time.Time
	status int // HTTP status answered
}

// text is everything a message call said: fallback text and blocks.
func (c apiCall) text() string { return c.form.Get("text") + "\n" + c.form.Get("blocks") }

// fakeSlack is slacktest's server with recording handlers for the methods
// the adapter uses; both replicas talk to it through SLACK_API_URL.
type fakeSlack struct {
	srv *slacktest.Server

	mu      sync.Mutex
	calls   []apiCall
	seq     int
	created []struct{ name, id string } // conversations.create, in order
	// The next chat.postMessage calls to faulty answer 429 limited times,
	// then 503 broken times.
	faulty          string
	limited, broken int
}

func newFakeSlack(t *testing.T) *fakeSlack {
	t.Helper()
	f := &fakeSlack{}
	f.srv = slacktest.NewTestServer(func(c slacktest.Customize) {
		for method, h := range f.handlers() {
			c.Handle("/"+method, f.record(method, h))
		}
	})
	f.srv.Start()
	t.Cleanup(f.srv.Stop)
	return f
}

func (f *fakeSlack) url() string { return f.srv.GetAPIURL() }

type obj = map[string]any

func (f *fakeSlack) record(method string, h func(url.Values) (int, any)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		f.mu.Lock()
		status, body := h(r.Form)
		f.calls = append(f.calls, apiCall{method: method, form: r.Form, at: time.Now(), status: status})
		f.mu.Unlock()
		if status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "1")
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(body)
	}
}

// handlers answer in Slack's wire format, with f.mu held.
func (f *fakeSlack) handlers() map[string]func(url.Values) (int, any) {
	channel := func(v url.Values) (int, any) {
		return http.StatusOK, obj{"ok": true, "channel": obj{"id": v.Get("channel")}}
	}
	ok := func(url.Values) (int, any) { return http.StatusOK, obj{"ok": true} }
	return map[string]func(url.Values) (int, any){
		"conversations.create": func(v url.Values) (int, any) {
			f.seq++
			id := fmt.Sprintf("G0ROOM%d", f.seq)
			f.created = append(f.created, struct{ name, id string }{v.Get("name"), id})
			return http.StatusOK, obj{"ok": true, "channel": obj{"id": id, "name": v.Get("name"), "is_private": true}}
		},
		"conversations.invite":   channel,
		"conversations.setTopic": channel,
		"conversations.archive":  ok,
		"conversations.open": func(v url.Values) (int, any) {
			return http.StatusOK, obj{"ok": true, "channel": obj{"id": "D" + v.Get("users")}}
		},
		"conversations.list": func(url.Values) (int, any) {
			var chans []obj
			for name, id := range workspace {
				chans = append(chans, obj{"id": id, "name": name})
			}
			return http.StatusOK, obj{"ok": true, "channels": chans, "response_metadata": obj{"next_cursor": ""}}
		},
		"chat.postMessage": func(v url.Values) (int, any) {
			switch {
			case v.Get("channel") != f.faulty:
			case f.limited > 0:
				f.limited--
				return http.StatusTooManyRequests, obj{"ok": false, "error": "ratelimited"}
			case f.broken > 0:
				f.broken--
				return http.StatusServiceUnavailable, obj{"ok": false}
			}
			f.seq++
			return http.StatusOK, obj{"ok": true, "channel": v.Get("channel"), "ts": fmt.Sprintf("1700000000.%06d", f.seq)}
		},
		"chat.postEphemeral": func(url.Values) (int, any) {
			return http.StatusOK, obj{"ok": true, "message_ts": "1700000000.999999"}
		},
		"chat.update": func(v url.Values) (int, any) {
			return http.StatusOK, obj{"ok": true, "channel": v.Get("channel"), "ts": v.Get("ts")}
		},
		"pins.add": ok,
		"users.info": func(v url.Values) (int, any) {
			person := strings.ToLower(strings.TrimPrefix(v.Get("user"), "U0"))
			return http.StatusOK, obj{"ok": true, "user": obj{"id": v.Get("user"), "profile": obj{"email": person + "@example.com"}}}
		},
		"users.lookupByEmail": func(v url.Values) (int, any) {
			person, _, _ := strings.Cut(v.Get("email"), "@")
			return http.StatusOK, obj{"ok": true, "user": obj{"id": slackUser(person)}}
		},
	}
}

// failPosts makes the next chat.postMessage calls to channel answer 429
// limited times, then 503 broken times.
func (f *fakeSlack) failPosts(channel string, limited, broken int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faulty, f.limited, f.broken = channel, limited, broken
}

// callsTo returns the recorded calls of one method.
func (f *fakeSlack) callsTo(method string) []apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []apiCall
	for _, c := range f.calls {
		if c.method == method {
			out = append(out, c)
		}
	}
	return out
}

// posts returns the chat.postMessage calls to channel that Slack accepted
// and that mention all of the words.
func (f *fakeSlack) posts(channel string, words ...string) []apiCall {
	var out []apiCall
	for _, c := range f.attempts(channel, words...) {
		if c.status == http.StatusOK {
			out = append(out, c)
		}
	}
	return out
}

// attempts is posts with the refused calls too.
func (f *fakeSlack) attempts(channel string, words ...string) []apiCall {
	var out []apiCall
	for _, c := range f.callsTo("chat.postMessage") {
		if c.form.Get("channel") == channel && containsAll(c.text(), words) {
			out = append(out, c)
		}
	}
	return out
}

// rooms returns the ids of the rooms created with a name containing part,
// in order.
func (f *fakeSlack) rooms(part string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ids []string
	for _, r := range f.created {
		if strings.Contains(r.name, part) {
			ids = append(ids, r.id)
		}
	}
	return ids
}

func containsAll(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

// responseURLs is a local stand-in for Slack's response_url endpoints: each
// command gets its own path, and what is posted there is kept by path.
type responseURLs struct {
	srv  *httptest.Server
	mu   sync.Mutex
	msgs map[string][]string // path → texts
}

func newResponseURLs(t *testing.T) *responseURLs {
	t.Helper()
	h := &responseURLs{msgs: map[string][]string{}}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m struct {
			Text string `json:"text"`
		}
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &m); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		h.mu.Lock()
		h.msgs[r.URL.Path] = append(h.msgs[r.URL.Path], m.Text+"\n"+string(body))
		h.mu.Unlock()
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *responseURLs) received(path string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.msgs[path]...)
}

// slashCommands signs and posts slash commands the way Slack does.
type slashCommands struct {
	hooks *responseURLs
	n     atomic.Int64
}

// command is one slash command: its signed form body and the path of its
// response_url.
type command struct {
	body string
	path string
}

// prepare makes "/name text" typed by person in channel, with a trigger id
// of its own (Slack's delivery id, by which replicas de-duplicate).
func (s *slashCommands) prepare(person, channel, name, text string) command {
	n := s.n.Add(1)
	c := command{path: fmt.Sprintf("/r/%d", n)}
	c.body = url.Values{
		"command": {name}, "text": {text}, "user_id": {slackUser(person)}, "channel_id": {channel},
		"trigger_id":   {fmt.Sprintf("%d.faults.%d", time.Now().UnixNano(), n)},
		"response_url": {s.hooks.srv.URL + c.path}, "team_id": {"T0FAULTS"},
	}.Encode()
	return c
}

// send posts a new command to a replica and fails the test unless the
// replica acknowledges it with 200.
func (s *slashCommands) send(t *testing.T, to *replica, person, channel, name, text string) command {
	t.Helper()
	c := s.prepare(person, channel, name, text)
	if status := deliver(t, to, c, time.Now()); status != http.StatusOK {
		t.Fatalf("%s %s to replica %s answered %d, want 200", name, text, to.name, status)
	}
	return c
}

// deliver posts a command's body to a replica's /slack/commands, signed at
// time at, and returns the status.
func deliver(t *testing.T, to *replica, c command, at time.Time) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, to.base+"/slack/commands", strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	signSlack(req, []byte(c.body), at)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST /slack/commands to replica %s: %v", to.name, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// signSlack adds Slack's v0 signature headers to a request.
func signSlack(r *http.Request, body []byte, at time.Time) {
	ts := strconv.FormatInt(at.Unix(), 10)
	m := hmac.New(sha256.New, []byte(signingSecret))
	fmt.Fprintf(m, "v0:%s:%s", ts, body)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("X-Slack-Request-Timestamp", ts)
	r.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(m.Sum(nil)))
}
