package discord

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/bot/bottest"
	"github.com/interlock-coe/interlock/integrations/discord/discordtest"
)

func TestServerErrorsAreRetried(t *testing.T) {
	h := newHarness(t)
	for _, status := range []int{http.StatusInternalServerError, http.StatusServiceUnavailable, http.StatusGatewayTimeout} {
		h.srv.FailNext(http.MethodPost, "/messages", status, 0)
	}
	if _, err := h.a.Post(context.Background(), h.social, bot.Message{Text: "still delivered"}); err != nil {
		t.Fatal(err)
	}
	if msgs := h.srv.Messages(h.social); len(msgs) != 1 || msgs[0].Content != "still delivered" {
		t.Fatalf("messages = %+v", msgs)
	}
}

// scripted answers requests with the given statuses in turn, then 200.
func scripted(t *testing.T, statuses ...int) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		i := int(n.Add(1)) - 1
		if i < len(statuses) {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(statuses[i])
			_, _ = w.Write([]byte("<html>busy</html>"))
			return
		}
		_, _ = w.Write([]byte(r.URL.Path + " " + string(body)))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func testClient(t *testing.T, apiURL string) *http.Client {
	t.Helper()
	c, err := restClient(nil, apiURL, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	c.Transport.(*retryTransport).backoff = time.Millisecond
	return c
}

func TestRetryTransport(t *testing.T) {
	tests := []struct {
		name     string
		statuses []int
		method   string
		want     int // final status
		attempts int32
	}{
		{"html 429 is retried", []int{http.StatusTooManyRequests}, http.MethodPost, 200, 2},
		{"5xx until it works", []int{502, 500, 503}, http.MethodPost, 200, 4},
		{"gives up after five", []int{500, 500, 500, 500, 500, 500}, http.MethodPut, 500, 5},
		{"4xx is final", []int{http.StatusForbidden}, http.MethodPost, 403, 1},
	}
	for _, tt := range tests {
		srv, n := scripted(t, tt.statuses...)
		req, _ := http.NewRequest(tt.method, srv.URL+"/x", strings.NewReader("body"))
		resp, err := testClient(t, "").Do(req)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.want || n.Load() != tt.attempts {
			t.Errorf("%s: status %d after %d attempts, want %d after %d", tt.name, resp.StatusCode, n.Load(), tt.want, tt.attempts)
		}
		if tt.want == 200 && string(got) != "/x body" {
			t.Errorf("%s: retried request arrived as %q", tt.name, got)
		}
	}
}

func TestAPIURLRewritesDiscordRequests(t *testing.T) {
	srv, _ := scripted(t)
	for _, base := range []string{srv.URL + "/proxy", srv.URL + "/proxy/", srv.URL + "/proxy/api/v9", srv.URL + "/proxy/api"} {
		resp, err := testClient(t, base).Get("https://discord.com/api/v9/users/@me")
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(got) != "/proxy/api/v9/users/@me " {
			t.Errorf("%s: request arrived as %q", base, got)
		}
	}
	for _, bad := range []string{"discord.local", "ftp://x", "http://"} {
		if _, err := restClient(nil, bad, slog.New(slog.DiscardHandler)); err == nil {
			t.Errorf("API URL %q accepted", bad)
		}
	}
}

func TestNewRefusesIncompleteOptions(t *testing.T) {
	good := Options{BotToken: "t", AppID: "1", GuildID: "2", Directory: people, Dispatcher: bot.NewRouter(slog.New(slog.DiscardHandler), nil, nil), Logger: slog.New(slog.DiscardHandler), Buttons: bottest.NewButtons()}
	if _, err := New(good); err != nil {
		t.Fatalf("New: %v", err)
	}
	for name, change := range map[string]func(*Options){
		"no token":    func(o *Options) { o.BotToken = "" },
		"no guild":    func(o *Options) { o.GuildID = "" },
		"no router":   func(o *Options) { o.Dispatcher = nil },
		"no buttons":  func(o *Options) { o.Buttons = nil },
		"bad key":     func(o *Options) { o.PublicKey = "abc" },
		"bad API URL": func(o *Options) { o.APIURL = "localhost:1" },
	} {
		o := good
		change(&o)
		if _, err := New(o); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// lossyTransport delivers the first matching request but loses Discord's
// answer, as a connection reset after the server acted does.
type lossyTransport struct {
	method, pathPart string
	lost             atomic.Bool
}

func (l *lossyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil || req.Method != l.method || !strings.Contains(req.URL.Path, l.pathPart) || l.lost.Swap(true) {
		return resp, err
	}
	drain(resp)
	return nil, errors.New("connection reset by peer")
}

// TestLostAnswerToPostIsRetriedOnce is the regression test for message
// posts whose answer was lost: they were not retried, although their
// enforced nonce makes a retry safe, so the message was reported failed
// (and a caller retrying later posted it twice).
func TestLostAnswerToPostIsRetriedOnce(t *testing.T) {
	lossy := &lossyTransport{method: http.MethodPost, pathPart: "/messages"}
	h := newHarness(t, func(o *Options) { o.HTTPClient = &http.Client{Transport: lossy} })
	ref, err := h.a.Post(context.Background(), h.social, bot.Message{Text: "Holding statement approved"})
	if err != nil {
		t.Fatalf("Post: %v", err)
	}
	msgs := h.srv.Messages(h.social)
	if !lossy.lost.Load() || len(msgs) != 1 || msgs[0].ID != ref.ID {
		t.Fatalf("messages %+v, ref %+v; want the one message, posted once", msgs, ref)
	}
}

// TestInteractionTokensAreNotLogged is the regression test for retries of
// interaction answers: the logged path carried the interaction token.
func TestInteractionTokensAreNotLogged(t *testing.T) {
	var mu sync.Mutex
	var logs strings.Builder
	h := newHarness(t, func(o *Options) {
		o.DeferAfter = time.Millisecond
		o.Logger = slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, nil))
	})
	id := "700000000000000011"
	h.srv.FailNext(http.MethodPatch, "/messages/@original", http.StatusBadGateway, 0)
	h.answer(h.post(discordtest.Command(id, h.social, samID, "drill", discordtest.Sub("slow"))))
	close(h.drill.release)
	h.wait()
	if calls := h.srv.Calls(discordtest.Token(id)); len(calls) != 1 || calls[0].Kind != "edit" {
		t.Fatalf("calls %+v, want the deferral edited after the retry", calls)
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Contains(logs.String(), discordtest.Token(id)) || !strings.Contains(logs.String(), "discord request failed; retrying") {
		t.Fatalf("logs:\n%s", logs.String())
	}
}

func TestRedactPath(t *testing.T) {
	tests := map[string]string{
		"/api/v9/interactions/123/tok-en.x/callback":         "/api/v9/interactions/123/…/callback",
		"/api/v9/webhooks/456/aBc_DeF/messages/@original":    "/api/v9/webhooks/456/…/messages/@original",
		"https://discord.com/api/v9/webhooks/456/aBc?wait=1": "https://discord.com/api/v9/webhooks/456/…?wait=1",
		"/api/v9/channels/789/messages":                      "/api/v9/channels/789/messages",
	}
	for in, want := range tests {
		if got := redactPath(in); got != want {
			t.Errorf("redactPath(%q) = %q, want %q", in, got, want)
		}
	}
	inner := &url.Error{Op: "Post", URL: "https://discord.com/api/v9/webhooks/456/secret", Err: errors.New("reset")}
	err := redactErr(fmt.Errorf("follow up: %w", inner))
	var ue *url.Error
	if strings.Contains(err.Error(), "secret") || !errors.As(err, &ue) {
		t.Fatalf("redactErr = %v", err)
	}
}

// lockedWriter serialises log writes from the adapter's goroutines.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestAPIURLNamesTheVersion: a version in DISCORD_API_URL is the version
// REST calls use; without one, discordgo's.
func TestAPIURLNamesTheVersion(t *testing.T) {
	srv, _ := scripted(t)
	tests := []struct{ base, want string }{
		{srv.URL + "/api/v10", "/api/v10/users/@me"},
		{srv.URL + "/api/v10/", "/api/v10/users/@me"},
		{srv.URL + "/proxy/api/v8", "/proxy/api/v8/users/@me"},
		{srv.URL + "/api", "/api/v9/users/@me"},
		{srv.URL, "/api/v9/users/@me"},
	}
	for _, tt := range tests {
		resp, err := testClient(t, tt.base).Get("https://discord.com/api/v9/users/@me")
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(got) != tt.want+" " {
			t.Errorf("DISCORD_API_URL=%s: request arrived as %q, want %q", tt.base, got, tt.want)
		}
	}
}
