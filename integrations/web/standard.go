package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The Standard Webhooks scheme (https://www.standardwebhooks.com): the
// sender signs "id.timestamp.body" with a shared key and sends
//
//	webhook-id:        msg_2KWPBgLlAfxdpx2AI54pPJ85f4W
//	webhook-timestamp: 1733300000                      (Unix seconds)
//	webhook-signature: v1,<base64 HMAC-SHA256> [v1,… …] (space-separated)
//
// Unlike the body HMAC, the signature covers a send time and an id, so a
// captured delivery cannot be replayed: it is refused once its timestamp
// is more than Tolerance away from our clock, and before that its id has
// been claimed (ReplayTTL) by the first delivery.
const (
	// Tolerance is how far a webhook-timestamp may be from our clock, in
	// either direction.
	Tolerance = 5 * time.Minute
	// ReplayTTL is how long a webhook-id stays claimed: a timestamp
	// accepted up to Tolerance ahead of our clock stays acceptable for
	// 2×Tolerance, plus a margin for clock steps between replicas.
	ReplayTTL = 2*Tolerance + time.Minute

	// Bounds of the headers, so that parsing work stays small.
	maxWebhookID     = 256
	maxSignatureList = 4096
	maxSignatures    = 16
)

// Header names of the Standard Webhooks scheme.
const (
	HeaderWebhookID        = "webhook-id"
	HeaderWebhookTimestamp = "webhook-timestamp"
	HeaderWebhookSignature = "webhook-signature"
)

// StandardDelivery is what a verified Standard Webhooks request says about
// itself.
type StandardDelivery struct {
	ID     string
	SentAt time.Time
}

// isStandard reports whether a request uses the Standard Webhooks scheme.
func isStandard(h http.Header) bool {
	return h.Get(HeaderWebhookSignature) != "" || h.Get(HeaderWebhookID) != ""
}

// VerifyStandard checks a Standard Webhooks request's headers and body with
// key at now: a well-formed id, a timestamp within Tolerance of now, and at
// least one v1 signature that matches (compared in constant time;
// signatures of other versions are skipped). It does not check that the id
// is new: ReadDelivery claims it. Errors are 401 *HTTPErrors that say what
// is wrong without revealing anything of the key.
func VerifyStandard(key []byte, h http.Header, body []byte, now time.Time) (StandardDelivery, error) {
	var d StandardDelivery
	id, err := parseWebhookID(h.Get(HeaderWebhookID))
	if err != nil {
		return d, err
	}
	ts := strings.TrimSpace(h.Get(HeaderWebhookTimestamp))
	sent, err := parseWebhookTimestamp(ts, now)
	if err != nil {
		return d, err
	}
	sigs, err := parseSignatures(h.Get(HeaderWebhookSignature))
	if err != nil {
		return d, err
	}
	want := standardMAC(key, id, ts, body)
	for _, sig := range sigs {
		if hmac.Equal(sig, want) {
			return StandardDelivery{ID: id, SentAt: sent}, nil
		}
	}
	return d, unauthorized("webhook-signature: no v1 signature matches")
}

// StandardSignature is the webhook-signature value for a delivery: what a
// sender computes, and what tests send.
func StandardSignature(key []byte, id string, sentAt time.Time, body []byte) string {
	ts := strconv.FormatInt(sentAt.Unix(), 10)
	return "v1," + base64.StdEncoding.EncodeToString(standardMAC(key, id, ts, body))
}

func standardMAC(key []byte, id, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id + "." + ts + "."))
	m.Write(body)
	return m.Sum(nil)
}

// parseWebhookID accepts printable ASCII without spaces or dots: a dot
// would let "id.timestamp" be split another way.
func parseWebhookID(id string) (string, error) {
	id = strings.TrimSpace(id)
	switch {
	case id == "":
		return "", unauthorized("webhook-id: missing")
	case len(id) > maxWebhookID:
		return "", unauthorized(fmt.Sprintf("webhook-id: longer than %d characters", maxWebhookID))
	case strings.IndexFunc(id, func(r rune) bool { return r <= ' ' || r > '~' || r == '.' }) >= 0:
		return "", unauthorized("webhook-id: only printable ASCII without spaces or dots")
	}
	return id, nil
}

// parseWebhookTimestamp reads Unix seconds and checks them against now.
func parseWebhookTimestamp(ts string, now time.Time) (time.Time, error) {
	if ts == "" {
		return time.Time{}, unauthorized("webhook-timestamp: missing")
	}
	if len(ts) > 12 || strings.IndexFunc(ts, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return time.Time{}, unauthorized("webhook-timestamp: not Unix seconds")
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return time.Time{}, unauthorized("webhook-timestamp: not Unix seconds")
	}
	sent := time.Unix(secs, 0).UTC()
	switch {
	case sent.Before(now.Add(-Tolerance)):
		return sent, unauthorized("webhook-timestamp: more than 5 minutes old; sign each delivery when sending it")
	case sent.After(now.Add(Tolerance)):
		return sent, unauthorized("webhook-timestamp: more than 5 minutes in the future; check the sender's clock")
	}
	return sent, nil
}

// parseSignatures reads the v1 signatures of a space-separated list of
// "version,base64"; entries of other versions, or that do not decode, are
// skipped, so one bad entry beside a good one does not fail the delivery.
func parseSignatures(list string) ([][]byte, error) {
	if len(list) > maxSignatureList {
		return nil, unauthorized(fmt.Sprintf("webhook-signature: longer than %d bytes", maxSignatureList))
	}
	entries := strings.Fields(list)
	if len(entries) == 0 {
		return nil, unauthorized("webhook-signature: missing")
	}
	if len(entries) > maxSignatures {
		return nil, unauthorized(fmt.Sprintf("webhook-signature: more than %d signatures", maxSignatures))
	}
	var sigs [][]byte
	for _, e := range entries {
		version, sig, ok := strings.Cut(e, ",")
		if !ok {
			return nil, unauthorized(`webhook-signature: want "v1,<base64>" entries separated by spaces`)
		}
		if version != "v1" {
			continue
		}
		// Only the canonical spelling counts: the decoder would also take
		// others of the same bytes (spare bits in the last character, CR
		// and LF anywhere), and a signature should have one form.
		b, err := base64.StdEncoding.DecodeString(sig)
		if err == nil && len(b) == sha256.Size && base64.StdEncoding.EncodeToString(b) == sig {
			sigs = append(sigs, b)
		}
	}
	if len(sigs) == 0 {
		return nil, unauthorized("webhook-signature: no well-formed v1 signature")
	}
	return sigs, nil
}

func unauthorized(msg string) error {
	return &HTTPError{Status: http.StatusUnauthorized, Message: msg}
}
