package bot

import (
	"context"
	"time"
)

// Room is a chat room (Slack channel, Discord channel or thread, shell room).
type Room struct {
	ID   string
	Name string
}

// RoomSpec describes a room to create.
type RoomSpec struct {
	Name    string
	Topic   string
	Private bool
}

// MessageRef locates a posted message.
type MessageRef struct {
	Channel string
	ID      string
}

// Chat is what the features need from a chat platform. Channels are room ids
// or "#name" for configured channels; people are person handles. Optional
// abilities are separate interfaces below, so a platform without them still
// works.
type Chat interface {
	CreateRoom(ctx context.Context, spec RoomSpec) (Room, error)
	Invite(ctx context.Context, room string, people []string) error
	SetTopic(ctx context.Context, room, topic string) error
	Post(ctx context.Context, channel string, msg Message) (MessageRef, error)
	DirectMessage(ctx context.Context, person string, msg Message) (MessageRef, error)
}

// Pinner pins messages.
type Pinner interface {
	Pin(ctx context.Context, ref MessageRef) error
}

// Updater edits a posted message in place (alert updates).
type Updater interface {
	Update(ctx context.Context, ref MessageRef, msg Message) error
}

// Archiver archives rooms that are no longer needed.
type Archiver interface {
	Archive(ctx context.Context, room string) error
}

// Responder delivers replies to the request being handled.
type Responder interface {
	Respond(ctx context.Context, r Reply) error
}

// ResponderFunc adapts a function to Responder.
type ResponderFunc func(ctx context.Context, r Reply) error

// Respond calls f.
func (f ResponderFunc) Respond(ctx context.Context, r Reply) error { return f(ctx, r) }

// Clock tells the time; it is injected so that tests and the shell's
// :advance can move it.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// UnknownPeopleError is returned by Chat.Invite when some people have no
// account the platform can find; everyone else was invited.
type UnknownPeopleError struct {
	People []string
}

func (e *UnknownPeopleError) Error() string {
	return "no platform account for " + joinMentions(e.People)
}

func joinMentions(people []string) string {
	out := ""
	for i, p := range people {
		if i > 0 {
			out += ", "
		}
		out += Mention(p)
	}
	return out
}

// Directory knows the people of the workspace by handle.
type Directory interface {
	// Known reports whether handle is a person of the workspace.
	Known(handle string) bool
}
