package metrics

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/integrations/web"
	"github.com/interlock-coe/interlock/store"
	"github.com/interlock-coe/interlock/store/memory"
	"github.com/interlock-coe/interlock/store/postgres"
	"github.com/interlock-coe/interlock/store/sqlite"
	"github.com/interlock-coe/interlock/store/storetest"
)

var signingKey = []byte("metrics webhook signing key 0123")

// settableClock is a clock a test moves.
type settableClock struct{ t time.Time }

func (c *settableClock) Now() time.Time { return c.t }

func leads(n int, sentAt string) string {
	body := `{"metric": "leads", "brand": "acme", "channel": "x", "period_start": "2026-11-22", "period_end": "2026-11-22", "value": ` + strconv.Itoa(n)
	if sentAt != "" {
		body += `, "sent_at": "` + sentAt + `"`
	}
	return body + "}"
}

// replayStores opens each store a replay test runs on.
func replayStores(t *testing.T) map[string]store.Store {
	log := slog.New(slog.DiscardHandler)
	lite, err := sqlite.OpenMemory(t.Context(), log)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := postgres.Open(t.Context(), storetest.PostgresURL(t), log)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []store.Store{lite, pg} {
		t.Cleanup(func() { _ = s.Close() })
	}
	return map[string]store.Store{"sqlite": lite, "postgres": pg}
}

// TestReplayAfterCorrectionKeepsTheCorrection is the case: a
// captured, validly signed body resent after a correction used to revert
// it (/kpi leads went back from 90 to 40).
func TestReplayAfterCorrectionKeepsTheCorrection(t *testing.T) {
	cfg, err := config.Load(config.Env{})
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range replayStores(t) {
		t.Run(name, func(t *testing.T) {
			clock := &settableClock{commandstest.Start}
			auth := web.WebhookAuth{Secret: secret, SigningKey: signingKey, Claims: memory.New(clock), Clock: clock}
			h := NewHandler(s, cfg, auth, slog.New(slog.DiscardHandler))
			post := func(body string, headers map[string]string) int {
				req := httptest.NewRequest(http.MethodPost, "/hooks/metrics", strings.NewReader(body))
				for k, v := range headers {
					req.Header.Set(k, v)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				return rec.Code
			}
			standard := func(id string, sent time.Time, body string) map[string]string {
				return map[string]string{
					"webhook-id": id, "webhook-timestamp": strconv.FormatInt(sent.Unix(), 10),
					"webhook-signature": web.StandardSignature(signingKey, id, sent, []byte(body)),
				}
			}
			value := func() float64 {
				t.Helper()
				day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
				bs, err := s.KPIBuckets(t.Context(), store.KPIFilter{Metric: "leads"}, []time.Time{day, day.AddDate(0, 0, 5)})
				if err != nil {
					t.Fatal(err)
				}
				return bs[0].Sum
			}
			step := func(what string, status, wantStatus int, want float64) {
				t.Helper()
				if got := value(); status != wantStatus || got != want {
					t.Fatalf("%s: status %d, leads %v; want %d and %v", what, status, got, wantStatus, want)
				}
			}

			// Standard Webhooks: the replay is refused, within the window by
			// its id and after it by its timestamp; a delayed older delivery
			// is accepted but does not overwrite.
			t0 := clock.t
			original, correction := leads(40, ""), leads(90, "")
			oldHeaders := standard("msg_original", t0, original)
			step("original", post(original, oldHeaders), 200, 40)
			clock.t = t0.Add(time.Minute)
			step("correction", post(correction, standard("msg_correction", clock.t, correction)), 200, 90)
			step("replay in the window", post(original, oldHeaders), http.StatusConflict, 90)
			step("older delivery, new id", post(original, standard("msg_late", t0.Add(30*time.Second), original)), 200, 90)
			clock.t = t0.Add(web.ReplayTTL + time.Second)
			step("replay after the window", post(original, oldHeaders), http.StatusUnauthorized, 90)

			// The body HMAC signs no time: a sent_at in the body keeps the
			// newest, since it is signed with the rest of the body.
			first, fixed := leads(41, "2026-11-23T09:05:00Z"), leads(91, "2026-11-23T09:06:00Z")
			hmacOf := func(b string) map[string]string {
				return map[string]string{"X-Interlock-Signature": web.SignatureHeader(secret, []byte(b))}
			}
			step("signed body", post(first, hmacOf(first)), 200, 41)
			step("signed correction", post(fixed, hmacOf(fixed)), 200, 91)
			step("signed body replayed", post(first, hmacOf(first)), 200, 91)
		})
	}
}

// TestWebhookRefusesImplausibleData: /hooks/metrics accepted these, and
// /kpi leads then showed +Inf and an engagement rate of 5e+307%.
func TestWebhookRefusesImplausibleData(t *testing.T) {
	f := newFixture(t)
	point := func(metric, start, end, numbers string) string {
		return `{"metric": "` + metric + `", "brand": "acme", "channel": "x", "period_start": "` + start + `", "period_end": "` + end + `", ` + numbers + `}`
	}
	day := "2026-11-22"
	for _, tc := range []struct{ name, body, want string }{
		{"negative count", point("leads", day, day, `"value": -5`), `item 0: field \"value\" must not be negative`},
		{"huge value", point("leads", day, day, `"value": 1.7e308`), `item 0: field \"value\" 1.7e+308 is larger than 1e+15`},
		{"just over the bound", point("leads", day, day, `"value": 1000000000000001`), `field \"value\" 1.000000000000001e+15 is larger`},
		{"zero denominator", point("engagement-rate", day, day, `"numerator": 5, "denominator": 0`), `item 0: field \"denominator\" must not be 0`},
		{"negative denominator", point("engagement-rate", day, day, `"numerator": 5, "denominator": -1`), `field \"denominator\" must not be negative`},
		{"negative numerator", point("engagement-rate", day, day, `"numerator": -5, "denominator": 10`), `item 0: field \"numerator\" must not be negative`},
		{"huge numerator", point("engagement-rate", day, day, `"numerator": 5e307, "denominator": 1`), `field \"numerator\" 5e+307 is larger`},
		{"year 0001", point("leads", "0001-01-01", "0001-01-01", `"value": 1`), `item 0: field \"period_start\" 0001-01-01 is before 2000-01-01`},
		{"year 9999", point("leads", "9999-01-01", "9999-01-01", `"value": 1`), `item 0: field \"period_end\" must not be after tomorrow (2026-11-24)`},
		{"the day after tomorrow", point("leads", "2026-11-25", "2026-11-25", `"value": 1`), `field \"period_end\" must not be after tomorrow`},
		{"a 1000-year period", point("leads", "2000-01-01", "2999-12-31", `"value": 1`), `field \"period_end\"`},
		{"over a year", point("leads", "2025-01-01", "2026-01-02", `"value": 1`), `field \"period_end\" makes a period longer than a year`},
		{"sent in the future", `[` + leads(1, "") + `,` + leads(2, "2026-11-24T09:00:00Z") + `]`, `item 1: field \"sent_at\" 2026-11-24T09:00:00Z is in the future`},
		{"sent_at not a time", leads(1, "yesterday"), `item 0: field \"sent_at\" \"yesterday\" is not an RFC 3339 time`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := f.post(t, tc.body, nil)
			if status != http.StatusBadRequest || !strings.Contains(body, tc.want) {
				t.Errorf("%d %s; want 400 containing %s", status, body, tc.want)
			}
		})
	}
	for name, body := range map[string]string{
		"tomorrow":                            point("leads", "2026-11-24", "2026-11-24", `"value": 1`),
		"a year":                              point("leads", "2025-11-01", "2026-10-31", `"value": 1`),
		"the bound":                           point("leads", day, day, `"value": 1e15`),
		"a net score below zero (signed)":     point("net-sentiment", day, day, `"numerator": -3, "denominator": 10`),
		"more engagements than views":         point("engagement-rate", day, day, `"numerator": 12, "denominator": 10`),
		"2000-01-01":                          point("leads", "2000-01-01", "2000-01-01", `"value": 0`),
		"sent_at a little ahead of our clock": leads(1, "2026-11-23T09:04:00Z"),
	} {
		if status, resp := f.post(t, body, nil); status != http.StatusOK {
			t.Errorf("%s: %d %s; want 200", name, status, resp)
		}
	}
}

// TestKPIShowsTheCorrectionAfterAReplay is the check as people see
// it: /kpi leads stays at 90 after the original is replayed.
func TestKPIShowsTheCorrectionAfterAReplay(t *testing.T) {
	f := newFixture(t)
	original, correction := leads(40, "2026-11-23T08:00:00Z"), leads(90, "2026-11-23T08:30:00Z")
	signed := func(body string) map[string]string {
		return map[string]string{"X-Interlock-Signature": web.SignatureHeader(secret, []byte(body))}
	}
	for _, body := range []string{original, correction, original} {
		if status, resp := f.post(t, body, signed(body)); status != http.StatusOK {
			t.Fatalf("POST: %d %s", status, resp)
		}
	}
	f.h.Say("/kpi leads --period 7d").Contains(t, "Latest (2026-11-17 – 2026-11-23): 90")
}
