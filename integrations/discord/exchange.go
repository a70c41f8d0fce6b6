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
	// attaches says whether initial can carry files: a REST callback can;
	// the HTTP answer is sent as JSON only.
	attaches bool
	mu       sync.Mutex
	state    exchangeState
	// privateDeferral says the deferral showing is ephemeral.
	privateDeferral bool
}

// Respond delivers one reply, its files attached to its last message.
// Files Discord would not take, or whose sending fails, are left out and
// the text, which always goes out, says so.
func (x *exchange) Respond(ctx context.Context, r bot.Reply) error {
	parts, err := x.a.render(ctx, r.Message)
	if err != nil {
		return err
	}
	if r.Replace {
		return x.replace(ctx, parts[0].cleared())
	}
	files, note := x.a.fitFiles(r.Files)
	parts = withNote(parts, note)
	x.mu.Lock()
	defer x.mu.Unlock()
	for i := 0; i < len(parts); i++ {
		var attach []bot.File
		if i == len(parts)-1 {
			attach = files
		}
		err := x.send(ctx, parts[i], attach, r.Private)
		if err != nil && len(attach) > 0 && ctx.Err() == nil {
			x.a.log.Warn("discord reply's files failed; sending its text without them", "interaction", x.i.ID, "err", err)
			files = nil
			parts = withNote(parts, leftOutNote(attach, err))
			i-- // the same message again, without files
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// send delivers one message of a reply: as the interaction's answer while
// none was sent, in place of a deferral, else as a follow-up. A message
// whose files fail leaves the state as it was, to be sent again without
// them.
func (x *exchange) send(ctx context.Context, p part, files []bot.File, private bool) error {
	switch x.state {
	case awaiting:
		if len(files) > 0 && !x.attaches {
			// Acknowledge in the HTTP answer, then attach by editing it.
			if err := x.initial(ctx, deferral(private), nil); err != nil {
				x.state = answered
				return fmt.Errorf("answer discord interaction %s: %w", x.i.ID, redactErr(err))
			}
			x.state, x.privateDeferral = deferred, private
			return x.send(ctx, p, files, private)
		}
		err := x.initial(ctx, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource, Data: p.responseData(private),
		}, files)
		if err == nil || len(files) == 0 {
			x.state = answered
		}
		if err != nil {
			return fmt.Errorf("answer discord interaction %s: %w", x.i.ID, redactErr(err))
		}
		return nil
	case deferred:
		if private == x.privateDeferral {
			err := x.editOriginal(ctx, p, files)
			if err == nil || len(files) == 0 {
				x.state = answered
			}
			if err != nil {
				return fmt.Errorf("answer discord interaction %s: %w", x.i.ID, redactErr(err))
			}
			return nil
		}
		// Who sees a deferral cannot change: remove it and follow up.
		x.state = answered
		if err := x.a.session.InteractionResponseDelete(x.i, ctxOpt(ctx)); err != nil {
			return fmt.Errorf("answer discord interaction %s: %w", x.i.ID, redactErr(err))
		}
	}
	if err := x.followup(ctx, p, files, private); err != nil {
		return fmt.Errorf("follow up discord interaction %s: %w", x.i.ID, redactErr(err))
	}
	return nil
}

// deferral acknowledges an interaction whose answer comes later, shown to
// the user alone when private.
func deferral(private bool) *discordgo.InteractionResponse {
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	if private {
		resp.Data = &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}
	}
	return resp
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
		err = x.initial(ctx, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage, Data: p.responseData(false)}, nil)
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
	if err := x.initial(ctx, resp, nil); err != nil {
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
		err = x.initial(ctx, quietAck(x.i.Type), nil)
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
