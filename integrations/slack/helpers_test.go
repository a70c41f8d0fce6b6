package slack

import (
	"cmp"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack/slacktest"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/config"
)

const testSecret = "test-signing-secret"

// fakeClock is a clock tests set by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// directory is a small configured workspace: alice has a Slack id in the
// configuration, bob and carol are found by email, dave has no Slack account.
type directory map[string]config.Person

func testDirectory() directory {
	return directory{
		"alice": {ID: "alice", Email: "alice@example.com", SlackID: "U0ALICE"},
		"bob":   {ID: "bob", Email: "bob@example.com"},
		"carol": {ID: "carol", Email: "carol@example.com"},
		"dave":  {ID: "dave", Email: "dave@elsewhere.example"},
	}
}

func (d directory) Person(id string) (config.Person, bool) { p, ok := d[id]; return p, ok }

func (d directory) PersonBySlackID(id string) (config.Person, bool) {
	for _, p := range d {
		if p.SlackID == id {
			return p, true
		}
	}
	return config.Person{}, false
}

func (d directory) PersonByEmail(email string) (config.Person, bool) {
	for _, p := range d {
		if strings.EqualFold(p.Email, email) {
			return p, true
		}
	}
	return config.Person{}, false
}

// apiCall is one Web API call the fake Slack received.
type apiCall struct {
	method string
	form   url.Values
}

// fakeSlack is slacktest's server with the methods the adapter uses
// replaced by recording handlers that answer in Slack's wire format.
type fakeSlack struct {
	srv *slacktest.Server

	mu        sync.Mutex
	calls     []apiCall
	seq       int
	taken     map[string]bool   // channel names conversations.create refuses
	emails    map[string]string // Slack user id → email (users.info)
	users     map[string]string // email → Slack user id (users.lookupByEmail)
	limited   int               // chat.postMessage answers 429 this many times
	faults    int               // then answers 503 this many times
	notMember map[string]bool   // channels where chat.postMessage says not_in_channel
	blockCap  int               // when set, chat.postMessage refuses more blocks…
	capError  string            // …with this error (msg_blocks_too_long when "")
	views     []obj             // views.open requests (JSON bodies)
	files     fakeFiles         // the upload flow's state (files_test.go)
}

func newFakeSlack(t *testing.T, extra ...func(c slacktest.Customize)) *fakeSlack {
	t.Helper()
	f := &fakeSlack{
		taken:     map[string]bool{},
		notMember: map[string]bool{},
		emails: map[string]string{
			"U0ALICE": "alice@example.com", "U0BOB": "bob@example.com",
			"U0CAROL": "carol@example.com", "U0EVE": "eve@example.com",
		},
		users: map[string]string{"bob@example.com": "U0BOB", "carol@example.com": "U0CAROL"},
	}
	f.srv = slacktest.NewTestServer(func(c slacktest.Customize) {
		for _, x := range extra {
			x(c)
		}
		for method, h := range f.handlers() {
			c.Handle("/"+method, f.record(method, h))
		}
		for method, h := range f.fileHandlers() {
			c.Handle("/"+method, f.record(method, h))
		}
		c.Handle("/upload/", f.receiveUpload)
		c.Handle("/views.open", f.viewsOpen)
	})
	f.srv.Start()
	t.Cleanup(f.srv.Stop)
	return f
}

func (f *fakeSlack) url() string { return f.srv.GetAPIURL() }

// viewsOpen records a views.open request, whose body is JSON.
func (f *fakeSlack) viewsOpen(w http.ResponseWriter, r *http.Request) {
	var req obj
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.views = append(f.views, req)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(obj{"ok": true, "view": obj{"id": "V0FORM"}})
}

// openedViews returns the views.open requests received.
func (f *fakeSlack) openedViews() []obj {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]obj(nil), f.views...)
}

func (f *fakeSlack) record(method string, h func(url.Values) (int, any)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		f.mu.Lock()
		f.calls = append(f.calls, apiCall{method: method, form: r.Form})
		status, body := h(r.Form)
		f.mu.Unlock()
		if status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "1")
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(body)
	}
}

type obj = map[string]any

func fail(code string) (int, any) { return http.StatusOK, obj{"ok": false, "error": code} }

// handlers answer with f.mu held.
func (f *fakeSlack) handlers() map[string]func(url.Values) (int, any) {
	channel := func(v url.Values) (int, any) {
		return http.StatusOK, obj{"ok": true, "channel": obj{"id": v.Get("channel")}}
	}
	ok := func(url.Values) (int, any) { return http.StatusOK, obj{"ok": true} }
	return map[string]func(url.Values) (int, any){
		"conversations.create": func(v url.Values) (int, any) {
			if f.taken[v.Get("name")] {
				return fail("name_taken")
			}
			f.seq++
			return http.StatusOK, obj{"ok": true, "channel": obj{"id": fmt.Sprintf("G0ROOM%d", f.seq), "name": v.Get("name"), "is_private": v.Get("is_private") == "true"}}
		},
		"conversations.invite":   channel,
		"conversations.setTopic": channel,
		"conversations.archive":  ok,
		"conversations.open": func(v url.Values) (int, any) {
			return http.StatusOK, obj{"ok": true, "channel": obj{"id": "D" + v.Get("users")}}
		},
		"conversations.list": func(url.Values) (int, any) {
			return http.StatusOK, obj{"ok": true, "channels": []obj{{"id": "C0SOCIAL", "name": "social"}, {"id": "G0LEGAL", "name": "legal"}}, "response_metadata": obj{"next_cursor": ""}}
		},
		"chat.postMessage": func(v url.Values) (int, any) {
			if f.limited > 0 {
				f.limited--
				return http.StatusTooManyRequests, obj{"ok": false, "error": "ratelimited"}
			}
			if f.faults > 0 {
				f.faults--
				return http.StatusServiceUnavailable, obj{"ok": false}
			}
			if f.notMember[v.Get("channel")] {
				return fail("not_in_channel")
			}
			var blocks []json.RawMessage
			if f.blockCap > 0 && json.Unmarshal([]byte(v.Get("blocks")), &blocks) == nil && len(blocks) > f.blockCap {
				return fail(cmp.Or(f.capError, "msg_blocks_too_long"))
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
			email, known := f.emails[v.Get("user")]
			if !known {
				return fail("user_not_found")
			}
			return http.StatusOK, obj{"ok": true, "user": obj{"id": v.Get("user"), "profile": obj{"email": email}}}
		},
		"users.lookupByEmail": func(v url.Values) (int, any) {
			id, known := f.users[v.Get("email")]
			if !known {
				return fail("users_not_found")
			}
			return http.StatusOK, obj{"ok": true, "user": obj{"id": id}}
		},
	}
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

// hookServer is a local response_url that records what it receives.
type hookServer struct {
	srv  *httptest.Server
	mu   sync.Mutex
	msgs []obj
}

func newHookServer(t *testing.T) *hookServer {
	h := &hookServer{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m obj
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &m); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		h.mu.Lock()
		h.msgs = append(h.msgs, m)
		h.mu.Unlock()
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hookServer) received() []obj {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]obj(nil), h.msgs...)
}

// recorder is a Dispatcher that records requests and answers each with a
// private and a public reply.
type recorder struct {
	mu   sync.Mutex
	reqs []bot.Request
	done chan bot.Request
}

func newRecorder() *recorder { return &recorder{done: make(chan bot.Request, 16)} }

func (r *recorder) Handle(ctx context.Context, req bot.Request, resp bot.Responder) error {
	r.mu.Lock()
	r.reqs = append(r.reqs, req)
	r.mu.Unlock()
	err := resp.Respond(ctx, bot.Reply{Message: bot.Message{Text: "only you: " + req.Text}, Private: true})
	select {
	case r.done <- req:
	default:
	}
	return err
}

func (r *recorder) requests() []bot.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Request(nil), r.reqs...)
}

// sleeps records the waits the adapter asks for without waiting.
type sleeps struct {
	mu  sync.Mutex
	all []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d > 0 {
		s.all = append(s.all, d)
	}
	return ctx.Err()
}

func (s *sleeps) waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.all...)
}

// testAdapter builds an adapter against the fake Slack, with a fixed clock
// and a sleeper that records instead of waiting.
func testAdapter(t *testing.T, f *fakeSlack, d Dispatcher, change ...func(*Options)) (*Adapter, *fakeClock, *sleeps) {
	t.Helper()
	clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	opts := Options{
		BotToken: "xoxb-test", SigningSecret: testSecret, APIURL: f.url(),
		Directory: testDirectory(), Dispatcher: d, Clock: clock,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	for _, c := range change {
		c(&opts)
	}
	a, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	s := &sleeps{}
	a.sleep = s.sleep
	t.Cleanup(func() { _ = a.Shutdown(context.Background()) })
	return a, clock, s
}

// signed returns a request signed the way Slack signs it, at time at.
func signed(path, body string, at time.Time) *http.Request {
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	ts := strconv.FormatInt(at.Unix(), 10)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("X-Slack-Request-Timestamp", ts)
	r.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(sign([]byte(testSecret), ts, []byte(body))))
	return r
}

// serve runs one request through the adapter's routes.
func serve(a *Adapter, r *http.Request) *httptest.ResponseRecorder {
	mux := http.NewServeMux()
	a.Routes(mux)
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	return w
}

// idle waits for the adapter's background work to finish.
func idle(a *Adapter) { a.wg.Wait() }

// commandForm is a slash command's form body.
func commandForm(command, text, user, channel, trigger, responseURL string) string {
	return url.Values{
		"command": {command}, "text": {text}, "user_id": {user}, "channel_id": {channel},
		"trigger_id": {trigger}, "response_url": {responseURL}, "team_id": {"T0TEAM"},
	}.Encode()
}
