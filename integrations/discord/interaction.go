package discord

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
)

// interactionLifetime is how long an interaction token accepts follow-ups.
const interactionLifetime = 15 * time.Minute

// initialFunc delivers the first response to an interaction: over REST for
// gateway interactions (files attached), in the HTTP answer for HTTP ones
// (which never get files).
type initialFunc func(ctx context.Context, resp *discordgo.InteractionResponse, files []bot.File) error

// serveGatewayInteraction runs an interaction received over the gateway.
func (a *Adapter) serveGatewayInteraction(i *discordgo.Interaction) {
	if i == nil || !a.begin() {
		return
	}
	defer a.work.Done()
	ctx, cancel := context.WithTimeout(context.Background(), interactionLifetime)
	defer cancel()
	a.serve(ctx, i, true, func(ctx context.Context, resp *discordgo.InteractionResponse, files []bot.File) error {
		return a.respondInteraction(ctx, i, resp, files)
	})
}

// serve runs one interaction to the end. The command runs as it arrives;
// if it has not replied within deferAfter the interaction is acknowledged
// as deferred ("thinking…") and the first reply edits that message later.
// attaches says whether initial can carry files.
func (a *Adapter) serve(ctx context.Context, i *discordgo.Interaction, attaches bool, initial initialFunc) {
	x := &exchange{a: a, i: i, initial: initial, attaches: attaches}
	req, form, err := a.request(ctx, i)
	if form != nil {
		// A button that asks for text first: the form is the answer, and
		// its submission comes back as an interaction of its own.
		if err := initial(ctx, form, nil); err != nil {
			a.log.Warn("cannot open discord form", "interaction", i.ID, "err", redactErr(err))
		}
		return
	}
	if err != nil {
		a.log.Info("discord interaction refused", "interaction", i.ID, "err", err)
		if rerr := x.Respond(ctx, bot.Reply{Message: bot.Message{Text: "⚠ " + err.Error()}, Private: true}); rerr != nil {
			a.log.Warn("cannot answer discord interaction", "interaction", i.ID, "err", rerr)
		}
		return
	}
	timer := time.AfterFunc(a.deferAfter, func() { x.deferNow(ctx) })
	err = a.disp.Handle(ctx, req, x)
	timer.Stop()
	x.finish(ctx)
	if err != nil {
		a.log.Debug("discord command ended with an error", "request", req.ID, "err", err)
	}
}

// request turns an interaction into the typed command it stands for, run
// as the person who used it; or, for a click on a button that asks for
// text, into the form (a modal) to answer with.
func (a *Adapter) request(ctx context.Context, i *discordgo.Interaction) (bot.Request, *discordgo.InteractionResponse, error) {
	user := interactionUser(i)
	if !isSnowflake(user) {
		return bot.Request{}, nil, errors.New("interaction without a user")
	}
	var (
		text string
		form *discordgo.InteractionResponse
		err  error
	)
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		text, err = a.commandText(i.Data)
	case discordgo.InteractionMessageComponent:
		text, form, err = a.buttonText(ctx, i.Data)
	case discordgo.InteractionModalSubmit:
		text, err = a.formText(ctx, i.Data)
	default:
		err = fmt.Errorf("unsupported interaction type %d", i.Type)
	}
	if err != nil || form != nil {
		return bot.Request{}, form, err
	}
	return bot.Request{
		ID: "discord:" + i.ID, Platform: Platform, User: a.handleOf(user),
		Channel: i.ChannelID, Text: text, Time: a.clock.Now(),
		Clicked: i.Type != discordgo.InteractionApplicationCommand,
	}, nil, nil
}

func interactionUser(i *discordgo.Interaction) string {
	switch {
	case i.Member != nil && i.Member.User != nil:
		return i.Member.User.ID
	case i.User != nil:
		return i.User.ID
	}
	return ""
}

func (a *Adapter) commandText(data discordgo.InteractionData) (string, error) {
	d, ok := data.(discordgo.ApplicationCommandInteractionData)
	if !ok {
		return "", errors.New("command interaction without command data")
	}
	spec, opts, err := a.catalog().lookup(d)
	if err != nil {
		return "", fmt.Errorf("%w; the command list may be out of date, try /interlock help", err)
	}
	return spec.typedText(opts, a.handleOf)
}
