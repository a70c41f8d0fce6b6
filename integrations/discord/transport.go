package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// discordHost is the host every discordgo REST endpoint names.
const discordHost = "discord.com"

// Retry policy for failures discordgo does not retry itself.
const (
	retryAttempts   = 5
	retryBackoff    = 200 * time.Millisecond
	maxRetryBackoff = 5 * time.Second
	maxPeekedBody   = 1 << 20
)

// apiSuffix is an API path some people include in a base URL.
var apiSuffix = regexp.MustCompile(`/api(/v[0-9]+)?/?$`)

// restClient builds the HTTP client of the REST session from base (its
// Transport and Timeout): requests for discord.com go to apiURL when it is
// set, and 5xx answers, non-JSON 429s and failed idempotent requests are
// retried with backoff. A JSON 429 is left to discordgo, which honours the
// bucket headers, waits retry_after and retries.
func restClient(base *http.Client, apiURL string, log *slog.Logger) (*http.Client, error) {
	next := http.DefaultTransport
	timeout := 20 * time.Second
	if base != nil {
		if base.Transport != nil {
			next = base.Transport
		}
		timeout = base.Timeout
	}
	if apiURL != "" {
		target, err := url.Parse(apiURL)
		if err != nil || (target.Scheme != "http" && target.Scheme != "https") || target.Host == "" {
			return nil, fmt.Errorf("discord: API URL %q must be http(s)://host[/path]", apiURL)
		}
		version := ""
		if m := apiSuffix.FindStringSubmatch(target.Path); m != nil {
			version = m[1]
		}
		target.Path = strings.TrimSuffix(apiSuffix.ReplaceAllString(target.Path, ""), "/")
		next = rewriteTransport{target: target, version: version, next: next}
	}
	rt := &retryTransport{next: next, attempts: retryAttempts, backoff: retryBackoff, log: log}
	return &http.Client{Transport: rt, Timeout: timeout}, nil
}

// rewriteTransport sends requests for discord.com to another base URL,
// with the API version that URL names ("/v10"), if any, instead of
// discordgo's.
type rewriteTransport struct {
	target  *url.URL
	version string
	next    http.RoundTripper
}

// discordgoAPI is the path prefix of every discordgo REST endpoint.
var discordgoAPI = "/api/v" + discordgo.APIVersion

// RoundTrip rewrites the scheme, host and path prefix of discord.com requests.
func (t rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != discordHost {
		return t.next.RoundTrip(req)
	}
	r := req.Clone(req.Context())
	r.URL.Scheme = t.target.Scheme
	r.URL.Host = t.target.Host
	path := req.URL.Path
	if rest, ok := strings.CutPrefix(path, discordgoAPI); ok && t.version != "" {
		path = "/api" + t.version + rest
	}
	r.URL.Path = t.target.Path + path
	r.URL.RawPath = ""
	r.Host = ""
	return t.next.RoundTrip(r)
}

// retryTransport retries what discordgo would give up on, so that no
// message is dropped: 5xx answers, 429s without a JSON body (proxies,
// Cloudflare) and network errors of idempotent requests, which include
// message posts marked with retrySafe (their enforced nonce makes Discord
// return the message already made instead of posting it twice).
type retryTransport struct {
	next     http.RoundTripper
	attempts int
	backoff  time.Duration
	log      *slog.Logger
}

// RoundTrip sends req, retrying with backoff.
func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	try := req
	for attempt := 1; ; attempt++ {
		resp, err := t.next.RoundTrip(try)
		wait, retry := t.retryAfter(req, resp, err, attempt)
		if !retry || attempt >= t.attempts || (req.Body != nil && req.GetBody == nil) {
			return resp, err
		}
		status := "error"
		if resp != nil {
			status = resp.Status
			drain(resp)
		}
		t.log.Warn("discord request failed; retrying", "method", req.Method, "path", redactPath(req.URL.Path),
			"status", status, "err", redactErr(err), "wait", wait, "attempt", attempt)
		if err := sleep(req.Context(), wait); err != nil {
			return nil, err
		}
		if try, err = rewind(req); err != nil {
			return nil, err
		}
	}
}

// retryAfter decides whether a result is worth another attempt, and when.
func (t *retryTransport) retryAfter(req *http.Request, resp *http.Response, err error, attempt int) (time.Duration, bool) {
	backoff := min(t.backoff<<(attempt-1), maxRetryBackoff)
	switch {
	case err != nil:
		return backoff, req.Context().Err() == nil && (idempotent(req.Method) || isRetrySafe(req.Context()))
	case resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented:
		return headerDelay(resp, backoff), true
	case resp.StatusCode == http.StatusTooManyRequests && !hasRetryAfterJSON(resp):
		return headerDelay(resp, max(backoff, time.Second)), true
	}
	return 0, false
}

// retrySafeKey marks a request context whose POST may be repeated.
type retrySafeKey struct{}

// retrySafe marks ctx's requests as safe to repeat after a network error.
func retrySafe(ctx context.Context) context.Context {
	return context.WithValue(ctx, retrySafeKey{}, true)
}

func isRetrySafe(ctx context.Context) bool {
	safe, _ := ctx.Value(retrySafeKey{}).(bool)
	return safe
}

// tokenInPath matches the interaction token in interaction callback and
// webhook paths: it lets anyone answer as the app for 15 minutes.
var tokenInPath = regexp.MustCompile(`(/(?:interactions|webhooks)/[0-9]+/)[^/?]+`)

// redactPath hides interaction tokens in a REST path, for logs.
func redactPath(path string) string { return tokenInPath.ReplaceAllString(path, "${1}…") }

// redactErr hides interaction tokens in an error's message (transport
// errors quote the URL), keeping the error itself in the chain.
func redactErr(err error) error {
	if err == nil {
		return nil
	}
	msg := redactPath(err.Error())
	if msg == err.Error() {
		return err
	}
	return &redactedError{msg: msg, err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// hasRetryAfterJSON reports whether a 429 carries the JSON body discordgo
// understands; the body is left readable.
func hasRetryAfterJSON(resp *http.Response) bool {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxPeekedBody))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var rl struct {
		RetryAfter *float64 `json:"retry_after"`
	}
	return json.Unmarshal(body, &rl) == nil && rl.RetryAfter != nil
}

// headerDelay reads a Retry-After header in seconds, or returns def.
func headerDelay(resp *http.Response, def time.Duration) time.Duration {
	secs, err := strconv.ParseFloat(resp.Header.Get("Retry-After"), 64)
	if err != nil || secs < 0 || secs > 600 {
		return def
	}
	return time.Duration(secs * float64(time.Second))
}

func rewind(req *http.Request) (*http.Request, error) {
	r := req.Clone(req.Context())
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("rewind discord request body: %w", err)
		}
		r.Body = body
	}
	return r, nil
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxPeekedBody))
	resp.Body.Close()
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
