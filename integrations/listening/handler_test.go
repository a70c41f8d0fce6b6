package listening_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/alerts"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/integrations/listening"
	"github.com/interlock-coe/interlock/integrations/web"
	"github.com/interlock-coe/interlock/store"
)

const token = "s3cret-token"

var (
	auth = web.WebhookAuth{Token: token, Secret: "hmac-secret"}
	now  = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// recorder is an Ingester that keeps what it was given.
type recorder struct{ got []store.ListeningPoint }

func (r *recorder) Ingest(_ context.Context, ps []store.ListeningPoint) (alerts.Receipt, error) {
	r.got = append(r.got, ps...)
	return alerts.Receipt{Stored: len(ps)}, nil
}

func exampleConfig(t testing.TB) *config.Config {
	t.Helper()
	cfg, err := config.Load(config.Env{})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

func post(t testing.TB, h http.Handler, body string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/hooks/listening", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// body is one JSON data point ending at end with the given mentions.
func body(end time.Time, mentions int) string {
	return fmt.Sprintf(`{"source":"Brandwatch","brand":"ACME","topic":"  Product   Recall ","window_start":%q,"window_end":%q,
		"mentions":%d,"negative":%d,"neutral":%d,"positive":%d,"reach":%d,"press":false,
		"samples":[{"url":"https://social.example/p/1","text":"is this a recall?","author":"@kim","followers":12000}]}`,
		end.Add(-time.Hour).Format(time.RFC3339), end.Format(time.RFC3339), mentions, mentions/4, mentions/2, mentions/4, mentions*100)
}

func TestValidPointIsHandedOverNormalised(t *testing.T) {
	rec := &recorder{}
	h := listening.NewHandler(rec, exampleConfig(t), auth, fixedClock{now}, quiet())
	w := post(t, h, body(now, 400))
	if w.Code != http.StatusAccepted {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	if len(rec.got) != 1 {
		t.Fatalf("handed over %d points", len(rec.got))
	}
	p := rec.got[0]
	if p.Source != "brandwatch" || p.Brand != "acme" || p.Topic != "product recall" || p.Mentions != 400 ||
		p.Negative != 100 || p.Reach != 40000 || !p.WindowEnd.Equal(now) || p.WindowEnd.Location() != time.UTC ||
		len(p.Samples) != 1 || p.Samples[0].Author != "kim" {
		t.Errorf("point = %+v", p)
	}
	var got map[string]int
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || got["stored"] != 1 {
		t.Errorf("answer %s, want {\"stored\": 1, …}", w.Body)
	}
}

func TestCredentialsSizeAndMethod(t *testing.T) {
	h := listening.NewHandler(&recorder{}, exampleConfig(t), auth, fixedClock{now}, quiet())
	good := body(now, 400)
	huge := `{"source":"` + strings.Repeat("x", 2<<20) + `"}`
	tests := []struct {
		name    string
		body    string
		headers []string
		want    int
	}{
		{"wrong token", good, []string{"Authorization", "Bearer nope"}, http.StatusUnauthorized},
		{"no credentials", good, []string{"Authorization", ""}, http.StatusUnauthorized},
		{"valid signature", good, []string{"Authorization", "", "X-Interlock-Signature", web.SignatureHeader("hmac-secret", []byte(good))}, http.StatusAccepted},
		{"bad signature", good, []string{"Authorization", "", "X-Interlock-Signature", web.SignatureHeader("wrong", []byte(good))}, http.StatusUnauthorized},
		{"2 MiB body", huge, nil, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if w := post(t, h, tt.body, tt.headers...); w.Code != tt.want {
				t.Errorf("status %d (%s), want %d", w.Code, strings.TrimSpace(w.Body.String()), tt.want)
			}
		})
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/hooks/listening", nil))
	if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != http.MethodPost {
		t.Errorf("GET: status %d, Allow %q", w.Code, w.Header().Get("Allow"))
	}
}

func TestMalformedNamesTheField(t *testing.T) {
	h := listening.NewHandler(&recorder{}, exampleConfig(t), auth, fixedClock{now}, quiet())
	good := body(now, 400)
	edit := func(from, to string) string { return strings.Replace(good, from, to, 1) }
	tests := []struct{ name, body, want string }{
		{"not JSON", `{"source":`, "malformed JSON"},
		{"empty", ``, "empty body"},
		{"empty array", `[]`, "no data points"},
		{"unknown field", edit(`"press":false`, `"pres":false`), `unknown field "pres"`},
		{"wrong type", edit(`"mentions":400`, `"mentions":"400"`), `field "mentions"`},
		{"missing source", edit(`"source":"Brandwatch",`, ``), `field "source" is required`},
		{"unknown brand", edit(`"brand":"ACME"`, `"brand":"initech"`), `field "brand" names unknown brand "initech"; brands: acme, globex, umbrella`},
		{"missing mentions", edit(`"mentions":400,`, ``), `field "mentions" is required`},
		{"negative count", edit(`"reach":40000`, `"reach":-1`), `field "reach" must be between 0`},
		// Issue 21 item 5: the same class of implausible data as /hooks/metrics.
		{"negative mentions", edit(`"mentions":400`, `"mentions":-400`), `field "mentions" must be between 0 and 1000000000000`},
		{"absurd count", edit(`"reach":40000`, `"reach":1000000000001`), `field "reach" must be between 0 and 1000000000000`},
		{"non-finite count", edit(`"reach":40000`, `"reach":1e400`), `field "reach"`},
		{"fractional count", edit(`"reach":40000`, `"reach":1.5`), `field "reach"`},
		{"negative followers", edit(`"followers":12000`, `"followers":-1`), `field "samples[0].followers" must be between 0`},
		{"year 9999", edit(now.Format(time.RFC3339), "9999-12-31T23:00:00Z"), `field "window_end" makes a window longer than 31 days`},
		{"window over 31 days", edit(`"window_start":"2026-11-23T11:00:00Z"`, `"window_start":"2026-10-23T11:00:00Z"`), `field "window_end" makes a window longer than 31 days`},
		{"empty window", edit(`"window_start":"2026-11-23T11:00:00Z"`, `"window_start":"2026-11-23T12:00:00Z"`), `field "window_end" must be after window_start`},
		{"sentiment over mentions", edit(`"neutral":200`, `"neutral":900`), `field "negative" plus neutral and positive is 1100, more than the 400 mentions`},
		{"bad time", edit(now.Format(time.RFC3339), "yesterday"), `field "window_end" must be an RFC 3339 time`},
		{"ancient time", edit(`"window_start":"2026-11-23T11:00:00Z"`, `"window_start":"1999-12-31T23:00:00Z"`), `field "window_start" must be an RFC 3339 time in 2000 or later, got 1999-12-31T23:00:00Z`},
		{"end before start", edit(`"window_start":"2026-11-23T11:00:00Z"`, `"window_start":"2026-11-23T13:00:00Z"`), `field "window_end" must be after window_start`},
		{"future window", body(now.Add(2*time.Hour), 400), `field "window_end" is in the future`},
		{"bad topic", edit(`Product   Recall`, `recall; drop`), `field "topic" may hold`},
		{"bad sample url", edit(`https://social.example/p/1`, `javascript:alert(1)`), `field "samples[0].url" must be an http(s) URL`},
		{"second item", `[` + good + `,` + edit(`"source":"Brandwatch",`, ``) + `]`, `item 1: field "source" is required`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := post(t, h, tt.body)
			var answer struct{ Error string }
			_ = json.Unmarshal(w.Body.Bytes(), &answer)
			if w.Code != http.StatusBadRequest || !strings.Contains(answer.Error, tt.want) {
				t.Errorf("status %d %s, want 400 containing %q", w.Code, strings.TrimSpace(w.Body.String()), tt.want)
			}
		})
	}
}

// TestSpikePostedOverHTTPAlertsInTheListeningChannel runs the handler over
// the real feature: a baseline array, then a spike, then the same spike
// again.
func TestSpikePostedOverHTTPAlertsInTheListeningChannel(t *testing.T) {
	var l *alerts.Listener
	h := commandstest.New(t, []commandstest.Register{func(r *bot.Router, d commands.Deps) { l = alerts.Register(r, d) }})
	h.Advance(24 * time.Hour)
	srv := httptest.NewServer(listening.NewHandler(l, h.Deps.Config, auth, h.Clock, quiet()))
	defer srv.Close()

	var baseline []string
	for i := 12; i >= 1; i-- {
		baseline = append(baseline, body(h.Clock.Now().Add(-time.Duration(i)*time.Hour), 400))
	}
	if code, answer := send(t, srv.URL, "["+strings.Join(baseline, ",")+"]"); code != http.StatusAccepted || !strings.Contains(answer, `"stored":12`) {
		t.Fatalf("baseline: %d %s", code, answer)
	}
	spike := body(h.Clock.Now(), 2400)
	if code, answer := send(t, srv.URL, spike); code != http.StatusAccepted || !strings.Contains(answer, `"stored":1`) {
		t.Fatalf("spike: %d %s", code, answer)
	}
	posts := h.Chat.Posts("#social-listening")
	if len(posts) != 1 || !strings.Contains(posts[0], "Listening alert #1 · Acme · product recall") {
		t.Fatalf("listening channel = %q, want the alert", posts)
	}
	if code, answer := send(t, srv.URL, spike); code != http.StatusAccepted || !strings.Contains(answer, `"duplicates":1`) {
		t.Errorf("retry: %d %s", code, answer)
	}
	if n := len(h.Chat.Events()); n != 1 {
		t.Errorf("the retry made %d chat events in all, want still 1", n)
	}
}

func send(t *testing.T, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(answer)
}

// failing is an Ingester that fails with err.
type failing struct{ err error }

func (f failing) Ingest(context.Context, []store.ListeningPoint) (alerts.Receipt, error) {
	return alerts.Receipt{}, f.err
}

// TestStoreFailures checks DESIGN.md §6's answers when the points could not
// be stored: 503 for a database that is down (the sender retries), 500
// otherwise, neither leaking the cause.
func TestStoreFailures(t *testing.T) {
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
			h := listening.NewHandler(failing{tt.err}, exampleConfig(t), auth, fixedClock{now}, quiet())
			w := post(t, h, body(now, 400))
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.want) || strings.Contains(w.Body.String(), "dial tcp") {
				t.Errorf("got %d %s, want %d containing %q", w.Code, w.Body, tt.status, tt.want)
			}
		})
	}
}
