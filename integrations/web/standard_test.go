package web_test

import (
	"context"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/integrations/web"
	"github.com/interlock-coe/interlock/store/coordtest"
	"github.com/interlock-coe/interlock/store/memory"
	"github.com/interlock-coe/interlock/store/redis"
)

var (
	swKey   = []byte("0123456789abcdef0123456789abcdef")
	swNow   = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	swBody  = []byte(`{"brand":"acme","mentions":1}`)
	swClock = fixedClock{swNow}
)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// swHeaders are the Standard Webhooks headers of a delivery of swBody.
func swHeaders(key []byte, id string, sent time.Time) map[string]string {
	return map[string]string{
		"webhook-id":        id,
		"webhook-timestamp": strconv.FormatInt(sent.Unix(), 10),
		"webhook-signature": web.StandardSignature(key, id, sent, swBody),
	}
}

func readDelivery(t *testing.T, auth web.WebhookAuth, headers map[string]string, body []byte) (web.Delivery, int) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/hooks/x", strings.NewReader(string(body)))
	for k, v := range headers {
		r.Header.Set(k, v)
	}
	d, err := web.ReadDelivery(httptest.NewRecorder(), r, auth)
	var he *web.HTTPError
	if errors.As(err, &he) {
		return d, he.Status
	}
	if err != nil {
		t.Fatalf("ReadDelivery: %v", err)
	}
	return d, 0
}

func TestStandardWebhooks(t *testing.T) {
	auth := web.WebhookAuth{Token: "tok", SigningKey: swKey, Claims: memory.New(swClock), Clock: swClock}
	valid := swHeaders(swKey, "msg_1", swNow.Add(-time.Minute))
	with := func(h map[string]string, k, v string) map[string]string {
		out := map[string]string{}
		for hk, hv := range h {
			out[hk] = hv
		}
		out[k] = v
		return out
	}
	other := web.StandardSignature(swKey, "msg_multi", swNow, swBody)
	for _, tc := range []struct {
		name    string
		headers map[string]string
		want    int
	}{
		{"valid", valid, 0},
		{"reused id", with(swHeaders(swKey, "msg_1", swNow), "Authorization", "Bearer tok"), http.StatusConflict},
		{"wrong key", swHeaders([]byte("another key of thirty-two bytes!"), "msg_2", swNow), http.StatusUnauthorized},
		{"expired timestamp", swHeaders(swKey, "msg_3", swNow.Add(-web.Tolerance-time.Second)), http.StatusUnauthorized},
		{"future timestamp", swHeaders(swKey, "msg_4", swNow.Add(web.Tolerance+time.Second)), http.StatusUnauthorized},
		{"at the edge of the window", swHeaders(swKey, "msg_5", swNow.Add(web.Tolerance)), 0},
		{"multiple signatures, one valid", with(swHeaders(swKey, "msg_multi", swNow), "webhook-signature",
			"v1,"+base64.StdEncoding.EncodeToString(make([]byte, 32))+" v1a,abc v1,%%% "+other), 0},
		{"only other versions", with(swHeaders(swKey, "msg_6", swNow), "webhook-signature", "v2,"+strings.TrimPrefix(other, "v1,")), http.StatusUnauthorized},
		{"malformed signature list", with(swHeaders(swKey, "msg_7", swNow), "webhook-signature", "v1"), http.StatusUnauthorized},
		{"timestamp not seconds", with(swHeaders(swKey, "msg_8", swNow), "webhook-timestamp", "2026-11-23T09:00:00Z"), http.StatusUnauthorized},
		{"negative timestamp", with(swHeaders(swKey, "msg_9", swNow), "webhook-timestamp", "-1"), http.StatusUnauthorized},
		{"missing timestamp", with(swHeaders(swKey, "msg_10", swNow), "webhook-timestamp", ""), http.StatusUnauthorized},
		{"missing id", with(swHeaders(swKey, "", swNow), "webhook-id", ""), http.StatusUnauthorized},
		{"id with a dot", swHeaders(swKey, "msg.11", swNow), http.StatusUnauthorized},
		{"id too long", swHeaders(swKey, strings.Repeat("m", 257), swNow), http.StatusUnauthorized},
		{"too many signatures", with(swHeaders(swKey, "msg_12", swNow), "webhook-signature", strings.Repeat("v1,AAAA ", 17)), http.StatusUnauthorized},
		// A bearer token does not rescue a bad Standard Webhooks delivery:
		// its headers say which scheme judges it.
		{"bad signature beside a good token", with(swHeaders([]byte("wrong"), "msg_13", swNow), "Authorization", "Bearer tok"), http.StatusUnauthorized},
		{"bearer token alone", map[string]string{"Authorization": "Bearer tok"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, status := readDelivery(t, auth, tc.headers, swBody)
			if status != tc.want {
				t.Fatalf("status %d, want %d", status, tc.want)
			}
			if status == 0 && tc.headers["webhook-id"] != "" {
				ts, _ := strconv.ParseInt(tc.headers["webhook-timestamp"], 10, 64)
				if !d.SentAt.Equal(time.Unix(ts, 0)) || !d.Received.Equal(swNow) {
					t.Errorf("delivery sent %v received %v; want the webhook-timestamp and the clock", d.SentAt, d.Received)
				}
			}
		})
	}
}

// TestStandardWebhookFailureFreesTheID: a delivery the handler could not
// store may be retried with its id; a stored one may not.
func TestStandardWebhookFailureFreesTheID(t *testing.T) {
	auth := web.WebhookAuth{SigningKey: swKey, Claims: memory.New(swClock), Clock: swClock}
	h := swHeaders(swKey, "msg_retry", swNow)
	d, status := readDelivery(t, auth, h, swBody)
	if status != 0 {
		t.Fatalf("first delivery: %d", status)
	}
	rec := httptest.NewRecorder()
	d.Fail(t.Context(), rec, &web.HTTPError{Status: http.StatusServiceUnavailable, Message: "down"})
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("Fail answered %d", rec.Code)
	}
	if _, status := readDelivery(t, auth, h, swBody); status != 0 {
		t.Fatalf("retry after a failure: %d, want accepted", status)
	}
	if _, status := readDelivery(t, auth, h, swBody); status != http.StatusConflict {
		t.Fatalf("replay after success: %d, want 409", status)
	}
}

// TestStandardWebhookReplayAcrossReplicas: two replicas sharing Redis
// refuse a delivery replayed to the other one.
func TestStandardWebhookReplayAcrossReplicas(t *testing.T) {
	url, prefix := coordtest.RedisURL(t)
	replica := func() web.WebhookAuth {
		c, err := redis.New(t.Context(), url, prefix, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Close() })
		return web.WebhookAuth{SigningKey: swKey, Claims: c, Clock: swClock}
	}
	a, b := replica(), replica()
	h := swHeaders(swKey, "msg_shared", swNow)
	if _, status := readDelivery(t, a, h, swBody); status != 0 {
		t.Fatalf("delivery to replica a: %d", status)
	}
	if _, status := readDelivery(t, b, h, swBody); status != http.StatusConflict {
		t.Fatalf("replay to replica b: %d, want 409", status)
	}
}

// TestStandardWebhooksNeedClaims: without a place to remember ids the
// scheme stays off rather than accept replays.
func TestStandardWebhooksNeedClaims(t *testing.T) {
	auth := web.WebhookAuth{SigningKey: swKey, Clock: swClock}
	if auth.Configured() {
		t.Error("a signing key without claims counts as configured")
	}
	if _, status := readDelivery(t, auth, swHeaders(swKey, "msg_x", swNow), swBody); status != http.StatusUnauthorized {
		t.Errorf("status %d, want 401", status)
	}
}

// FuzzStandardWebhook feeds arbitrary headers to the verifier: it must
// not panic, must answer 401 for what it refuses, and must accept only
// what carries the right signature in the window.
func FuzzStandardWebhook(f *testing.F) {
	sent := swNow.Add(-time.Minute)
	good := swHeaders(swKey, "msg_1", sent)
	f.Add(good["webhook-id"], good["webhook-timestamp"], good["webhook-signature"], swBody)
	f.Add("msg_1", good["webhook-timestamp"], "v1a,xyz "+good["webhook-signature"]+" v1,", swBody)
	f.Add("msg_1", "99999999999999999999", "v1,,,,", []byte("{}"))
	f.Add("", "", "", []byte(nil))
	// The right bytes in another spelling: the last character's spare bits set.
	f.Add(good["webhook-id"], good["webhook-timestamp"], respell(good["webhook-signature"]), swBody)
	f.Add("m\x00", "+1733", "v1,=== v1,AAAA", []byte("x"))
	f.Fuzz(func(t *testing.T, id, ts, sig string, body []byte) {
		h := http.Header{}
		h.Set("webhook-id", id)
		h.Set("webhook-timestamp", ts)
		h.Set("webhook-signature", sig)
		d, err := web.VerifyStandard(swKey, h, body, swNow)
		if err != nil {
			var he *web.HTTPError
			if !errors.As(err, &he) || he.Status != http.StatusUnauthorized || he.Message == "" {
				t.Fatalf("error %v is not a 401 with a message", err)
			}
			return
		}
		if d.SentAt.Before(swNow.Add(-web.Tolerance)) || d.SentAt.After(swNow.Add(web.Tolerance)) {
			t.Fatalf("accepted a timestamp outside the window: %v", d.SentAt)
		}
		// One of the list's entries (separated by white space, as the
		// verifier reads it) must be the right signature.
		want := web.StandardSignature(swKey, d.ID, d.SentAt, body)
		if !slices.Contains(strings.Fields(h.Get("webhook-signature")), want) {
			t.Fatalf("accepted %q without the right signature %q", sig, want)
		}
	})
}

var _ bot.Claimer = downClaims{}

// downClaims is a coordination backend that cannot be reached.
type downClaims struct{}

func (downClaims) Claim(context.Context, string, time.Duration) (bool, error) {
	return false, errors.New("connection refused")
}
func (downClaims) Release(context.Context, string) error { return errors.New("connection refused") }

// TestStandardWebhookWithoutCoordination: an id that cannot be checked is
// 503 (retry), never accepted unchecked.
func TestStandardWebhookWithoutCoordination(t *testing.T) {
	auth := web.WebhookAuth{SigningKey: swKey, Claims: downClaims{}, Clock: swClock}
	if _, status := readDelivery(t, auth, swHeaders(swKey, "msg_down", swNow), swBody); status != http.StatusServiceUnavailable {
		t.Errorf("status %d, want 503", status)
	}
}

// respell flips a spare bit of "v1,<base64 of 32 bytes>": the 43rd
// character carries 2 bits that decode to nothing.
func respell(sig string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	i := len(sig) - 2 // before the "=" pad
	c := strings.IndexByte(alphabet, sig[i])
	return sig[:i] + string(alphabet[c^1]) + sig[i+1:]
}
