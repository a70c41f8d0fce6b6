package bench

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack/slacktest"

	"github.com/interlock-coe/interlock/config"
)

// fakeSlack is slacktest's local Slack with every Web API method the
// adapter uses answered in Slack's wire format, each after delay, and a
// response_url endpoint under /hooks/. When recording, it keeps the
// timeline of calls.
type fakeSlack struct {
	srv     *slacktest.Server
	delay   time.Duration
	onReply func(path string, at time.Time) // called for each response_url post

	mu     sync.Mutex
	seq    int
	record bool
	calls  []apiCall
	ids    map[string]string // email → Slack user id
	emails map[string]string // Slack user id → email
}

// apiCall is one Web API call: when it arrived and when it was answered.
type apiCall struct {
	method string
	form   url.Values
	start  time.Time
	end    time.Time
}

// slackID is the Slack user id the fake gives a configured person.
func slackID(person string) string { return "U0" + strings.ToUpper(person) }

// newFakeSlack starts a fake Slack that knows the configured people by
// email, as a workspace whose configuration lists no Slack ids.
func newFakeSlack(cfg *config.Config, delay time.Duration, onReply func(string, time.Time)) *fakeSlack {
	f := &fakeSlack{delay: delay, onReply: onReply, ids: map[string]string{}, emails: map[string]string{}}
	for _, p := range cfg.People {
		f.ids[p.Email] = slackID(p.ID)
		f.emails[slackID(p.ID)] = p.Email
	}
	f.srv = slacktest.NewTestServer(func(c slacktest.Customize) {
		for method, h := range f.handlers() {
			c.Handle("/"+method, f.answer(method, h))
		}
		c.Handle("/hooks/", f.hook)
	})
	f.srv.Start()
	return f
}

// URL is the API URL to give the adapter (SLACK_API_URL).
func (f *fakeSlack) URL() string { return f.srv.GetAPIURL() }

// responseURL is a response_url for request n.
func (f *fakeSlack) responseURL(n int64) string { return fmt.Sprintf("%shooks/%d", f.URL(), n) }

// Close stops the server.
func (f *fakeSlack) Close() { f.srv.Stop() }

// startRecording clears the timeline and records calls from now on.
func (f *fakeSlack) startRecording() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls, f.record = nil, true
}

// timeline returns the calls recorded so far, in order of arrival.
func (f *fakeSlack) timeline() []apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]apiCall(nil), f.calls...)
}

func (f *fakeSlack) sleep() {
	if f.delay > 0 {
		time.Sleep(f.delay)
	}
}

func (f *fakeSlack) answer(method string, h func(url.Values) any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		_ = r.ParseForm()
		f.mu.Lock()
		body := h(r.Form)
		f.mu.Unlock()
		f.sleep()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(body)
		f.mu.Lock()
		if f.record {
			f.calls = append(f.calls, apiCall{method: method, form: r.Form, start: start, end: time.Now()})
		}
		f.mu.Unlock()
	}
}

func (f *fakeSlack) hook(w http.ResponseWriter, r *http.Request) {
	f.sleep()
	if f.onReply != nil {
		f.onReply(r.URL.Path, time.Now())
	}
	w.WriteHeader(http.StatusOK)
}

type obj = map[string]any

// handlers answer with f.mu held.
func (f *fakeSlack) handlers() map[string]func(url.Values) any {
	ok := func(url.Values) any { return obj{"ok": true} }
	channel := func(v url.Values) any { return obj{"ok": true, "channel": obj{"id": v.Get("channel")}} }
	message := func(v url.Values) any {
		f.seq++
		return obj{"ok": true, "channel": v.Get("channel"), "ts": fmt.Sprintf("1700000000.%06d", f.seq)}
	}
	return map[string]func(url.Values) any{
		"auth.test": func(url.Values) any { return obj{"ok": true, "user_id": "U0BOT", "team_id": "T0BENCH"} },
		"conversations.create": func(v url.Values) any {
			f.seq++
			return obj{"ok": true, "channel": obj{"id": fmt.Sprintf("G0ROOM%d", f.seq), "name": v.Get("name"), "is_private": v.Get("is_private") == "true"}}
		},
		"conversations.invite":   channel,
		"conversations.setTopic": channel,
		"conversations.archive":  ok,
		"conversations.open": func(v url.Values) any {
			return obj{"ok": true, "channel": obj{"id": "D" + v.Get("users")}}
		},
		"conversations.list": func(url.Values) any {
			return obj{"ok": true, "channels": []obj{}, "response_metadata": obj{"next_cursor": ""}}
		},
		"chat.postMessage":   message,
		"chat.update":        message,
		"chat.postEphemeral": func(url.Values) any { return obj{"ok": true, "message_ts": "1700000000.999999"} },
		"pins.add":           ok,
		"users.info": func(v url.Values) any {
			email, known := f.emails[v.Get("user")]
			if !known {
				return obj{"ok": false, "error": "user_not_found"}
			}
			return obj{"ok": true, "user": obj{"id": v.Get("user"), "profile": obj{"email": email}}}
		},
		"users.lookupByEmail": func(v url.Values) any {
			id, known := f.ids[v.Get("email")]
			if !known {
				return obj{"ok": false, "error": "users_not_found"}
			}
			return obj{"ok": true, "user": obj{"id": id}}
		},
	}
}
