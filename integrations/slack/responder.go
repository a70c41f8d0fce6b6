package slack

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/interlock-coe/interlock/bot"
)

// responseURLUses is how many times Slack accepts posts to one response_url.
const responseURLUses = 5

// replyTimeout bounds the delivery of one reply, retries included; the
// router may hand replies a context without a deadline.
const replyTimeout = 2 * time.Minute

// hookTimeout bounds one post to a response_url, so that a dead one still
// leaves the fallback inside Slack's 3 seconds.
const hookTimeout = 2 * time.Second

// responder delivers the replies to one inbound request: private replies
// as ephemeral messages through the response_url (or chat.postEphemeral),
// public replies with chat.postMessage into the channel, and the files of
// either as uploads (see attach.go).
type responder struct {
	a        *Adapter
	in       inbound
	mu       sync.Mutex
	hookUses int
}

// Respond implements bot.Responder.
func (r *responder) Respond(ctx context.Context, reply bot.Reply) error {
	ctx, cancel := context.WithTimeout(ctx, replyTimeout)
	defer cancel()
	if reply.Replace {
		return r.replace(ctx, reply.Message)
	}
	msg := reply.Message
	ephemeral := reply.Private && !r.in.direct
	if len(reply.Files) > 0 && ephemeral {
		// Slack cannot attach a file to an ephemeral message.
		msg = withNote(msg, r.filesByDM(ctx, reply.Files))
	}
	pages, err := r.a.render(ctx, msg)
	if err != nil {
		return err
	}
	for _, p := range pages {
		if err := r.deliver(ctx, p, reply.Private); err != nil {
			return fmt.Errorf("reply in %s: %w", r.in.channel, err)
		}
	}
	if len(reply.Files) > 0 && !ephemeral {
		return r.attach(ctx, reply.Files)
	}
	return nil
}

func (r *responder) deliver(ctx context.Context, p page, private bool) error {
	if private && !r.in.direct {
		return r.ephemeral(ctx, p)
	}
	err := r.a.queue.inOrder(ctx, r.in.channel, func() error {
		_, err := r.a.postPage(ctx, r.in.channel, p)
		return err
	})
	if code := slackError(err); (code == "not_in_channel" || code == "channel_not_found") && r.takeHookUse() {
		// The bot is not in this private channel; the command's
		// response_url can still answer there.
		return r.hook(ctx, p, slack.ResponseTypeInChannel)
	}
	return err
}

// ephemeral shows a page to the sender only.
func (r *responder) ephemeral(ctx context.Context, p page) error {
	if r.takeHookUse() {
		err := r.hook(ctx, p, slack.ResponseTypeEphemeral)
		if err == nil {
			return nil
		}
		r.a.log.Warn("response_url failed; falling back to chat.postEphemeral", "request", r.in.id, "err", err)
	}
	return r.a.call(ctx, "chat.postEphemeral", "", func(ctx context.Context) error {
		_, err := r.a.api.PostEphemeralContext(ctx, r.in.channel, r.in.user, pageOptions(p)...)
		return err
	})
}

// takeHookUse reports whether the response_url may be used once more.
func (r *responder) takeHookUse() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.in.responseURL == "" || r.hookUses >= responseURLUses {
		return false
	}
	r.hookUses++
	return true
}

// hook posts a page to the request's response_url.
func (r *responder) hook(ctx context.Context, p page, responseType string) error {
	msg := &slack.WebhookMessage{
		Text:         p.fallback,
		Blocks:       &slack.Blocks{BlockSet: p.blocks},
		ResponseType: responseType,
	}
	// One attempt within hookTimeout: a response_url that hangs or refuses
	// must leave time for the chat.postEphemeral fallback, which is the
	// retry; the shared client would wait 30 s and retry it for minutes.
	hctx, cancel := context.WithTimeout(ctx, hookTimeout)
	defer cancel()
	if err := slack.PostWebhookCustomHTTPContext(hctx, r.in.responseURL, r.a.http, msg); err != nil {
		return fmt.Errorf("slack response_url: %w", redact(err, r.in.responseURL, "(response_url)"))
	}
	return nil
}

// redactedError is an error whose message hides a secret; the original
// stays in the chain (retrying depends on its type).
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redact hides secret in err's message: a response_url lets anyone who has
// it post in the channel, and transport errors quote it.
func redact(err error, secret, placeholder string) error {
	if err == nil || secret == "" || !strings.Contains(err.Error(), secret) {
		return err
	}
	return &redactedError{msg: strings.ReplaceAll(err.Error(), secret, placeholder), err: err}
}
