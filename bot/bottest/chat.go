// Package bottest is a test kit for commands: a Chat that records what the
// bot did and a responder that records replies, so a test reads like a
// conversation.
package bottest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/interlock-coe/interlock/bot"
)

// Event is one thing the bot did on the platform.
type Event struct {
	Op      string // room, invite, topic, post, dm, pin, update, archive, upload
	Channel string
	People  []string
	Message bot.Message
	Ref     bot.MessageRef
	File    *bot.File // upload
}

// Chat records every outbound operation. Rooms get ids equal to their names.
// It implements bot.Chat, bot.Pinner, bot.Updater, bot.Archiver and
// bot.Uploader.
type Chat struct {
	mu      sync.Mutex
	events  []Event
	members map[string][]string
	seq     int
	fail    map[string][]error
}

// NewChat returns an empty recording chat.
func NewChat() *Chat {
	return &Chat{members: map[string][]string{}, fail: map[string][]error{}}
}

// FailNext makes the next call of op fail with err (queued per op).
func (c *Chat) FailNext(op string, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fail[op] = append(c.fail[op], err)
}

func (c *Chat) record(op string, e Event) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if errs := c.fail[op]; len(errs) > 0 {
		c.fail[op] = errs[1:]
		return errs[0]
	}
	e.Op = op
	c.events = append(c.events, e)
	return nil
}

// CreateRoom records a room whose id is "#name"; a taken name gets a
// numeric suffix.
func (c *Chat) CreateRoom(_ context.Context, spec bot.RoomSpec) (bot.Room, error) {
	c.mu.Lock()
	name := spec.Name
	for i := 2; c.members["#"+name] != nil; i++ {
		name = fmt.Sprintf("%s-%d", spec.Name, i)
	}
	c.mu.Unlock()
	if err := c.record("room", Event{Channel: "#" + name}); err != nil {
		return bot.Room{}, err
	}
	c.mu.Lock()
	c.members["#"+name] = []string{}
	c.mu.Unlock()
	return bot.Room{ID: "#" + name, Name: name}, nil
}

// Invite records invitations.
func (c *Chat) Invite(_ context.Context, room string, people []string) error {
	if err := c.record("invite", Event{Channel: room, People: slices.Clone(people)}); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range people {
		if !slices.Contains(c.members[room], p) {
			c.members[room] = append(c.members[room], p)
		}
	}
	return nil
}

// SetTopic records a topic.
func (c *Chat) SetTopic(_ context.Context, room, topic string) error {
	return c.record("topic", Event{Channel: room, Message: bot.Message{Text: topic}})
}

// Post records a message.
func (c *Chat) Post(_ context.Context, channel string, msg bot.Message) (bot.MessageRef, error) {
	ref := c.nextRef(channel)
	return ref, c.record("post", Event{Channel: channel, Message: msg, Ref: ref})
}

// DirectMessage records a direct message.
func (c *Chat) DirectMessage(_ context.Context, person string, msg bot.Message) (bot.MessageRef, error) {
	ref := c.nextRef("@" + person)
	return ref, c.record("dm", Event{Channel: "@" + person, People: []string{person}, Message: msg, Ref: ref})
}

// Upload records a file posted to channel (op "upload").
func (c *Chat) Upload(_ context.Context, channel string, f bot.File) error {
	return c.record("upload", Event{Channel: channel, File: &f})
}

// Pin records a pin.
func (c *Chat) Pin(_ context.Context, ref bot.MessageRef) error {
	return c.record("pin", Event{Channel: ref.Channel, Ref: ref})
}

// Update records an edit.
func (c *Chat) Update(_ context.Context, ref bot.MessageRef, msg bot.Message) error {
	return c.record("update", Event{Channel: ref.Channel, Message: msg, Ref: ref})
}

// Archive records an archive.
func (c *Chat) Archive(_ context.Context, room string) error {
	return c.record("archive", Event{Channel: room})
}

func (c *Chat) nextRef(channel string) bot.MessageRef {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	return bot.MessageRef{Channel: channel, ID: fmt.Sprintf("m%d", c.seq)}
}

// Events returns the recorded events of the given ops (all when none given).
func (c *Chat) Events(ops ...string) []Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Event
	for _, e := range c.events {
		if len(ops) == 0 || slices.Contains(ops, e.Op) {
			out = append(out, e)
		}
	}
	return out
}

// Members returns the people invited to room, in invitation order.
func (c *Chat) Members(room string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.members[room])
}

// Posts returns the plain text of every message posted to channel.
func (c *Chat) Posts(channel string) []string {
	var out []string
	for _, e := range c.Events("post", "dm", "update") {
		if e.Channel == channel {
			out = append(out, bot.PlainText(e.Message))
		}
	}
	return out
}

// Replies records replies to requests.
type Replies struct {
	mu  sync.Mutex
	all []bot.Reply
}

// Respond records r.
func (r *Replies) Respond(_ context.Context, reply bot.Reply) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.all = append(r.all, reply)
	return nil
}

// All returns the replies so far.
func (r *Replies) All() []bot.Reply {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.all)
}

// Text joins the plain text of every reply.
func (r *Replies) Text() string {
	var parts []string
	for _, rep := range r.All() {
		parts = append(parts, bot.PlainText(rep.Message))
	}
	return strings.Join(parts, "\n")
}
