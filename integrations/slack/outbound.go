package slack

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/slack-go/slack"
	"golang.org/x/sync/errgroup"

	"github.com/interlock-coe/interlock/bot"
)

// inviteBatch is how many users one conversations.invite call takes.
const inviteBatch = 100

// maxTopic is Slack's limit on a channel topic.
const maxTopic = 250

// maxNameAttempts bounds the suffixes tried when a room name is taken.
const maxNameAttempts = 50

// CreateRoom creates a channel (private when spec.Private) with a name made
// valid for Slack; a taken name gets "-2", "-3", … The topic is set when
// given.
func (a *Adapter) CreateRoom(ctx context.Context, spec bot.RoomSpec) (bot.Room, error) {
	base := roomName(spec.Name)
	name := base
	var ch *slack.Channel
	for n := 2; ; n++ {
		err := a.call(ctx, "conversations.create", "", func(ctx context.Context) (err error) {
			ch, err = a.api.CreateConversationContext(ctx, slack.CreateConversationParams{ChannelName: name, IsPrivate: spec.Private})
			return err
		})
		if err == nil {
			break
		}
		if slackError(err) != "name_taken" || n > maxNameAttempts {
			return bot.Room{}, fmt.Errorf("create room %s: %w", name, err)
		}
		name = withSuffix(base, n)
	}
	room := bot.Room{ID: ch.ID, Name: firstNonEmpty(ch.Name, name)}
	a.channels.learn(room.ID, room.Name)
	if spec.Topic != "" {
		if err := a.SetTopic(ctx, room.ID, spec.Topic); err != nil {
			return room, err
		}
	}
	return room, nil
}

// Invite adds people to a room in one conversations.invite call per 100
// people. People without a Slack account are skipped and reported with a
// *bot.UnknownPeopleError after everyone else was invited.
func (a *Adapter) Invite(ctx context.Context, room string, people []string) error {
	channel, err := a.channels.resolve(ctx, room)
	if err != nil {
		return err
	}
	ids, unknown, err := a.userIDs(ctx, people)
	if err != nil {
		return fmt.Errorf("invite to %s: %w", room, err)
	}
	for batch := range slices.Chunk(ids, inviteBatch) {
		err := a.call(ctx, "conversations.invite", "", func(ctx context.Context) error {
			_, err := a.api.ForceInviteUsersToConversationContext(ctx, channel, batch...)
			return err
		})
		if code := slackError(err); err != nil && code != "already_in_channel" && code != "cant_invite_self" {
			return fmt.Errorf("invite to %s: %w", room, err)
		}
	}
	if len(unknown) > 0 {
		return &bot.UnknownPeopleError{People: unknown}
	}
	return nil
}

// userIDs maps handles to distinct Slack user ids, listing the handles
// that have none.
func (a *Adapter) userIDs(ctx context.Context, handles []string) (ids, unknown []string, err error) {
	// Look everyone up at once: on a cold cache each lookup is a Slack
	// round trip, and a crisis room invites everybody in one go.
	found := make([]string, len(handles))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i, h := range handles {
		g.Go(func() (err error) {
			found[i], err = a.people.slackID(gctx, h)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	for i, id := range found {
		switch {
		case id == "":
			unknown = append(unknown, handles[i])
		case !slices.Contains(ids, id):
			ids = append(ids, id)
		}
	}
	return ids, unknown, nil
}

// SetTopic sets a room's topic (cut to Slack's 250 characters).
func (a *Adapter) SetTopic(ctx context.Context, room, topic string) error {
	channel, err := a.channels.resolve(ctx, room)
	if err != nil {
		return err
	}
	return a.call(ctx, "conversations.setTopic", "", func(ctx context.Context) error {
		_, err := a.api.SetTopicOfConversationContext(ctx, channel, truncate(topic, maxTopic))
		return err
	})
}

// Post posts a message to a room id or "#name". A message longer than one
// Slack message allows is posted as several; the reference is the first.
func (a *Adapter) Post(ctx context.Context, channel string, msg bot.Message) (bot.MessageRef, error) {
	id, err := a.channels.resolve(ctx, channel)
	if err != nil {
		return bot.MessageRef{}, err
	}
	pages, err := a.render(ctx, msg)
	if err != nil {
		return bot.MessageRef{}, err
	}
	var first bot.MessageRef
	// The pages go out together, in their turn among the channel's posts.
	err = a.queue.inOrder(ctx, id, func() error {
		for i, p := range pages {
			ts, err := a.postPage(ctx, id, p)
			if err != nil {
				return fmt.Errorf("post to %s (part %d of %d): %w", channel, i+1, len(pages), err)
			}
			if i == 0 {
				first = bot.MessageRef{Channel: id, ID: ts}
			}
		}
		return nil
	})
	return first, err
}

// postPage posts one page. When Slack finds it too big anyway
// (msg_blocks_too_long, or invalid_blocks for too many), its rules being
// more than we can measure, the page is halved and posted in two parts, in
// order, each split again as needed; the timestamp is the first part's.
func (a *Adapter) postPage(ctx context.Context, channel string, p page) (string, error) {
	var ts string
	err := a.call(ctx, "chat.postMessage", channel, func(ctx context.Context) (err error) {
		_, ts, err = a.api.PostMessageContext(ctx, channel, pageOptions(p)...)
		return err
	})
	if code := slackError(err); (code == "msg_blocks_too_long" || code == "invalid_blocks") && len(p.pieces) > 1 {
		a.log.Warn("Slack refused a message as too big; posting it in two parts", "channel", channel, "blocks", len(p.blocks), "err", err)
		first, second := p.halves()
		if ts, err = a.postPage(ctx, channel, first); err != nil {
			return ts, err
		}
		_, err = a.postPage(ctx, channel, second)
	}
	return ts, err
}

func pageOptions(p page) []slack.MsgOption {
	return []slack.MsgOption{slack.MsgOptionText(p.fallback, false), slack.MsgOptionBlocks(p.blocks...)}
}

// render resolves the people a message mentions and renders it.
func (a *Adapter) render(ctx context.Context, msg bot.Message) ([]page, error) {
	ids := map[string]string{}
	for _, h := range mentionTargets(msg) {
		if _, done := ids[h]; done || !a.people.knows(h) {
			continue
		}
		// A mention that cannot be linked still reads as "@handle".
		if id, err := a.people.slackID(ctx, h); err == nil {
			ids[h] = id
		}
	}
	pages := render(msg, ids)
	if len(pages) == 0 {
		return nil, errors.New("slack: empty message")
	}
	return pages, nil
}

func fieldValues(fields []bot.Field) string {
	values := make([]string, len(fields))
	for i, f := range fields {
		values[i] = f.Value
	}
	return strings.Join(values, "\n")
}

// DirectMessage posts a message to a person's direct-message channel.
func (a *Adapter) DirectMessage(ctx context.Context, person string, msg bot.Message) (bot.MessageRef, error) {
	user, err := a.people.slackID(ctx, person)
	if err != nil {
		return bot.MessageRef{}, fmt.Errorf("direct message to %s: %w", person, err)
	}
	if user == "" {
		return bot.MessageRef{}, &bot.UnknownPeopleError{People: []string{person}}
	}
	channel, err := a.channels.direct(ctx, user)
	if err != nil {
		return bot.MessageRef{}, fmt.Errorf("direct message to %s: %w", person, err)
	}
	return a.Post(ctx, channel, msg)
}

// Pin pins a posted message.
func (a *Adapter) Pin(ctx context.Context, ref bot.MessageRef) error {
	err := a.call(ctx, "pins.add", "", func(ctx context.Context) error {
		return a.api.AddPinContext(ctx, ref.Channel, slack.ItemRef{Channel: ref.Channel, Timestamp: ref.ID})
	})
	if slackError(err) == "already_pinned" {
		return nil
	}
	return err
}

// Update replaces a posted message. Content beyond one Slack message is cut,
// ending with a note that it was.
func (a *Adapter) Update(ctx context.Context, ref bot.MessageRef, msg bot.Message) error {
	pages, err := a.render(ctx, msg)
	if err != nil {
		return err
	}
	p := pages[0]
	if len(pages) > 1 {
		p.blocks = append(p.blocks[:maxBlocks-1], slack.NewContextBlock("", mrkdwn("_(shortened to fit one message)_")))
	}
	return a.call(ctx, "chat.update", "", func(ctx context.Context) error {
		_, _, _, err := a.api.UpdateMessageContext(ctx, ref.Channel, ref.ID, pageOptions(p)...)
		return err
	})
}

// Archive archives a room.
func (a *Adapter) Archive(ctx context.Context, room string) error {
	channel, err := a.channels.resolve(ctx, room)
	if err != nil {
		return err
	}
	err = a.call(ctx, "conversations.archive", "", func(ctx context.Context) error {
		return a.api.ArchiveConversationContext(ctx, channel)
	})
	if slackError(err) == "already_archived" {
		return nil
	}
	return err
}
