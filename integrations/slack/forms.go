package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/interlock-coe/interlock/bot"
)

// A button that asks for text (bot.Button.Input) opens a modal with one
// required field: views.open with the click's trigger_id (valid 3 seconds),
// then the view_submission runs the button's command followed by the text,
// as the person, where the button was clicked.
const (
	formCallbackID = "interlock-input"
	formBlockID    = "input"
	formActionID   = "text"
	maxFormTitle   = 24   // characters in a modal's title
	maxMetadata    = 3000 // characters of private_metadata
	maxFormText    = 3000
)

// view is the part of a view_submission's view the bot uses.
type view struct {
	ID              string `json:"id"`
	CallbackID      string `json:"callback_id"`
	PrivateMetadata string `json:"private_metadata"`
	State           struct {
		Values map[string]map[string]struct {
			Value string `json:"value"`
		} `json:"values"`
	} `json:"state"`
}

// formContext is what a modal carries in its private_metadata from the
// click to the submission: the button's action, and where it was clicked.
type formContext struct {
	Action      string `json:"a"`
	Channel     string `json:"c"`
	ResponseURL string `json:"u,omitempty"`
	MessageTS   string `json:"t,omitempty"`
}

// form is a modal to open for a click on a button that asks for text.
type form struct {
	trigger string
	input   bot.Input
	context formContext
}

// button reads a clicked button's action.
func (act action) button() (bot.Button, bool) {
	if act.Type != "button" {
		return bot.Button{}, false
	}
	b, err := bot.ParseAction(act.Value)
	return b, err == nil
}

// forms returns the modals a block_actions payload asks for: one per
// clicked button that needs text first.
func (i interaction) forms() []form {
	channel := firstNonEmpty(i.Channel.ID, i.Container.ChannelID)
	if i.Type != "block_actions" || i.User.ID == "" || i.TriggerID == "" || channel == "" {
		return nil
	}
	var out []form
	for _, act := range i.Actions {
		if b, ok := act.button(); ok && b.Input != nil {
			out = append(out, form{trigger: i.TriggerID, input: *b.Input, context: formContext{
				Action: act.Value, Channel: channel, ResponseURL: i.ResponseURL, MessageTS: i.Container.MessageTS,
			}})
		}
	}
	return out
}

// inbound is the command a submitted form runs, as user.
func (v view) inbound(user string) (inbound, bool) {
	if v.CallbackID != formCallbackID {
		return inbound{}, false
	}
	var fc formContext
	if json.Unmarshal([]byte(v.PrivateMetadata), &fc) != nil || fc.Channel == "" {
		return inbound{}, false
	}
	b, err := bot.ParseAction(fc.Action)
	if err != nil || b.Input == nil {
		return inbound{}, false
	}
	text, err := b.WithInput(v.State.Values[formBlockID][formActionID].Value)
	if err != nil {
		// Slack itself refuses an empty required field; run the command
		// as typed so the person gets its usage line.
		text = b.Command
	}
	in := inbound{
		user: user, channel: fc.Channel, text: text,
		responseURL: fc.ResponseURL, clicked: true, messageTS: fc.MessageTS,
	}
	if v.ID != "" {
		in.id = "slack:view:" + v.ID
	}
	return in, true
}

// openForms opens each form in the background; views.open must come within
// 3 seconds of the click.
func (a *Adapter) openForms(forms []form) {
	for _, f := range forms {
		a.start(func(ctx context.Context) {
			if err := a.openForm(ctx, f); err != nil {
				a.log.Warn("cannot open a Slack form", "err", err)
			}
		})
	}
}

func (a *Adapter) openForm(ctx context.Context, f form) error {
	meta, err := json.Marshal(f.context)
	if err != nil || utf8.RuneCount(meta) > maxMetadata {
		return fmt.Errorf("form context of %d bytes is too long for private_metadata", len(meta))
	}
	field := slack.NewPlainTextInputBlockElement(nil, formActionID)
	field.Multiline = true
	field.MaxLength = maxFormText
	req := slack.ModalViewRequest{
		Type:            slack.VTModal,
		Title:           plainText(truncate(firstNonEmpty(f.input.Label, capitalize(f.input.Name)), maxFormTitle)),
		Submit:          plainText("Submit"),
		Close:           plainText("Cancel"),
		CallbackID:      formCallbackID,
		PrivateMetadata: string(meta),
		Blocks:          slack.Blocks{BlockSet: []slack.Block{slack.NewInputBlock(formBlockID, plainText(capitalize(f.input.Name)), nil, field)}},
	}
	return a.call(ctx, "views.open", "", func(ctx context.Context) error {
		_, err := a.api.OpenViewContext(ctx, f.trigger, req)
		return err
	})
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// replace puts a page in place of the clicked message: through the
// response_url (replace_original) while it has uses left, else with
// chat.update. Without a clicked message there is nothing to replace.
func (r *responder) replace(ctx context.Context, m bot.Message) error {
	if !r.in.clicked {
		return nil
	}
	pages, err := r.a.render(ctx, m)
	if err != nil {
		return err
	}
	p := pages[0]
	if r.takeHookUse() {
		msg := &slack.WebhookMessage{Text: p.fallback, Blocks: &slack.Blocks{BlockSet: p.blocks}, ReplaceOriginal: true}
		err := r.a.call(ctx, "response_url", "", func(ctx context.Context) error {
			return redact(slack.PostWebhookCustomHTTPContext(ctx, r.in.responseURL, r.a.http, msg), r.in.responseURL, "(response_url)")
		})
		if err == nil || r.in.messageTS == "" {
			return err
		}
		r.a.log.Warn("response_url failed; replacing with chat.update", "request", r.in.id, "err", err)
	}
	if r.in.messageTS == "" {
		return nil
	}
	return r.a.call(ctx, "chat.update", "", func(ctx context.Context) error {
		_, _, _, err := r.a.api.UpdateMessageContext(ctx, r.in.channel, r.in.messageTS, pageOptions(p)...)
		return err
	})
}
