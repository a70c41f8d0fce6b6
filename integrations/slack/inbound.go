package slack

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// inbound is one command delivered by Slack, before the user is mapped to
// a person and the text is normalised.
type inbound struct {
	id          string // stable delivery id: repeated deliveries share it
	user        string // Slack user id
	channel     string // Slack channel id
	text        string // the typed command
	markup      bool   // text carries Slack markup to normalise
	responseURL string // "" for events
	direct      bool   // typed in the bot's own direct-message channel
	clicked     bool   // a button click (or the form it opened): a Replace reply updates its message
	messageTS   string // the clicked message, for chat.update
}

// slashCommand is the payload of a slash command: form fields over HTTP,
// a JSON object in Socket Mode.
type slashCommand struct {
	Command     string `json:"command"`
	Text        string `json:"text"`
	UserID      string `json:"user_id"`
	ChannelID   string `json:"channel_id"`
	ResponseURL string `json:"response_url"`
	TriggerID   string `json:"trigger_id"`
	SSLCheck    string `json:"ssl_check"`
}

// parseCommandForm reads a slash command from an HTTP form body.
func parseCommandForm(body []byte) (slashCommand, error) {
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return slashCommand{}, fmt.Errorf("slash command form: %w", err)
	}
	return slashCommand{
		Command:     v.Get("command"),
		Text:        v.Get("text"),
		UserID:      v.Get("user_id"),
		ChannelID:   v.Get("channel_id"),
		ResponseURL: v.Get("response_url"),
		TriggerID:   v.Get("trigger_id"),
		SSLCheck:    v.Get("ssl_check"),
	}, nil
}

// parseCommandJSON reads a slash command from a Socket Mode payload.
func parseCommandJSON(raw []byte) (slashCommand, error) {
	var c slashCommand
	if err := json.Unmarshal(raw, &c); err != nil {
		return slashCommand{}, fmt.Errorf("slash command payload: %w", err)
	}
	return c, nil
}

// inbound turns the slash command into the command it stands for.
func (c slashCommand) inbound() (inbound, error) {
	if !strings.HasPrefix(c.Command, "/") || c.UserID == "" || c.ChannelID == "" {
		return inbound{}, errors.New("slash command without command, user_id or channel_id")
	}
	in := inbound{
		user:        c.UserID,
		channel:     c.ChannelID,
		text:        strings.TrimSpace(c.Command + " " + c.Text),
		markup:      true,
		responseURL: c.ResponseURL,
	}
	if c.TriggerID != "" {
		in.id = "slack:cmd:" + c.TriggerID
	}
	return in, nil
}

// interaction is the part of an interactivity payload the bot uses.
type interaction struct {
	Type        string `json:"type"`
	TriggerID   string `json:"trigger_id"`
	ResponseURL string `json:"response_url"`
	User        struct {
		ID string `json:"id"`
	} `json:"user"`
	Channel struct {
		ID string `json:"id"`
	} `json:"channel"`
	Container struct {
		ChannelID string `json:"channel_id"`
		MessageTS string `json:"message_ts"`
	} `json:"container"`
	Actions []action `json:"actions"`
	View    view     `json:"view"`
}

// action is one clicked element of a block_actions payload.
type action struct {
	ActionID string `json:"action_id"`
	Type     string `json:"type"`
	Value    string `json:"value"`
	ActionTS string `json:"action_ts"`
}

// parseInteractionForm reads an interactivity payload from an HTTP form
// body, where the JSON is the "payload" field.
func parseInteractionForm(body []byte) (interaction, error) {
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return interaction{}, fmt.Errorf("interaction form: %w", err)
	}
	if !v.Has("payload") {
		return interaction{}, errors.New("interaction form without payload")
	}
	return parseInteraction([]byte(v.Get("payload")))
}

// parseInteraction reads an interactivity payload's JSON.
func parseInteraction(raw []byte) (interaction, error) {
	var i interaction
	if err := json.Unmarshal(raw, &i); err != nil {
		return interaction{}, fmt.Errorf("interaction payload: %w", err)
	}
	return i, nil
}

// inbounds returns the commands of the clicked buttons: each button's value
// is its action (bot.Button.Action), run as the clicker where it was
// clicked; a button that asks for text first gives a form instead (forms),
// and the submitted form (view_submission) gives its command. Other
// interactions carry no command and give none.
func (i interaction) inbounds() []inbound {
	if i.Type == "view_submission" && i.User.ID != "" {
		if in, ok := i.View.inbound(i.User.ID); ok {
			return []inbound{in}
		}
		return nil
	}
	if i.Type != "block_actions" || i.User.ID == "" {
		return nil
	}
	channel := firstNonEmpty(i.Channel.ID, i.Container.ChannelID)
	if channel == "" {
		return nil
	}
	var out []inbound
	for n, act := range i.Actions {
		b, ok := act.button()
		if !ok || b.Input != nil {
			continue // a button that asks for text first opens a form (forms)
		}
		in := inbound{
			user:        i.User.ID,
			channel:     channel,
			text:        b.Command,
			responseURL: i.ResponseURL,
			clicked:     true,
			messageTS:   i.Container.MessageTS,
		}
		if delivery := firstNonEmpty(i.TriggerID, act.ActionTS); delivery != "" {
			in.id = "slack:act:" + delivery
			if n > 0 {
				in.id += ":" + strconv.Itoa(n)
			}
		}
		out = append(out, in)
	}
	return out
}

// eventEnvelope is an Events API request: a URL verification or an event
// callback. Socket Mode's events_api payload is the same object.
type eventEnvelope struct {
	Type           string        `json:"type"`
	Challenge      string        `json:"challenge"`
	EventID        string        `json:"event_id"`
	Event          messageEvent  `json:"event"`
	Authorizations []authorizing `json:"authorizations"`
}

// authorizing names an installation the event is delivered for; its
// user_id is the bot's own user.
type authorizing struct {
	UserID string `json:"user_id"`
}

// messageEvent is the part of app_mention and message events the bot uses.
type messageEvent struct {
	Type        string `json:"type"`
	Subtype     string `json:"subtype"`
	User        string `json:"user"`
	BotID       string `json:"bot_id"`
	Text        string `json:"text"`
	Channel     string `json:"channel"`
	ChannelType string `json:"channel_type"`
}

// parseEvent reads an Events API body or Socket Mode events_api payload.
func parseEvent(raw []byte) (eventEnvelope, error) {
	var e eventEnvelope
	if err := json.Unmarshal(raw, &e); err != nil {
		return eventEnvelope{}, fmt.Errorf("event payload: %w", err)
	}
	return e, nil
}

// inbound returns the command an event stands for: an app_mention
// ("@Interlock crisis status …") or a direct message to the bot. Messages
// from bots, edits and other subtypes are not commands.
func (e eventEnvelope) inbound() (inbound, bool) {
	ev := e.Event
	if e.Type != "event_callback" || ev.User == "" || ev.Channel == "" || ev.BotID != "" || ev.Subtype != "" {
		return inbound{}, false
	}
	for _, auth := range e.Authorizations {
		if auth.UserID == ev.User {
			return inbound{}, false
		}
	}
	var direct bool
	switch {
	case ev.Type == "app_mention":
	case ev.Type == "message" && ev.ChannelType == "im":
		direct = true
	default:
		return inbound{}, false
	}
	in := inbound{
		user:    ev.User,
		channel: ev.Channel,
		text:    commandText(stripBotMention(ev.Text, e.Authorizations)),
		markup:  true,
		direct:  direct,
	}
	if e.EventID != "" {
		in.id = "slack:evt:" + e.EventID
	}
	return in, true
}

// stripBotMention removes the mention that addressed the bot (the bot's
// own mention, or else a leading <@…> when the bot's id is not known) and
// what came before it, as in "hey @Interlock crisis list" or "@sam
// @Interlock crisis list". A mention at the very end leaves the words
// before it.
func stripBotMention(text string, auths []authorizing) string {
	t := strings.TrimSpace(text)
	start := botMentionAt(t, auths)
	if start < 0 && strings.HasPrefix(t, "<@") {
		start = 0
	}
	if start < 0 {
		return t
	}
	end := strings.IndexByte(t[start:], '>')
	if end < 0 {
		return t
	}
	if after := strings.TrimSpace(t[start+end+1:]); after != "" {
		return after
	}
	return strings.TrimSpace(t[:start])
}

// botMentionAt returns where the first mention of one of the bot users
// ("<@U…>" or "<@U…|name>") starts in t, or -1.
func botMentionAt(t string, auths []authorizing) int {
	first := -1
	for _, auth := range auths {
		if auth.UserID == "" {
			continue
		}
		for _, m := range []string{"<@" + auth.UserID + ">", "<@" + auth.UserID + "|"} {
			if i := strings.Index(t, m); i >= 0 && (first < 0 || i < first) {
				first = i
			}
		}
	}
	return first
}

// commandText makes free text a command: "crisis status ok" is
// "/crisis status ok", and nothing at all asks for help.
func commandText(text string) string {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return "/interlock help"
	case strings.HasPrefix(text, "/"):
		return text
	default:
		return "/" + text
	}
}
