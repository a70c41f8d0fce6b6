package inbox_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/commands/route"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/integrations/inbox"
	"github.com/interlock-coe/interlock/integrations/web"
)

func TestSenderPostsSignedJSON(t *testing.T) {
	var got *http.Request
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, body = r, must(io.ReadAll(r.Body))
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	s := inbox.NewSender(config.Outbound{URL: srv.URL + "/replies", Secret: "s3cret"}, srv.Client())
	a := route.Answer{Source: "zendesk", ExternalID: "z-1", Brand: "acme", Platform: "x", IssueID: 7, URL: "https://x.com/a/1",
		Reply: "On its way", AnsweredBy: "lee", AnsweredAt: time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)}
	if err := s.Send(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if got.Method != http.MethodPost || got.URL.Path != "/replies" || got.Header.Get("Content-Type") != "application/json" {
		t.Errorf("request %s %s %s", got.Method, got.URL.Path, got.Header.Get("Content-Type"))
	}
	if sig := got.Header.Get("X-Interlock-Signature"); sig != web.SignatureHeader("s3cret", body) {
		t.Errorf("signature %q", sig)
	}
	if key := got.Header.Get("Idempotency-Key"); key != "interlock-route-7" {
		t.Errorf("Idempotency-Key %q", key)
	}
	var fields map[string]any
	if err := json.Unmarshal(body, &fields); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"source": "zendesk", "external_id": "z-1", "brand": "acme", "platform": "x",
		"issue_id": float64(7), "url": "https://x.com/a/1", "reply": "On its way", "answered_by": "lee", "answered_at": "2026-11-23T09:30:00Z"}
	for k, v := range want {
		if fields[k] != v {
			t.Errorf("%s = %v, want %v", k, fields[k], v)
		}
	}
	if len(fields) != len(want) {
		t.Errorf("fields %v", fields)
	}
}

func TestSenderWithoutSecretDoesNotSign(t *testing.T) {
	var sig string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sig = r.Header.Get("X-Interlock-Signature")
	}))
	defer srv.Close()
	if err := inbox.NewSender(config.Outbound{URL: srv.URL}, nil).Send(context.Background(), route.Answer{IssueID: 1}); err != nil {
		t.Fatal(err)
	}
	if sig != "" {
		t.Errorf("signed without a secret: %q", sig)
	}
}

func TestSenderReportsFailures(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "try later", http.StatusServiceUnavailable)
	}))
	s := inbox.NewSender(config.Outbound{URL: srv.URL}, nil)
	err := s.Send(context.Background(), route.Answer{IssueID: 1})
	if err == nil || !strings.Contains(err.Error(), "503 Service Unavailable: try later") {
		t.Errorf("err = %v", err)
	}
	srv.Close()
	if err := s.Send(context.Background(), route.Answer{IssueID: 1}); err == nil {
		t.Error("no error from a closed inbox")
	}
}

func TestNoURLNoSender(t *testing.T) {
	if s := inbox.NewSender(config.Outbound{}, nil); s != nil {
		t.Errorf("sender %v without a URL", s)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
