package web

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// MaxBody is the largest webhook body accepted (DESIGN.md §6).
const MaxBody = 1 << 20

// WebhookAuth verifies webhook senders: a bearer token, an HMAC-SHA256
// signature of the body, or a Standard Webhooks signature (standard.go).
// Any configured method suffices; only the last is replay-safe.
type WebhookAuth struct {
	Token  string // INTERLOCK_WEBHOOK_TOKEN
	Secret string // INTERLOCK_WEBHOOK_SECRET
	// SigningKey is the decoded key of INTERLOCK_WEBHOOK_SIGNING_KEY, for
	// the Standard Webhooks scheme; empty turns the scheme off.
	SigningKey []byte
	// Claims remembers the webhook-ids seen (the coordination backend, so
	// that a replay is refused whichever replica it reaches). The Standard
	// Webhooks scheme needs it.
	Claims bot.Claimer
	// Clock reads the time; nil is the system clock.
	Clock bot.Clock
}

// Configured reports whether any method is set; without one every webhook
// is refused rather than left open.
func (a WebhookAuth) Configured() bool { return a.Token != "" || a.Secret != "" || a.standard() }

func (a WebhookAuth) standard() bool { return len(a.SigningKey) > 0 && a.Claims != nil }

func (a WebhookAuth) now() time.Time {
	if a.Clock == nil {
		return time.Now()
	}
	return a.Clock.Now()
}

// Verify checks a request's bearer token or body HMAC against its body;
// the Standard Webhooks scheme, which also claims ids, is ReadDelivery's.
func (a WebhookAuth) Verify(r *http.Request, body []byte) bool {
	if a.Token != "" {
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok &&
			subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(a.Token)) == 1 {
			return true
		}
	}
	if a.Secret != "" {
		if sig, ok := strings.CutPrefix(r.Header.Get("X-Interlock-Signature"), "sha256="); ok {
			got, err := hex.DecodeString(strings.TrimSpace(sig))
			return err == nil && hmac.Equal(got, Sign(a.Secret, body))
		}
	}
	return false
}

// Sign returns the HMAC-SHA256 of body with secret.
func Sign(secret string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return m.Sum(nil)
}

// SignatureHeader is the X-Interlock-Signature value for body.
func SignatureHeader(secret string, body []byte) string {
	return "sha256=" + hex.EncodeToString(Sign(secret, body))
}

// HTTPError is an error with the status to answer.
type HTTPError struct {
	Status  int
	Message string
}

func (e *HTTPError) Error() string { return e.Message }

// Delivery is an authenticated webhook request.
type Delivery struct {
	Body     []byte
	Received time.Time // by our clock
	// SentAt is the verified webhook-timestamp of a Standard Webhooks
	// delivery; zero for the other schemes, which sign no time.
	SentAt time.Time
	// claimed is the webhook-id claim to release if the delivery fails.
	claimed string
	claims  bot.Claimer
}

// ReadWebhook authenticates a webhook request and returns its body; see
// ReadDelivery.
func ReadWebhook(w http.ResponseWriter, r *http.Request, auth WebhookAuth) ([]byte, error) {
	d, err := ReadDelivery(w, r, auth)
	return d.Body, err
}

// ReadDelivery authenticates a webhook request and returns it, or an
// HTTPError: 413 for a body over MaxBody, 401 for bad credentials (a
// Standard Webhooks delivery is judged by that scheme alone), 409 for a
// webhook-id already delivered, 503 when the id cannot be checked. A
// handler that then fails answers with d.Fail, which frees the id so that
// the sender's retry is not refused as a replay.
func ReadDelivery(w http.ResponseWriter, r *http.Request, auth WebhookAuth) (Delivery, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return Delivery{}, &HTTPError{Status: http.StatusRequestEntityTooLarge, Message: fmt.Sprintf("body over %d bytes", MaxBody)}
	}
	if err != nil {
		return Delivery{}, &HTTPError{Status: http.StatusBadRequest, Message: "cannot read body: " + err.Error()}
	}
	d := Delivery{Body: body, Received: auth.now()}
	if auth.standard() && isStandard(r.Header) {
		return auth.claimStandard(r, d)
	}
	if !auth.Configured() || !auth.Verify(r, body) {
		return Delivery{}, &HTTPError{Status: http.StatusUnauthorized, Message: "missing or invalid credentials"}
	}
	return d, nil
}

// claimStandard verifies a Standard Webhooks delivery and claims its id.
func (a WebhookAuth) claimStandard(r *http.Request, d Delivery) (Delivery, error) {
	sd, err := VerifyStandard(a.SigningKey, r.Header, d.Body, d.Received)
	if err != nil {
		return Delivery{}, err
	}
	key := "webhook-id:" + sd.ID
	first, err := a.Claims.Claim(r.Context(), key, ReplayTTL)
	if err != nil {
		return Delivery{}, &HTTPError{Status: http.StatusServiceUnavailable, Message: "cannot check webhook-id now; nothing was stored, please retry"}
	}
	if !first {
		return Delivery{}, &HTTPError{Status: http.StatusConflict, Message: "webhook-id " + sd.ID + " was delivered already; a replay changes nothing"}
	}
	d.SentAt, d.claimed, d.claims = sd.SentAt, key, a.Claims
	return d, nil
}

// Fail answers err for a delivery that stored nothing, first freeing its
// webhook-id (if it had one) so that the sender may retry it.
func (d Delivery) Fail(ctx context.Context, w http.ResponseWriter, err error) {
	if d.claimed != "" {
		// A failed release only makes the retry wait out ReplayTTL.
		_ = d.claims.Release(context.WithoutCancel(ctx), d.claimed)
	}
	WriteError(w, err)
}

// DecodeItems decodes one JSON object or an array of them into items,
// refusing unknown fields; errors name the item and the field at fault.
func DecodeItems[T any](body []byte) ([]T, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, &HTTPError{Status: http.StatusBadRequest, Message: "empty body"}
	}
	if trimmed[0] != '[' {
		var one T
		if err := decodeStrict(trimmed, &one); err != nil {
			return nil, &HTTPError{Status: http.StatusBadRequest, Message: err.Error()}
		}
		return []T{one}, nil
	}
	// One pass over the array: decoding each item from a raw copy, after
	// a pass to split them, cost a listening batch twice the time.
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if _, err := dec.Token(); err != nil {
		return nil, &HTTPError{Status: http.StatusBadRequest, Message: "malformed JSON: " + err.Error()}
	}
	var items []T
	for dec.More() {
		var item T
		if err := dec.Decode(&item); err != nil {
			return nil, &HTTPError{Status: http.StatusBadRequest, Message: fmt.Sprintf("item %d: %v", len(items), describeDecodeError(err))}
		}
		items = append(items, item)
	}
	if _, err := dec.Token(); err != nil {
		return nil, &HTTPError{Status: http.StatusBadRequest, Message: "malformed JSON: " + err.Error()}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &HTTPError{Status: http.StatusBadRequest, Message: "malformed JSON: trailing data after the array"}
	}
	if len(items) == 0 {
		return nil, &HTTPError{Status: http.StatusBadRequest, Message: "no data points: the array is empty"}
	}
	return items, nil
}

func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return describeDecodeError(err)
	}
	// More alone would miss a stray ] or }: it reports false on them.
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("malformed JSON: trailing data after the object")
	}
	return nil
}

// describeDecodeError says what was wrong with a decoded value: the field
// and the type expected, an unknown field, or malformed JSON.
func describeDecodeError(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return fmt.Errorf("field %q: expected %s, got %s", typeErr.Field, typeErr.Type, typeErr.Value)
	}
	if strings.HasPrefix(err.Error(), "json: unknown field") {
		return fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return fmt.Errorf("malformed JSON: %w", err)
}

// FieldError reports a missing or invalid field (400 with the field named).
func FieldError(item int, field, problem string) error {
	return &HTTPError{Status: http.StatusBadRequest, Message: fmt.Sprintf("item %d: field %q %s", item, field, problem)}
}

// WriteError answers err as JSON with its status (500 for unknown errors).
func WriteError(w http.ResponseWriter, err error) {
	status, msg := http.StatusInternalServerError, "internal error"
	var he *HTTPError
	if errors.As(err, &he) {
		status, msg = he.Status, he.Message
	}
	WriteJSON(w, status, map[string]string{"error": msg})
}

// WriteJSON answers v as JSON.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
