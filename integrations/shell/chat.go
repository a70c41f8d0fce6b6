// Package shell is a local chat in a terminal: every command works as it
// would in Slack or Discord, with rooms, invitations, pins and direct
// messages printed as lines. It also drives the clock for drills (:advance).
package shell

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/interlock-coe/interlock/bot"
)

const botName = "interlock"

type room struct {
	Name     string   `json:"name"`
	Private  bool     `json:"private"`
	Topic    string   `json:"topic"`
	Members  []string `json:"members"`
	Pins     []string `json:"pins"`
	Archived bool     `json:"archived"`
}

// Chat is the shell's workspace: rooms, people and an output stream. It
// implements bot.Chat, bot.Pinner, bot.Updater, bot.Archiver and
// bot.Directory.
type Chat struct {
	mu        sync.Mutex
	out       io.Writer
	rooms     map[string]*room
	messages  map[string]string // message id -> first line, for pins
	people    map[string]string // handle -> display name
	guests    map[string]bool
	seq       int
	statePath string
}

// NewChat returns a workspace printing to out. people maps the configured
// handles to names. statePath, if set, keeps rooms across restarts.
func NewChat(out io.Writer, people map[string]string, statePath string) (*Chat, error) {
	c := &Chat{
		out: out, rooms: map[string]*room{}, messages: map[string]string{},
		people: people, guests: map[string]bool{}, statePath: statePath,
	}
	if err := c.load(); err != nil {
		return nil, err
	}
	return c, nil
}

func roomKey(name string) string {
	return strings.ToLower(strings.TrimPrefix(name, "#"))
}

// writef prints to the output; callers hold c.mu, so that lines written
// from several goroutines (the background scheduler, webhooks) never mix.
func (c *Chat) writef(format string, args ...any) {
	fmt.Fprintf(c.out, format, args...)
}

// writeMessage prints a (possibly multi-line) message with a prefix on its
// first line and an indent on the others; callers hold c.mu.
func (c *Chat) writeMessage(prefix, text string) {
	lines := strings.Split(text, "\n")
	c.writef("%s %s\n", prefix, lines[0])
	for _, l := range lines[1:] {
		c.writef("    %s\n", l)
	}
}

// say prints the shell's own lines (prompts, echoed input, meta-command
// answers) under the workspace's lock.
func (c *Chat) say(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writef(format, args...)
}

// sayMessage prints a message under the workspace's lock.
func (c *Chat) sayMessage(prefix, text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writeMessage(prefix, text)
}

// CreateRoom creates a room; a name already taken gets a numeric suffix.
func (c *Chat) CreateRoom(_ context.Context, spec bot.RoomSpec) (bot.Room, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	name := roomKey(spec.Name)
	for i := 2; c.rooms[name] != nil; i++ {
		name = fmt.Sprintf("%s-%d", roomKey(spec.Name), i)
	}
	c.rooms[name] = &room{Name: name, Private: spec.Private, Topic: spec.Topic}
	kind := "room"
	if spec.Private {
		kind = "private room"
	}
	c.writef("+ created %s #%s\n", kind, name)
	if spec.Topic != "" {
		c.writef("#%s topic: %s\n", name, spec.Topic)
	}
	return bot.Room{ID: "#" + name, Name: name}, c.save()
}

// Invite adds people to a room.
func (c *Chat) Invite(_ context.Context, roomID string, people []string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.ensure(roomID)
	var added []string
	for _, p := range people {
		if !slices.Contains(r.Members, p) {
			r.Members = append(r.Members, p)
			added = append(added, "@"+p)
		}
	}
	if len(added) > 0 {
		c.writef("+ invited to #%s: %s\n", r.Name, strings.Join(added, " "))
	}
	return c.save()
}

// SetTopic sets a room's topic.
func (c *Chat) SetTopic(_ context.Context, roomID, topic string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.ensure(roomID)
	r.Topic = topic
	c.writef("#%s topic: %s\n", r.Name, topic)
	return c.save()
}

// Post prints a message in a channel.
func (c *Chat) Post(_ context.Context, channel string, msg bot.Message) (bot.MessageRef, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.ensure(channel)
	ref := c.remember("#"+r.Name, msg)
	c.writeMessage(fmt.Sprintf("#%s %s ›", r.Name, botName), shellText(msg))
	return ref, nil
}

// DirectMessage prints a direct message to a person.
func (c *Chat) DirectMessage(_ context.Context, person string, msg bot.Message) (bot.MessageRef, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ref := c.remember("@"+person, msg)
	c.writeMessage(fmt.Sprintf("✉ DM to @%s ›", person), shellText(msg))
	return ref, nil
}

// Pin pins a posted message. A direct message is pinned in that
// conversation, not in a room.
func (c *Chat) Pin(_ context.Context, ref bot.MessageRef) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if person, ok := directPerson(ref.Channel); ok {
		c.writef("📌 pinned in the DM with @%s: %s\n", person, c.messages[ref.ID])
		return nil
	}
	r := c.ensure(ref.Channel)
	r.Pins = append(r.Pins, ref.ID)
	c.writef("📌 pinned in #%s: %s\n", r.Name, c.messages[ref.ID])
	return c.save()
}

// Update prints an edited message.
func (c *Chat) Update(_ context.Context, ref bot.MessageRef, msg bot.Message) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.messages[ref.ID] = firstLine(msg)
	prefix := fmt.Sprintf("%s %s (updated %s) ›", ref.Channel, botName, ref.ID)
	if person, ok := directPerson(ref.Channel); ok {
		// Still seen by that one person only, so marked as a DM.
		prefix = fmt.Sprintf("✉ DM to @%s (updated %s) ›", person, ref.ID)
	}
	c.writeMessage(prefix, shellText(msg))
	return nil
}

// directPerson reports whether a message's channel is a direct message
// ("@person", as DirectMessage records it) and with whom.
func directPerson(channel string) (string, bool) {
	return strings.CutPrefix(channel, "@")
}

// Archive archives a room.
func (c *Chat) Archive(_ context.Context, roomID string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.ensure(roomID)
	r.Archived = true
	c.writef("+ archived #%s\n", r.Name)
	return c.save()
}

// Known reports whether handle is a person of the workspace: configured, or
// joined by being named in the shell.
func (c *Chat) Known(handle string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := strings.ToLower(handle)
	_, configured := c.people[h]
	return configured || c.guests[h]
}

// join makes handle a person of the workspace, as typing @name does.
func (c *Chat) join(handle string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := strings.ToLower(handle)
	if _, ok := c.people[h]; ok || c.guests[h] || !bot.ValidHandle(h) {
		return
	}
	c.guests[h] = true
	c.writef("+ @%s joined the workspace\n", h)
}

// ensure returns the room for a channel reference, creating a public one
// on first use as a newcomer would expect of #general. Callers hold c.mu.
func (c *Chat) ensure(channel string) *room {
	key := roomKey(channel)
	r, ok := c.rooms[key]
	if !ok {
		r = &room{Name: key}
		c.rooms[key] = r
	}
	return r
}

// resolve finds a room by exact name or unique prefix, for typing comfort.
// A name no room starts with names a new channel; a prefix that several
// rooms start with is an error listing them, never a guess.
func (c *Chat) resolve(channel string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := roomKey(channel)
	if _, ok := c.rooms[key]; ok {
		return "#" + key, nil
	}
	var matches []string
	for name := range c.rooms {
		if strings.HasPrefix(name, key) {
			matches = append(matches, "#"+name)
		}
	}
	switch len(matches) {
	case 0:
		return "#" + key, nil
	case 1:
		return matches[0], nil
	}
	sort.Strings(matches)
	return "", fmt.Errorf("#%s is ambiguous: it starts %s; type more of the name", bot.Excerpt(key), strings.Join(matches, ", "))
}

func (c *Chat) remember(channel string, msg bot.Message) bot.MessageRef {
	c.seq++
	id := fmt.Sprintf("m%d", c.seq)
	c.messages[id] = firstLine(msg)
	return bot.MessageRef{Channel: channel, ID: id}
}

func firstLine(msg bot.Message) string {
	msg.Notify = nil // the first line of the message itself
	line, _, _ := strings.Cut(shellText(msg), "\n")
	return line
}

func (c *Chat) printRooms() {
	c.mu.Lock()
	defer c.mu.Unlock()
	names := make([]string, 0, len(c.rooms))
	for n := range c.rooms {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) == 0 {
		c.writef("no rooms yet\n")
	}
	for _, n := range names {
		r := c.rooms[n]
		flags := ""
		if r.Private {
			flags += " private"
		}
		if r.Archived {
			flags += " archived"
		}
		c.writef("#%s%s — members: %s", n, flags, mentions(r.Members))
		if r.Topic != "" {
			c.writef(" — topic: %s", r.Topic)
		}
		c.writef("\n")
	}
}

func (c *Chat) printPeople() {
	c.mu.Lock()
	defer c.mu.Unlock()
	handles := make([]string, 0, len(c.people)+len(c.guests))
	for h := range c.people {
		handles = append(handles, h)
	}
	for h := range c.guests {
		handles = append(handles, h)
	}
	sort.Strings(handles)
	for _, h := range handles {
		name := c.people[h]
		if name == "" {
			name = "(joined in the shell)"
		}
		c.writef("@%-10s %s\n", h, name)
	}
}

func mentions(people []string) string {
	if len(people) == 0 {
		return "nobody"
	}
	return "@" + strings.Join(people, " @")
}

type state struct {
	Rooms  map[string]*room `json:"rooms"`
	Guests []string         `json:"guests"`
	Seq    int              `json:"seq"`
}

// save writes rooms to statePath; callers hold c.mu.
func (c *Chat) save() error {
	if c.statePath == "" {
		return nil
	}
	st := state{Rooms: c.rooms, Seq: c.seq}
	for g := range c.guests {
		st.Guests = append(st.Guests, g)
	}
	sort.Strings(st.Guests)
	body, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("encode shell state: %w", err)
	}
	tmp := c.statePath + ".tmp"
	if err := os.WriteFile(tmp, body, 0o600); err != nil {
		return fmt.Errorf("write shell state: %w", err)
	}
	return os.Rename(tmp, c.statePath)
}

func (c *Chat) load() error {
	if c.statePath == "" {
		return nil
	}
	body, err := os.ReadFile(c.statePath)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read shell state: %w", err)
	}
	var st state
	if err := json.Unmarshal(body, &st); err != nil {
		return fmt.Errorf("decode shell state %s: %w", c.statePath, err)
	}
	for name, r := range st.Rooms {
		if r != nil { // a hand-edited file may hold "name": null
			c.rooms[name] = r
		}
	}
	for _, g := range st.Guests {
		c.guests[g] = true
	}
	c.seq = st.Seq
	return nil
}
