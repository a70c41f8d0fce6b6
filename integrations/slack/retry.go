package slack

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/interlock-coe/interlock/bot"
)

// Retry policy for server faults; rate limits are retried until ctx ends.
const (
	firstBackoff = 500 * time.Millisecond
	maxBackoff   = 30 * time.Second
	faultRetries = 6
)

// transientErrors are Slack error codes that mean "try again later".
var transientErrors = map[string]bool{
	"ratelimited": true, "internal_error": true, "fatal_error": true,
	"service_unavailable": true, "request_timeout": true,
}

// call runs one Slack API call, retrying until it succeeds, fails for good
// or ctx ends: a 429 waits its Retry-After, server faults and network
// errors back off exponentially. A non-empty paceChannel first waits for
// that channel's next slot, spacing posts at Slack's one message a second.
func (a *Adapter) call(ctx context.Context, method, paceChannel string, fn func(ctx context.Context) error) error {
	if paceChannel != "" {
		// Retries need no slot of their own: a refused call posted nothing.
		if err := a.sleep(ctx, a.pacer.reserve(paceChannel)); err != nil {
			return fmt.Errorf("slack %s: %w", method, err)
		}
	}
	backoff := firstBackoff
	faults := 0
	for {
		err := fn(ctx)
		if err == nil {
			return nil
		}
		wait, limited, retry := retryDelay(err, backoff)
		if !retry || ctx.Err() != nil || (!limited && faults >= faultRetries) {
			return fmt.Errorf("slack %s: %w", method, err)
		}
		if !limited {
			faults++
			backoff = min(2*backoff, maxBackoff)
		}
		a.log.Warn("Slack call failed; retrying", "method", method, "retry_in", wait, "err", err)
		if serr := a.sleep(ctx, wait); serr != nil {
			return fmt.Errorf("slack %s: %w (gave up retrying: %w)", method, err, serr)
		}
	}
}

// retryDelay classifies an error: how long to wait before retrying, whether
// it was a rate limit, and whether it is worth retrying at all.
func retryDelay(err error, backoff time.Duration) (wait time.Duration, limited, retry bool) {
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		return max(rl.RetryAfter, time.Second), true, true
	}
	var status slack.StatusCodeError
	if errors.As(err, &status) {
		return backoff, false, status.Code >= 500 || status.Code == 429
	}
	if code := slackError(err); code != "" {
		return backoff, code == "ratelimited", transientErrors[code]
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return 0, false, false
	}
	// A transport error (connection refused, reset, timeout) means Slack
	// most likely never saw the call; anything else is not worth repeating.
	var transport *url.Error
	return backoff, false, errors.As(err, &transport)
}

// pacer spaces calls per channel. Each call books the channel's next free
// slot, so concurrent posters queue up instead of bursting.
type pacer struct {
	clock bot.Clock
	every time.Duration
	mu    sync.Mutex
	next  map[string]time.Time
}

func newPacer(clock bot.Clock, every time.Duration) *pacer {
	return &pacer{clock: clock, every: every, next: map[string]time.Time{}}
}

// reserve books the channel's next slot and returns how long to wait for it.
func (p *pacer) reserve(channel string) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.clock.Now()
	slot := now
	if n, ok := p.next[channel]; ok && n.After(now) {
		slot = n
	}
	p.next[channel] = slot.Add(p.every)
	if len(p.next) > 512 {
		p.forget(now)
	}
	return slot.Sub(now)
}

// forget drops channels whose slots have passed, so the map stays small.
func (p *pacer) forget(now time.Time) {
	for ch, n := range p.next {
		if !n.After(now) {
			delete(p.next, ch)
		}
	}
}
