package bot

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// ButtonStore keeps the actions of buttons too long to travel with the
// button itself (Discord allows 100 characters of custom id), so that any
// replica, and a restarted one, can answer a click.
type ButtonStore interface {
	// SaveButton keeps action under key until expires; saving a key again
	// replaces its action and expiry. Buttons that expired before now are
	// deleted on the way, so the table never grows without bound.
	SaveButton(ctx context.Context, key, action string, now, expires time.Time) error
	// ButtonAction returns the action kept under key, or an ENotFound error
	// when there is none or it expired before now.
	ButtonAction(ctx context.Context, key string, now time.Time) (string, error)
}

// Typed is the command a person types to do what the button does:
// "/crisis approve 1", or "/crisis reject 1 <reason…>" for a button that asks
// for text first.
func (b Button) Typed() string {
	if b.Input == nil {
		return b.Command
	}
	return b.Command + " <" + b.Input.Name + "…>"
}

// Action encodes what a click on b does, for platforms that carry it with
// the button (a Slack button's value, a Discord custom id): the command
// itself, or for a button with an Input a small JSON object. ParseAction
// reads it back.
func (b Button) Action() string {
	if b.Input == nil {
		return b.Command
	}
	raw, _ := json.Marshal(actionJSON{Command: b.Command, Name: b.Input.Name, Label: b.Input.Label})
	return string(raw)
}

// actionJSON is the encoded action of a button with an Input.
type actionJSON struct {
	Command string `json:"c"`
	Name    string `json:"n"`
	Label   string `json:"l"`
}

// ParseAction reads what Button.Action encoded, as it comes back from a
// platform (outside input): a typed command, or a command with the Input it
// needs. The Label and Style are not part of it.
func ParseAction(s string) (Button, error) {
	if strings.HasPrefix(s, "/") {
		return Button{Command: s}, nil
	}
	if !strings.HasPrefix(s, "{") {
		return Button{}, errors.New("not a button action")
	}
	var a actionJSON
	if err := json.Unmarshal([]byte(s), &a); err != nil {
		return Button{}, errors.New("malformed button action")
	}
	if !strings.HasPrefix(a.Command, "/") || a.Name == "" {
		return Button{}, errors.New("button action without command or input name")
	}
	return Button{Command: a.Command, Input: &Input{Name: a.Name, Label: a.Label}}, nil
}

// WithInput is the command a button with an Input runs once the person has
// typed text: the command followed by the text. Empty text is refused, as
// the typed command would be.
func (b Button) WithInput(text string) (string, error) {
	text = strings.TrimSpace(text)
	if b.Input == nil {
		return b.Command, nil
	}
	if text == "" {
		return "", Errorf(EInvalid, "%s is required", b.Input.Name)
	}
	return b.Command + " " + text, nil
}
