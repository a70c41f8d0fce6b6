package discord

import (
	"context"
	"fmt"
	"sync"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
)

// exchangeState is how far the answer to an interaction has got.
type exchangeState int

const (
	awaiting exchangeState = iota // nothing sent yet
	deferred                      // "thinking…" is showing; the first reply replaces it
	answered                      // the interaction is answered; replies are follow-ups
)

// exchange is the bot.Responder of one interaction. The first reply is the
// interaction response (or, once deferred, edits it); later replies are
// follow-up messages. Replies are delivered one at a time, in order.
type exchange struct {
	a       *Adapter
	i       *discordgo.Interaction
	initial initialFunc
	mu      sync.Mutex
	state   exchangeState
}

// Respond delivers one reply.
func (x *exchange) Respond(ctx context.Context, r bot.Reply) error {
	parts, err := x.a.render(ctx, r.Message)
	if err != nil {
		return err
	}
	if r.Replace {
		return x.replace(ctx, parts[0].cleared())
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	switch x.state {
	case awaiting:
		err = x.initial(ctx, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: parts[0].responseData(r.Private),
		})
		parts = parts[1:]
	case deferred:
		if r.Private {
			// The deferral was public and cannot become private: remove it
			// and answer with a private follow-up.
			err = x.a.session.InteractionResponseDelete(x.i, ctxOpt(ctx))
		} else {
			_, err = x.a.session.InteractionResponseEdit(x.i, parts[0].webhookEdit(), ctxOpt(ctx))
			parts = parts[1:]
		}
	}
	x.state = answered
	if err != nil {
		return fmt.Errorf("answer discord interaction %s: %w", x.i.ID, redactErr(err))
	}
	for _, p := range parts {
		if _, err := x.a.session.FollowupMessageCreate(x.i, true, p.webhookParams(r.Private), ctxOpt(ctx)); err != nil {
			return fmt.Errorf("follow up discord interaction %s: %w", x.i.ID, redactErr(err))
		}
	}
	return nil
}

// replace puts p in place of the message whose button was clicked, with
// p's buttons only: as the interaction's answer (UPDATE_MESSAGE) when
// nothing was sent yet, else by editing that message. Without a clicked
// message there is nothing to replace.
func (x *exchange) replace(ctx context.Context, p part) error {
	if x.i.Message == nil || x.i.Message.ID == "" {
		return nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	var err error
	if x.state == awaiting {
		err = x.initial(ctx, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage, Data: p.responseData(false)})
		x.state = answered
	} else {
		_, err = x.a.session.ChannelMessageEditComplex(&discordgo.MessageEdit{
			ID: x.i.Message.ID, Channel: x.i.ChannelID, Content: &p.content, Embeds: &p.embeds,
			Components: &p.components, AllowedMentions: allowedMentions(),
		}, ctxOpt(ctx))
	}
	if err != nil {
		return fmt.Errorf("replace clicked discord message %s: %w", x.i.Message.ID, redactErr(err))
	}
	return nil
}

// deferNow acknowledges the interaction as deferred unless a reply was
// already sent.
func (x *exchange) deferNow(ctx context.Context) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.state != awaiting {
		return
	}
	x.state = deferred
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	if err := x.initial(ctx, resp); err != nil {
		x.state = answered
		x.a.log.Warn("cannot defer discord interaction", "interaction", x.i.ID, "err", redactErr(err))
	}
}

// finish closes the exchange after the command returned: a command that
// replied nothing is acknowledged quietly, and a deferral never replaced is
// removed.
func (x *exchange) finish(ctx context.Context) {
	x.mu.Lock()
	defer x.mu.Unlock()
	var err error
	switch x.state {
	case awaiting:
		err = x.initial(ctx, quietAck(x.i.Type))
	case deferred:
		err = x.a.session.InteractionResponseDelete(x.i, ctxOpt(ctx))
	}
	x.state = answered
	if err != nil {
		x.a.log.Warn("cannot close discord interaction", "interaction", x.i.ID, "err", redactErr(err))
	}
}

// quietAck acknowledges an interaction whose command said nothing: a click
// (or a form it opened) is acknowledged without a message, a command with
// a private "Done.".
func quietAck(t discordgo.InteractionType) *discordgo.InteractionResponse {
	if t == discordgo.InteractionMessageComponent || t == discordgo.InteractionModalSubmit {
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "Done.", Flags: discordgo.MessageFlagsEphemeral},
	}
}
