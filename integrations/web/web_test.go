package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/integrations/web"
)

type point struct {
	Brand    string `json:"brand"`
	Mentions int    `json:"mentions"`
}

func TestReadWebhookAuthentication(t *testing.T) {
	auth := web.WebhookAuth{Token: "tok", Secret: "s3cret"}
	body := `{"brand":"acme"}`
	tests := []struct {
		name   string
		header map[string]string
		body   string
		want   int
	}{
		{"bearer token", map[string]string{"Authorization": "Bearer tok"}, body, 0},
		{"signature", map[string]string{"X-Interlock-Signature": web.SignatureHeader("s3cret", []byte(body))}, body, 0},
		{"no credentials", nil, body, http.StatusUnauthorized},
		{"wrong token", map[string]string{"Authorization": "Bearer nope"}, body, http.StatusUnauthorized},
		{"signature of another body", map[string]string{"X-Interlock-Signature": web.SignatureHeader("s3cret", []byte("{}"))}, body, http.StatusUnauthorized},
		{"malformed signature", map[string]string{"X-Interlock-Signature": "sha256=zz"}, body, http.StatusUnauthorized},
		{"body over 1 MiB", map[string]string{"Authorization": "Bearer tok"}, strings.Repeat("x", web.MaxBody+1), http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/hooks/x", strings.NewReader(tt.body))
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			got, err := web.ReadWebhook(httptest.NewRecorder(), r, auth)
			status := 0
			var he *web.HTTPError
			if errors.As(err, &he) {
				status = he.Status
			}
			if status != tt.want {
				t.Fatalf("status = %d (%v), want %d", status, err, tt.want)
			}
			if tt.want == 0 && string(got) != tt.body {
				t.Fatalf("body = %q", got)
			}
		})
	}
	r := httptest.NewRequest(http.MethodPost, "/hooks/x", strings.NewReader(body))
	if _, err := web.ReadWebhook(httptest.NewRecorder(), r, web.WebhookAuth{}); err == nil {
		t.Fatal("with no credentials configured every webhook must be refused")
	}
}

func TestDecodeItems(t *testing.T) {
	tests := []struct {
		body string
		n    int
		err  string
	}{
		{`{"brand":"acme","mentions":3}`, 1, ""},
		{`[{"brand":"acme"},{"brand":"globex"}]`, 2, ""},
		{`[{"brand":"acme"},{"brand":7}]`, 0, `item 1: field "brand": expected string`},
		{`{"brand":"acme","extra":1}`, 0, `unknown field "extra"`},
		{`{"brand":`, 0, "malformed JSON"},
		{`{"brand":"a"} {"brand":"b"}`, 0, "trailing data"},
		{``, 0, "empty body"},
		{`[ ]`, 0, "the array is empty"},
		{`[{"brand":"acme"},{"brand":`, 0, "malformed JSON"},
		{`[{"brand":"acme"}] {}`, 0, "trailing data"},
		{`[{"brand":"acme"},{"extra":1}]`, 0, `item 1: unknown field "extra"`},
		{`[{"brand":"acme"} {"brand":"b"}]`, 0, "malformed JSON"},
		{`[{"brand":"acme"},]`, 0, "malformed JSON"},
		{`[null]`, 1, ""},
		{`{}]0`, 0, "trailing data"},
		{`{"brand":"a"}}`, 0, "trailing data"},
	}
	for _, tt := range tests {
		items, err := web.DecodeItems[point]([]byte(tt.body))
		if tt.err == "" && (err != nil || len(items) != tt.n) {
			t.Errorf("%s: %d items, %v", tt.body, len(items), err)
		}
		if tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("%s: error %v, want %q", tt.body, err, tt.err)
		}
	}
}

func FuzzDecodeItems(f *testing.F) {
	for _, s := range []string{`{"brand":"a","mentions":1}`, `[{}]`, `[`, `null`, `[null]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		items, err := web.DecodeItems[point]([]byte(body))
		if err == nil && len(items) == 0 {
			t.Fatalf("no items and no error for %q", body)
		}
		// The body is trimmed of spaces first, JSON's and Unicode's.
		if err == nil && !json.Valid(bytes.TrimSpace([]byte(body))) {
			t.Fatalf("malformed JSON %q accepted as %d items", body, len(items))
		}
	})
}

func TestHealthAndReadiness(t *testing.T) {
	down := errors.New("connection refused")
	var dbErr, redisErr error
	mux := http.NewServeMux()
	web.Health(mux, []web.Check{
		{Name: "database", Required: true, Ping: func(context.Context) error { return dbErr }},
		{Name: "coordination", Ping: func(context.Context) error { return redisErr }},
	})
	get := func(path string) (int, string) {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		body, _ := io.ReadAll(rec.Body)
		return rec.Code, string(body)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Fatalf("healthz = %d", code)
	}
	if code, _ := get("/readyz"); code != 200 {
		t.Fatalf("readyz = %d", code)
	}
	redisErr = down
	if code, body := get("/readyz"); code != 200 || !strings.Contains(body, "degraded") {
		t.Fatalf("Redis down: readyz = %d %s, want 200 and degraded", code, body)
	}
	dbErr = down
	if code, _ := get("/readyz"); code != http.StatusServiceUnavailable {
		t.Fatalf("database down: readyz = %d, want 503", code)
	}
}

func TestMetrics(t *testing.T) {
	m := web.NewMetrics()
	h := m.Middleware()(func(context.Context, *bot.Context) error { return bot.Errorf(bot.EInvalid, "no") })
	_ = h(context.Background(), &bot.Context{Command: &bot.Command{Group: "crisis", Name: "open"}})
	m.TimerFired("route.escalate", 1500e6)
	m.Gauge("interlock_open_crises", "open", func(context.Context) (float64, error) { return 2, nil })
	ok := m.Instrument("/hooks/x", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(202) }))
	ok.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/hooks/x", nil))

	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`interlock_commands_total{code="invalid",command="crisis open"} 1`,
		`interlock_timers_fired_total{kind="route.escalate"} 1`,
		`interlock_open_crises 2`,
		`interlock_http_requests_total{endpoint="/hooks/x",status="202"} 1`,
		`interlock_timer_lag_seconds_bucket{kind="route.escalate",le="2"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
