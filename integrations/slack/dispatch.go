package slack

import (
	"context"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// dispatch runs an inbound command in the background, after the caller has
// acknowledged it to Slack. It reports false when the adapter is shutting
// down and the command was not taken.
func (a *Adapter) dispatch(in inbound) bool {
	received := a.clock.Now()
	return a.start(func(ctx context.Context) { a.run(ctx, in, received) })
}

// run maps the sender to a person, normalises the text and hands the
// request to the dispatcher. The dispatcher answers errors itself.
func (a *Adapter) run(ctx context.Context, in inbound, received time.Time) {
	req := bot.Request{
		ID:       in.id,
		Platform: Platform,
		User:     a.people.handle(ctx, in.user),
		Channel:  in.channel,
		Text:     in.text,
		Time:     received,
		Clicked:  in.clicked,
	}
	if in.markup {
		req.Text = normalize(in.text, textResolver{ctx: ctx, a: a})
	}
	if err := a.dispatcher.Handle(ctx, req, &responder{a: a, in: in}); err != nil {
		a.log.Debug("Slack request ended with an error", "request", req.ID, "err", err)
	}
}

// textResolver names users and channels in inbound text.
type textResolver struct {
	ctx context.Context
	a   *Adapter
}

func (r textResolver) userHandle(id string) string  { return r.a.people.handle(r.ctx, id) }
func (r textResolver) channelName(id string) string { return r.a.channels.name(id) }
