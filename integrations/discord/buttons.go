package discord

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
)

// A button's custom id is its action (bot.Button.Action) when that fits in
// Discord's 100 characters, else a hash under which the ButtonStore keeps
// the action for buttonLifetime, so that any replica answers the click.
const (
	maxCustomID     = 100
	storedButtonKey = "h:"
	buttonLifetime  = 30 * 24 * time.Hour
	inputFieldID    = "text"
	maxFormTitle    = 45
	maxInputLabel   = 45
	maxInputText    = 1000
	expiredMessage  = "this button has expired; type the command instead"
	lookupMessage   = "this button cannot be read right now; try again or type the command"
)

// customID returns the custom id of a button, storing its action when it
// is too long to be its own custom id.
func (a *Adapter) customID(ctx context.Context, b bot.Button) (string, error) {
	action := b.Action()
	if utf8.RuneCountInString(action) <= maxCustomID {
		return action, nil
	}
	sum := sha256.Sum256([]byte(action))
	id := storedButtonKey + hex.EncodeToString(sum[:16])
	now := a.clock.Now()
	if err := a.buttons.SaveButton(ctx, id, action, now, now.Add(buttonLifetime)); err != nil {
		return "", err
	}
	return id, nil
}

// buttonAction returns what the button with customID does.
func (a *Adapter) buttonAction(ctx context.Context, customID string) (bot.Button, error) {
	action := customID
	if strings.HasPrefix(customID, storedButtonKey) {
		stored, err := a.buttons.ButtonAction(ctx, customID, a.clock.Now())
		switch {
		case bot.IsCode(err, bot.ENotFound):
			return bot.Button{}, errors.New(expiredMessage)
		case err != nil:
			a.log.Warn("cannot look up a stored discord button", "custom_id", customID, "err", err)
			return bot.Button{}, errors.New(lookupMessage)
		}
		action = stored
	}
	b, err := bot.ParseAction(action)
	if err != nil {
		return bot.Button{}, errors.New(expiredMessage)
	}
	return b, nil
}

// buttonText is the command a click runs, or the form to open when the
// button asks for text first.
func (a *Adapter) buttonText(ctx context.Context, data discordgo.InteractionData) (string, *discordgo.InteractionResponse, error) {
	d, ok := data.(discordgo.MessageComponentInteractionData)
	if !ok {
		return "", nil, errors.New("component interaction without component data")
	}
	b, err := a.buttonAction(ctx, d.CustomID)
	switch {
	case err != nil:
		return "", nil, err
	case b.Input != nil:
		return "", inputForm(d.CustomID, *b.Input), nil
	}
	return b.Command, nil, nil
}

// inputForm is the modal a button with an Input opens: one required text
// field. Its custom id is the button's, so the submission finds the
// command again on any replica.
func inputForm(customID string, in bot.Input) *discordgo.InteractionResponse {
	field := discordgo.TextInput{
		CustomID: inputFieldID, Label: clip(capitalize(in.Name), maxInputLabel),
		Style: discordgo.TextInputParagraph, Required: true, MinLength: 1, MaxLength: maxInputText,
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{
			CustomID: customID, Title: clip(orDefault(in.Label, capitalize(in.Name)), maxFormTitle),
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{field}}},
		},
	}
}

// formText is the command a submitted form runs: its button's command
// followed by the text typed.
func (a *Adapter) formText(ctx context.Context, data discordgo.InteractionData) (string, error) {
	d, ok := data.(discordgo.ModalSubmitInteractionData)
	if !ok {
		return "", errors.New("form submission without form data")
	}
	b, err := a.buttonAction(ctx, d.CustomID)
	if err != nil {
		return "", err
	}
	if b.Input == nil {
		return "", errors.New("form submission for a button that asks for nothing")
	}
	return b.WithInput(inputValue(d.Components))
}

// inputValue finds the text field's value among a form's rows.
func inputValue(components []discordgo.MessageComponent) string {
	for _, c := range components {
		switch c := c.(type) {
		case *discordgo.ActionsRow:
			if v := inputValue(c.Components); v != "" {
				return v
			}
		case *discordgo.TextInput:
			if c.CustomID == inputFieldID {
				return c.Value
			}
		}
	}
	return ""
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return strings.ToUpper(string(r)) + s[n:]
}
