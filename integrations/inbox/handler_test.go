package inbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/route"
	"github.com/interlock-coe/interlock/integrations/inbox"
	"github.com/interlock-coe/interlock/integrations/web"
)

const (
	token  = "hook-token"
	secret = "hook-secret"
)

// newHook returns the webhook over a real route service with the embedded
// store, and the harness to inspect it.
func newHook(t testing.TB) (http.Handler, *commandstest.Harness) {
	t.Helper()
	var svc *route.Service
	register := func(r *bot.Router, d commands.Deps) { svc = route.Register(r, d, nil) }
	h := commandstest.New(t, []commandstest.Register{register})
	return inbox.NewHandler(svc, web.WebhookAuth{Token: token, Secret: secret}, slog.New(slog.DiscardHandler)), h
}

func post(hook http.Handler, body string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/hooks/inbox", strings.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	hook.ServeHTTP(rec, req)
	return rec
}

func bearer() []string { return []string{"Authorization", "Bearer " + token} }

const valid = `{"source":"zendesk","external_id":"z-1","brand":"acme","platform":"instagram","author":"@ann","text":"Where is my order?","url":"https://instagram.com/p/1","received_at":"2026-11-23T08:00:00Z"}`

func TestInboxStoresRoutesAndDeduplicates(t *testing.T) {
	hook, h := newHook(t)
	rec := post(hook, valid, bearer()...)
	if rec.Code != http.StatusAccepted || strings.TrimSpace(rec.Body.String()) != `{"id":1}` {
		t.Fatalf("first: %d %s", rec.Code, rec.Body)
	}
	// Signed with the HMAC instead of the token: the same message again.
	rec = post(hook, valid, "X-Interlock-Signature", web.SignatureHeader(secret, []byte(valid)))
	if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != `{"duplicate":true,"id":1}` {
		t.Fatalf("repeat: %d %s", rec.Code, rec.Body)
	}
	posts := h.Chat.Posts("#customer-care")
	if len(posts) != 1 || !strings.Contains(posts[0], "Where is my order?") || !strings.Contains(posts[0], `matched "order"`) {
		t.Fatalf("posts: %q", posts)
	}
	// Another message of the same source is a new issue; so is the same id
	// from another source.
	other := strings.Replace(valid, `"z-1"`, `"z-2"`, 1)
	if rec := post(hook, other, bearer()...); rec.Code != http.StatusAccepted || !strings.Contains(rec.Body.String(), `"id":2`) {
		t.Fatalf("other id: %d %s", rec.Code, rec.Body)
	}
	other = strings.Replace(valid, `"zendesk"`, `"sprout"`, 1)
	if rec := post(hook, other, bearer()...); rec.Code != http.StatusAccepted || !strings.Contains(rec.Body.String(), `"id":3`) {
		t.Fatalf("other source: %d %s", rec.Code, rec.Body)
	}
}

func TestInboxRejects(t *testing.T) {
	hook, h := newHook(t)
	tests := []struct {
		name   string
		body   string
		header []string
		status int
		want   string
	}{
		{"no credentials", valid, nil, 401, "credentials"},
		{"wrong token", valid, []string{"Authorization", "Bearer nope"}, 401, "credentials"},
		{"bad signature", valid, []string{"X-Interlock-Signature", "sha256=00"}, 401, "credentials"},
		{"too big", `{"text":"` + strings.Repeat("a", web.MaxBody) + `"}`, bearer(), 413, "body over"},
		{"empty", ``, bearer(), 400, "empty body"},
		{"malformed", `{"source":`, bearer(), 400, "malformed JSON"},
		{"wrong type", `{"source":"z","external_id":7,"text":"hi"}`, bearer(), 400, `field \"external_id\"`},
		{"unknown field", `{"source":"z","external_id":"1","text":"hi","mood":"sad"}`, bearer(), 400, "unknown field"},
		{"array", `[` + valid + `,` + valid + `]`, bearer(), 400, "exactly one message"},
		{"no source", `{"external_id":"1","text":"hi"}`, bearer(), 400, `field \"source\" is required`},
		{"no external id", `{"source":"z","text":"hi"}`, bearer(), 400, `field \"external_id\" is required`},
		{"no text", `{"source":"z","external_id":"1","text":"  "}`, bearer(), 400, `field \"text\" is required`},
		{"bad time", `{"source":"z","external_id":"1","text":"hi","received_at":"yesterday"}`, bearer(), 400, `field \"received_at\" must be an RFC 3339 time`},
		{"unknown brand", `{"source":"z","external_id":"1","text":"hi","brand":"initech"}`, bearer(), 400, `field \"brand\" unknown brand`},
		{"bad url", `{"source":"z","external_id":"1","text":"hi","url":"javascript:alert(1)"}`, bearer(), 400, `field \"url\"`},
		{"huge id", `{"source":"z","external_id":"` + strings.Repeat("9", 300) + `","text":"hi"}`, bearer(), 400, `field \"external_id\" is longer`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := post(hook, tt.body, tt.header...)
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.want) {
				t.Errorf("got %d %s, want %d containing %s", rec.Code, rec.Body, tt.status, tt.want)
			}
		})
	}
	if n := len(h.Chat.Events("post")); n != 0 {
		t.Errorf("%d posts after rejected requests", n)
	}
	req := httptest.NewRequest(http.MethodGet, "/hooks/inbox", nil)
	rec := httptest.NewRecorder()
	hook.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "POST" {
		t.Errorf("GET: %d", rec.Code)
	}
}

func FuzzInbox(f *testing.F) {
	hook, _ := newHook(f)
	for _, s := range []string{
		valid, `{}`, `[]`, `[{}]`, `{"source":"a","external_id":"b","text":"c"}`,
		`{"source":"a","external_id":"b","text":"c","received_at":"2026-01-02T03:04:05+02:00"}`,
		`{"source":"a","external_id":"b","text":"GDPR","brand":"ACME","url":"http://x"}`, `null`, `"x"`, `{"text":null}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		rec := post(hook, body, bearer()...)
		switch rec.Code {
		case http.StatusAccepted, http.StatusOK:
			var out struct {
				ID int64 `json:"id"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || out.ID <= 0 {
				t.Fatalf("%d with body %s", rec.Code, rec.Body)
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			if !strings.Contains(rec.Body.String(), `"error"`) {
				t.Fatalf("%d without an error: %s", rec.Code, rec.Body)
			}
		default:
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
	})
}

// failing is an Ingester that fails with err.
type failing struct{ err error }

func (f failing) Ingest(context.Context, route.Message) (int64, bool, error) { return 0, false, f.err }

// TestInboxStoreFailures checks DESIGN.md §6's answers when nothing could
// be stored: 503 for a database that is down (the sender retries), 500
// otherwise, neither leaking the cause.
func TestInboxStoreFailures(t *testing.T) {
	for _, tt := range []struct {
		name   string
		err    error
		status int
		want   string
	}{
		{"database down", bot.Unavailable("database", errors.New("dial tcp: connection refused")), http.StatusServiceUnavailable, "nothing was stored, please retry"},
		{"bug", errors.New("boom"), http.StatusInternalServerError, "internal error"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			hook := inbox.NewHandler(failing{tt.err}, web.WebhookAuth{Token: token}, slog.New(slog.DiscardHandler))
			rec := post(hook, valid, bearer()...)
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.want) || strings.Contains(rec.Body.String(), "dial tcp") {
				t.Errorf("got %d %s, want %d containing %q", rec.Code, rec.Body, tt.status, tt.want)
			}
		})
	}
}
