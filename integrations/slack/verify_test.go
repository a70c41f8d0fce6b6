package slack

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// Slack's published signing example
// (https://docs.slack.dev/authentication/verifying-requests-from-slack/).
const (
	exampleSecret    = "8f742231b10e8888abcd99yyyzzz85a5"
	exampleTimestamp = 1531420618
	exampleBody      = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	exampleSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
)

func exampleHeader() http.Header {
	h := http.Header{}
	h.Set("X-Slack-Request-Timestamp", "1531420618")
	h.Set("X-Slack-Signature", exampleSignature)
	return h
}

func TestVerifierAcceptsSlackExample(t *testing.T) {
	v := verifier{secret: []byte(exampleSecret), clock: &fakeClock{now: time.Unix(exampleTimestamp, 0)}}
	if err := v.check(exampleHeader(), []byte(exampleBody)); err != nil {
		t.Fatalf("Slack's example refused: %v", err)
	}
	for i := range len(exampleBody) {
		changed := []byte(exampleBody)
		changed[i] ^= 0x01
		if err := v.check(exampleHeader(), changed); err != errBadSignature {
			t.Fatalf("byte %d changed: got %v, want errBadSignature", i, err)
		}
	}
}

func TestVerifierRefuses(t *testing.T) {
	at := time.Unix(exampleTimestamp, 0)
	cases := []struct {
		name   string
		now    time.Time
		secret string
		header func(h http.Header)
		want   error
	}{
		{"timestamp 5 min old is fine", at.Add(5 * time.Minute), exampleSecret, nil, nil},
		{"timestamp older than 5 min", at.Add(5*time.Minute + time.Second), exampleSecret, nil, errStaleTimestamp},
		{"timestamp in the future", at.Add(-6 * time.Minute), exampleSecret, nil, errStaleTimestamp},
		{"wrong secret", at, "another-secret", nil, errBadSignature},
		{"no secret configured", at, "", nil, errNoSecret},
		{"missing signature", at, exampleSecret, func(h http.Header) { h.Del("X-Slack-Signature") }, errMissingSignature},
		{"missing timestamp", at, exampleSecret, func(h http.Header) { h.Del("X-Slack-Request-Timestamp") }, errMissingSignature},
		{"not a number", at, exampleSecret, func(h http.Header) { h.Set("X-Slack-Request-Timestamp", "soon") }, errStaleTimestamp},
		{"wrong version", at, exampleSecret, func(h http.Header) { h.Set("X-Slack-Signature", strings.Replace(exampleSignature, "v0=", "v1=", 1)) }, errBadSignature},
		{"not hex", at, exampleSecret, func(h http.Header) { h.Set("X-Slack-Signature", "v0=zz") }, errBadSignature},
		{"truncated", at, exampleSecret, func(h http.Header) { h.Set("X-Slack-Signature", exampleSignature[:20]) }, errBadSignature},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := exampleHeader()
			if tc.header != nil {
				tc.header(h)
			}
			v := verifier{secret: []byte(tc.secret), clock: &fakeClock{now: tc.now}}
			if err := v.check(h, []byte(exampleBody)); err != tc.want {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}
