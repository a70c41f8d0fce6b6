package discord

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
)

// interactionLifetime is how long an interaction token accepts follow-ups.
const interactionLifetime = 15 * time.Minute

// Button custom ids: a typed command when it fits, else a stored hash.
const (
	maxCustomID       = 100
	storedButtonKey   = "h:"
	maxStoredButtons  = 10000
	errExpiredMessage = "this button has expired; type the command instead"
)

// initialFunc delivers the first response to an interaction: over REST for
// gateway interactions, in the HTTP answer for HTTP ones.
type initialFunc func(ctx context.Context, resp *discordgo.InteractionResponse) error

// serveGatewayInteraction runs an interaction received over the gateway.
func (a *Adapter) serveGatewayInteraction(i *discordgo.Interaction) {
	if i == nil || !a.begin() {
		return
	}
	defer a.work.Done()
	ctx, cancel := context.WithTimeout(context.Background(), interactionLifetime)
	defer cancel()
	a.serve(ctx, i, func(ctx context.Context, resp *discordgo.InteractionResponse) error {
		return a.session.InteractionRespond(i, resp, ctxOpt(ctx))
	})
}

// serve runs one interaction to the end. The command runs as it arrives;
// if it has not replied within deferAfter the interaction is acknowledged
// as deferred ("thinking…") and the first reply edits that message later.
func (a *Adapter) serve(ctx context.Context, i *discordgo.Interaction, initial initialFunc) {
	x := &exchange{a: a, i: i, initial: initial}
	req, err := a.request(i)
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
// as the person who used it.
func (a *Adapter) request(i *discordgo.Interaction) (bot.Request, error) {
	user := interactionUser(i)
	if !isSnowflake(user) {
		return bot.Request{}, errors.New("interaction without a user")
	}
	var (
		text string
		err  error
	)
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		text, err = a.commandText(i.Data)
	case discordgo.InteractionMessageComponent:
		text, err = a.buttonText(i.Data)
	default:
		err = fmt.Errorf("unsupported interaction type %d", i.Type)
	}
	if err != nil {
		return bot.Request{}, err
	}
	return bot.Request{
		ID: "discord:" + i.ID, Platform: Platform, User: a.handleOf(user),
		Channel: i.ChannelID, Text: text, Time: a.clock.Now(),
	}, nil
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

func (a *Adapter) buttonText(data discordgo.InteractionData) (string, error) {
	d, ok := data.(discordgo.MessageComponentInteractionData)
	if !ok {
		return "", errors.New("component interaction without component data")
	}
	return a.buttons.command(d.CustomID)
}

// buttonStore maps button custom ids to typed commands. A command of at
// most 100 characters is its own custom id; a longer one is stored under a
// hash, in memory (such buttons expire on restart, so keep commands short).
type buttonStore struct {
	mu   sync.Mutex
	long map[string]string
}

func newButtonStore() *buttonStore { return &buttonStore{long: map[string]string{}} }

// customID returns the custom id of a button that runs command.
func (b *buttonStore) customID(command string) string {
	if strings.HasPrefix(command, "/") && utf8.RuneCountInString(command) <= maxCustomID {
		return command
	}
	sum := sha256.Sum256([]byte(command))
	id := storedButtonKey + hex.EncodeToString(sum[:16])
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.long) >= maxStoredButtons {
		clear(b.long) // start over rather than grow without bound
	}
	b.long[id] = command
	return id
}

// command returns the typed command a clicked button stands for.
func (b *buttonStore) command(customID string) (string, error) {
	if strings.HasPrefix(customID, "/") {
		return customID, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if cmd, ok := b.long[customID]; ok {
		return cmd, nil
	}
	return "", errors.New(errExpiredMessage)
}
