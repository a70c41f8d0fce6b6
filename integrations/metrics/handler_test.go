package metrics

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/kpi"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/integrations/web"
	"github.com/interlock-coe/interlock/store"
	"github.com/interlock-coe/interlock/store/memory"
)

const (
	token  = "t0ken"
	secret = "s3cret"
)

type fixture struct {
	h       *commandstest.Harness
	svc     *kpi.Service
	handler http.Handler
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	h := commandstest.New(t, []commandstest.Register{kpi.Register})
	svc := kpi.New(h.Deps)
	auth := web.WebhookAuth{Token: token, Secret: secret, SigningKey: signingKey, Claims: memory.New(h.Clock), Clock: h.Clock}
	return fixture{h: h, svc: svc, handler: NewHandler(svc, h.Deps.Config, auth, slog.New(slog.DiscardHandler))}
}

// post sends body with the bearer token unless headers say otherwise.
func (f fixture) post(t *testing.T, body string, headers map[string]string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/hooks/metrics", strings.NewReader(body))
	if headers == nil {
		headers = map[string]string{"Authorization": "Bearer " + token}
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	return rec.Code, strings.TrimSpace(rec.Body.String())
}

// points counts the stored points of metric over the whole of 2026.
func (f fixture) points(t *testing.T, metric string) store.KPIBucket {
	t.Helper()
	from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	bs, err := f.h.Store.KPIBuckets(t.Context(), store.KPIFilter{Metric: metric}, []time.Time{from, to})
	if err != nil {
		t.Fatal(err)
	}
	return bs[0]
}

const onePoint = `{"metric": "engagement-rate", "brand": "acme", "channel": "instagram",
	"period_start": "2026-11-22", "period_end": "2026-11-22", "numerator": 420, "denominator": 12000}`

func TestWebhookAuthAndSize(t *testing.T) {
	f := newFixture(t)
	for name, tc := range map[string]struct {
		headers map[string]string
		body    string
		status  int
	}{
		"no credentials":  {map[string]string{}, onePoint, 401},
		"wrong token":     {map[string]string{"Authorization": "Bearer nope"}, onePoint, 401},
		"wrong signature": {map[string]string{"X-Interlock-Signature": web.SignatureHeader("other", []byte(onePoint))}, onePoint, 401},
		"bearer token":    {nil, onePoint, 200},
		"signed body":     {map[string]string{"X-Interlock-Signature": web.SignatureHeader(secret, []byte(onePoint))}, onePoint, 200},
		"body over 1 MiB": {nil, "[" + strings.Repeat(onePoint+",", web.MaxBody/len(onePoint)+1) + onePoint + "]", 413},
	} {
		t.Run(name, func(t *testing.T) {
			if status, body := f.post(t, tc.body, tc.headers); status != tc.status {
				t.Errorf("status %d (%s), want %d", status, body, tc.status)
			}
		})
	}
	req := httptest.NewRequest(http.MethodGet, "/hooks/metrics", nil)
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d, want 405", rec.Code)
	}
}

func TestWebhookNamesTheFieldAtFault(t *testing.T) {
	f := newFixture(t)
	good := `{"metric": "leads", "brand": "acme", "channel": "x", "period_start": "2026-11-22", "period_end": "2026-11-22", "value": 3}`
	for _, tc := range []struct{ body, want string }{
		{`{"metric": "leads"`, "malformed JSON"},
		{`[` + good + `, {"metric": "leads", "brand": "acme", "channel": "x", "period_start": "2026-11-22", "period_end": "2026-11-22", "value": "3"}]`,
			`item 1: field \"value\": expected float64`},
		{`{"metric": "leads", "colour": "red"}`, `unknown field \"colour\"`},
		{`[` + good + `, {"metric": "leads", "brand": "initech", "channel": "x", "period_start": "2026-11-22", "period_end": "2026-11-22", "value": 3}]`,
			`item 1: field \"brand\" \"initech\" is not a configured brand`},
		{`{"metric": "engagement-rate", "brand": "acme", "channel": "x", "period_start": "2026-11-22", "period_end": "2026-11-22", "value": 0.03}`,
			`item 0: field \"value\" engagement-rate is a ratio`},
		{`{"metric": "leads", "brand": "acme", "channel": "x", "period_start": "22/11/2026", "period_end": "2026-11-22", "value": 3}`,
			`item 0: field \"period_start\"`},
		{`[]`, "no data points"},
		{``, "empty body"},
	} {
		status, body := f.post(t, tc.body, nil)
		if status != http.StatusBadRequest || !strings.Contains(body, tc.want) {
			t.Errorf("POST %.60s…: %d %s; want 400 containing %s", tc.body, status, body, tc.want)
		}
	}
	if got := f.points(t, "leads").Points; got != 0 {
		t.Errorf("a refused request stored %d points; want none (all or nothing)", got)
	}
}

func TestWebhookIsIdempotentPerKey(t *testing.T) {
	f := newFixture(t)
	for range 3 {
		if status, body := f.post(t, onePoint, nil); status != 200 || body != `{"stored":1}` {
			t.Fatalf("POST: %d %s", status, body)
		}
	}
	if got := f.points(t, "engagement-rate"); got.Points != 1 || got.Numerator != 420 {
		t.Errorf("after 3 identical posts: %+v, want one point", got)
	}
	// A corrected repeat replaces the point; another channel is another key.
	fixed := strings.Replace(onePoint, "420", "450", 1)
	other := strings.Replace(onePoint, "instagram", "facebook", 1)
	if status, body := f.post(t, "["+fixed+","+other+"]", nil); status != 200 || body != `{"stored":2}` {
		t.Fatalf("POST array: %d %s", status, body)
	}
	if got := f.points(t, "engagement-rate"); got.Points != 2 || got.Numerator != 870 || got.Denominator != 24000 {
		t.Errorf("after a corrected repeat: %+v, want 2 points, Σ 450+420 / 24000", got)
	}
	// The answer reflects the write at once (the cache is invalidated).
	k, _ := f.h.Deps.Config.KPI("engagement-rate")
	want := kpi.FormatValue(k, kpi.Value{V: 100 * 870.0 / 24000, OK: true})
	f.h.Say("/kpi engagement-rate --period 7d").Contains(t, "Latest (2026-11-17 – 2026-11-23): "+want)
}

func TestWebhookStoreFailures(t *testing.T) {
	cfg, err := config.Load(config.Env{})
	if err != nil {
		t.Fatal(err)
	}
	auth := web.WebhookAuth{Token: token}
	for _, tc := range []struct {
		err    error
		status int
	}{
		{errUnavailable, http.StatusServiceUnavailable},
		{errors.New("boom"), http.StatusInternalServerError},
	} {
		h := NewHandler(failingWriter{tc.err}, cfg, auth, slog.New(slog.DiscardHandler))
		req := httptest.NewRequest(http.MethodPost, "/hooks/metrics", strings.NewReader(onePoint))
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tc.status {
			t.Errorf("store error %v: status %d, want %d", tc.err, rec.Code, tc.status)
		}
	}
}

var errUnavailable = bot.Unavailable("database", errors.New("connection refused"))

// failingWriter fails every write with err.
type failingWriter struct{ err error }

func (w failingWriter) PutKPIPoints(context.Context, []store.KPIPoint) error { return w.err }

func FuzzMetricsBody(f *testing.F) {
	cfg, err := config.Load(config.Env{})
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(onePoint))
	f.Add([]byte(`[` + onePoint + `,{"metric":"leads","brand":"globex","channel":"x","period_start":"2026-11-01T00:00:00Z","period_end":"2026-11-02T00:00:00+01:00","value":1e308}]`))
	f.Add([]byte(`{"metric":"csat","brand":"acme","channel":"x","period_start":"2026-11-22","period_end":"2026-11-22","numerator":1,"denominator":null}`))
	f.Add([]byte(`[{}, null, 1]`))
	f.Add([]byte(`{"value": -0}`))
	f.Add([]byte(`{"metric":"leads","brand":"acme","channel":"x","period_start":"0001-01-01","period_end":"9999-12-31","value":-1}`))
	f.Add([]byte(`{"metric":"csat","brand":"acme","channel":"x","period_start":"2026-11-22","period_end":"2026-11-22","numerator":-1,"denominator":0}`))
	f.Add([]byte(`{"metric":"net-sentiment","brand":"acme","channel":"x","period_start":"2026-11-22","period_end":"2026-11-22","numerator":-1,"denominator":4,"sent_at":"2026-11-23T08:00:00Z"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ps, err := Decode(cfg, commandstest.Start, body)
		if err != nil {
			var he *web.HTTPError
			if !errors.As(err, &he) || he.Status != http.StatusBadRequest || he.Message == "" {
				t.Fatalf("Decode error %v is not a 400 with a message", err)
			}
			return
		}
		if len(ps) == 0 {
			t.Fatal("Decode accepted a body without points")
		}
		for _, p := range ps {
			k, ok := cfg.KPI(p.Metric)
			if !ok || k.Source != kpi.SourceData || p.Brand == "" || p.Channel == "" || !p.End.After(p.Start) ||
				p.Ratio != (k.Formula == kpi.FormulaRatio) || implausible(p.Value, k.Signed) || implausible(p.Numerator, k.Signed) ||
				implausible(p.Denominator, false) || (p.Ratio && p.Denominator == 0) || p.Start.Year() < 1999 ||
				p.End.After(commandstest.Start.AddDate(0, 0, 3)) || p.End.Sub(p.Start) > kpi.MaxPeriod || p.SentAt.IsZero() {
				t.Fatalf("Decode accepted a bad point %+v from %s", p, body)
			}
		}
		if _, err := json.Marshal(ps); err != nil {
			t.Fatalf("accepted points do not encode: %v", err)
		}
	})
}

// implausible reports a number the webhook must refuse.
func implausible(f float64, signed bool) bool {
	return math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > kpi.MaxNumber || (f < 0 && !signed)
}
