// Package logchat is the chat used by `interlock serve` when no platform is
// configured (webhooks only): every outbound operation is written to the
// structured log instead of a workspace, so nothing is silently lost.
package logchat

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"

	"github.com/interlock-coe/interlock/bot"
)

// Chat logs outbound operations.
type Chat struct {
	log *slog.Logger
	seq atomic.Int64
}

// New returns a logging chat.
func New(log *slog.Logger) *Chat { return &Chat{log: log.With("chat", "log")} }

// CreateRoom logs the room; its id is its name.
func (c *Chat) CreateRoom(_ context.Context, spec bot.RoomSpec) (bot.Room, error) {
	c.log.Info("create room", "name", spec.Name, "private", spec.Private, "topic", spec.Topic)
	return bot.Room{ID: "#" + spec.Name, Name: spec.Name}, nil
}

// Invite logs invitations.
func (c *Chat) Invite(_ context.Context, room string, people []string) error {
	c.log.Info("invite", "room", room, "people", people)
	return nil
}

// SetTopic logs a topic.
func (c *Chat) SetTopic(_ context.Context, room, topic string) error {
	c.log.Info("set topic", "room", room, "topic", topic)
	return nil
}

// Post logs a message.
func (c *Chat) Post(_ context.Context, channel string, msg bot.Message) (bot.MessageRef, error) {
	ref := bot.MessageRef{Channel: channel, ID: fmt.Sprintf("log-%d", c.seq.Add(1))}
	c.log.Info("post", "channel", channel, "id", ref.ID, "text", bot.PlainText(msg))
	return ref, nil
}

// DirectMessage logs a direct message.
func (c *Chat) DirectMessage(_ context.Context, person string, msg bot.Message) (bot.MessageRef, error) {
	ref := bot.MessageRef{Channel: "@" + person, ID: fmt.Sprintf("log-%d", c.seq.Add(1))}
	c.log.Info("direct message", "person", person, "id", ref.ID, "text", bot.PlainText(msg))
	return ref, nil
}

// Known accepts every handle: without a platform there is no directory to
// check against.
func (c *Chat) Known(string) bool { return true }
