package discord

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
)

// Where rooms go, and the limits that decide it.
const (
	roomsCategory        = "Crisis rooms"
	archiveCategory      = "Crisis archive"
	threadParentName     = "crisis-rooms"
	channelSoftLimit     = 490 // a guild holds at most 500 channels
	maxCategoryChildren  = 50
	maxChannelName       = 100
	maxTopic             = 1024
	threadArchiveMinutes = 10080 // a week without messages
)

// Permissions granted in private rooms. The bot's overwrite grants only
// what it surely holds (granting a permission it lacks fails the whole
// request); pinning and managing come from its role, which the @everyone
// overwrite does not touch.
const (
	memberAllow = discordgo.PermissionViewChannel | discordgo.PermissionSendMessages | discordgo.PermissionReadMessageHistory
	botAllow    = memberAllow | discordgo.PermissionEmbedLinks
	lockDeny    = discordgo.PermissionSendMessages | discordgo.PermissionSendMessagesInThreads
)

// CreateRoom creates a text channel under the "Crisis rooms" category. A
// private room is hidden from @everyone and visible to the bot; Invite adds
// people. Near the guild's 500-channel limit the room is a private thread
// in #crisis-rooms instead, and says so.
func (a *Adapter) CreateRoom(ctx context.Context, spec bot.RoomSpec) (bot.Room, error) {
	a.roomsMu.Lock()
	defer a.roomsMu.Unlock()
	name := channelName(spec.Name)
	list, err := a.guildChannels(ctx, true)
	if err != nil {
		return bot.Room{}, err
	}
	if len(list) >= channelSoftLimit {
		return a.createThreadRoom(ctx, list, spec, name, fmt.Sprintf("the server has %d channels", len(list)))
	}
	parent, err := a.category(ctx, list, roomsCategory)
	if isDiscordCode(err, discordgo.ErrCodeMaximumNumberOfGuildChannelsReached) {
		return a.createThreadRoom(ctx, list, spec, name, "the server reached its channel limit")
	}
	if err != nil {
		return bot.Room{}, err
	}
	overwrites, err := a.roomOverwrites(ctx, spec.Private)
	if err != nil {
		return bot.Room{}, err
	}
	return a.createChannelRoom(ctx, list, spec, name, parent, overwrites)
}

func (a *Adapter) createChannelRoom(ctx context.Context, list []*discordgo.Channel, spec bot.RoomSpec, name, parent string, overwrites []*discordgo.PermissionOverwrite) (bot.Room, error) {
	ch, err := a.session.GuildChannelCreateComplex(a.guildID, discordgo.GuildChannelCreateData{
		Name: name, Type: discordgo.ChannelTypeGuildText, Topic: clip(spec.Topic, maxTopic),
		ParentID: parent, PermissionOverwrites: overwrites,
	}, ctxOpt(ctx))
	if isDiscordCode(err, discordgo.ErrCodeMaximumNumberOfGuildChannelsReached) {
		return a.createThreadRoom(ctx, list, spec, name, "the server reached its channel limit")
	}
	if err != nil {
		return bot.Room{}, fmt.Errorf("create discord channel %s: %w", name, err)
	}
	a.remember(ch)
	a.setThread(ch.ID, false)
	return bot.Room{ID: ch.ID, Name: ch.Name}, nil
}

// roomOverwrites hide a private room from @everyone and show it to the bot.
func (a *Adapter) roomOverwrites(ctx context.Context, private bool) ([]*discordgo.PermissionOverwrite, error) {
	if !private {
		return nil, nil
	}
	botID, err := a.botUserID(ctx)
	if err != nil {
		return nil, err
	}
	return []*discordgo.PermissionOverwrite{
		{ID: a.guildID, Type: discordgo.PermissionOverwriteTypeRole, Deny: discordgo.PermissionViewChannel},
		{ID: botID, Type: discordgo.PermissionOverwriteTypeMember, Allow: botAllow},
	}, nil
}

// createThreadRoom makes a private thread in #crisis-rooms, for when the
// guild has no channel to spare, and posts a warning in it.
func (a *Adapter) createThreadRoom(ctx context.Context, list []*discordgo.Channel, spec bot.RoomSpec, name, reason string) (bot.Room, error) {
	parent, err := a.threadParent(ctx, list)
	if err != nil {
		return bot.Room{}, err
	}
	th, err := a.session.ThreadStartComplex(parent, &discordgo.ThreadStart{
		Name: name, Type: discordgo.ChannelTypeGuildPrivateThread, AutoArchiveDuration: threadArchiveMinutes,
	}, ctxOpt(ctx))
	if err != nil {
		return bot.Room{}, fmt.Errorf("create discord thread %s: %w", name, err)
	}
	a.setThread(th.ID, true)
	a.log.Warn("discord server near its 500-channel limit: crisis room made a private thread", "room", name, "thread", th.ID, "reason", reason)
	warning := "⚠ This server is near Discord's 500-channel limit (" + reason + "), so this crisis room is a private thread in #" +
		threadParentName + ". Delete old channels to free room."
	if spec.Topic != "" {
		warning += "\nTopic: " + spec.Topic
	}
	if _, err := a.Post(ctx, th.ID, bot.Message{Text: warning}); err != nil {
		a.log.Warn("cannot post the channel-limit warning", "thread", th.ID, "err", err)
	}
	return bot.Room{ID: th.ID, Name: th.Name}, nil
}

// threadParent returns #crisis-rooms, creating it if needed (which needs a
// free channel: create it ahead of time on a full server).
func (a *Adapter) threadParent(ctx context.Context, list []*discordgo.Channel) (string, error) {
	if ch := findChannel(list, threadParentName, discordgo.ChannelTypeGuildText); ch != nil {
		return ch.ID, nil
	}
	data := discordgo.GuildChannelCreateData{
		Name: threadParentName, Type: discordgo.ChannelTypeGuildText,
		Topic: "Private crisis threads, used while the server is near Discord's 500-channel limit",
	}
	if cat := findChannel(list, roomsCategory, discordgo.ChannelTypeGuildCategory); cat != nil {
		data.ParentID = cat.ID
	}
	ch, err := a.session.GuildChannelCreateComplex(a.guildID, data, ctxOpt(ctx))
	if err != nil {
		return "", fmt.Errorf("create #%s for crisis threads: %w", threadParentName, err)
	}
	a.remember(ch)
	return ch.ID, nil
}

// category returns the id of the first category named base (or "base 2",
// "base 3" …) with room for another channel, creating one if needed.
func (a *Adapter) category(ctx context.Context, list []*discordgo.Channel, base string) (string, error) {
	children := map[string]int{}
	for _, ch := range list {
		children[ch.ParentID]++
	}
	for n := 1; ; n++ {
		name := base
		if n > 1 {
			name = fmt.Sprintf("%s %d", base, n)
		}
		cat := findChannel(list, name, discordgo.ChannelTypeGuildCategory)
		if cat == nil {
			created, err := a.session.GuildChannelCreateComplex(a.guildID, discordgo.GuildChannelCreateData{
				Name: name, Type: discordgo.ChannelTypeGuildCategory,
			}, ctxOpt(ctx))
			if err != nil {
				return "", fmt.Errorf("create discord category %q: %w", name, err)
			}
			a.remember(created)
			return created.ID, nil
		}
		if children[cat.ID] < maxCategoryChildren {
			return cat.ID, nil
		}
	}
}

// Invite lets people into a room: a member permission overwrite on a
// channel, membership of a thread. People without a Discord id are
// reported in a *bot.UnknownPeopleError; everyone else is invited.
func (a *Adapter) Invite(ctx context.Context, room string, people []string) error {
	thread, err := a.isThread(ctx, room)
	if err != nil {
		return err
	}
	var unknown []string
	var errs []error
	for _, person := range people {
		uid := a.discordID(person)
		if uid == "" {
			unknown = append(unknown, person)
			continue
		}
		if thread {
			err = a.session.ThreadMemberAdd(room, uid, ctxOpt(ctx))
		} else {
			err = a.session.ChannelPermissionSet(room, uid, discordgo.PermissionOverwriteTypeMember, memberAllow, 0, ctxOpt(ctx))
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("invite @%s to discord room %s: %w", person, room, err))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if len(unknown) > 0 {
		return &bot.UnknownPeopleError{People: unknown}
	}
	return nil
}

// SetTopic sets a channel's topic; a thread has none, so there the topic
// is posted.
func (a *Adapter) SetTopic(ctx context.Context, room, topic string) error {
	thread, err := a.isThread(ctx, room)
	if err != nil {
		return err
	}
	if thread {
		_, err := a.Post(ctx, room, bot.Message{Text: "Topic: " + topic})
		return err
	}
	ch, err := a.session.ChannelEdit(room, &discordgo.ChannelEdit{Topic: clip(topic, maxTopic)}, ctxOpt(ctx))
	if err != nil {
		return fmt.Errorf("set topic of discord channel %s: %w", room, err)
	}
	a.remember(ch)
	return nil
}

// Archive locks a room (nobody but the bot may send) and moves it to the
// "Crisis archive" category; a thread is locked and archived.
func (a *Adapter) Archive(ctx context.Context, room string) error {
	thread, err := a.isThread(ctx, room)
	if err != nil {
		return err
	}
	if thread {
		yes := true
		if _, err := a.session.ChannelEdit(room, &discordgo.ChannelEdit{Archived: &yes, Locked: &yes}, ctxOpt(ctx)); err != nil {
			return fmt.Errorf("archive discord thread %s: %w", room, err)
		}
		return nil
	}
	a.roomsMu.Lock()
	defer a.roomsMu.Unlock()
	ch, err := a.session.Channel(room, ctxOpt(ctx))
	if err != nil {
		return fmt.Errorf("look up discord channel %s: %w", room, err)
	}
	list, err := a.guildChannels(ctx, true)
	if err != nil {
		return err
	}
	parent, err := a.category(ctx, list, archiveCategory)
	if err != nil {
		return err
	}
	botID, err := a.botUserID(ctx)
	if err != nil {
		return err
	}
	edited, err := a.session.ChannelEdit(room, &discordgo.ChannelEdit{
		ParentID: parent, PermissionOverwrites: a.lockedOverwrites(ch.PermissionOverwrites, botID),
	}, ctxOpt(ctx))
	if err != nil {
		return fmt.Errorf("archive discord channel %s: %w", room, err)
	}
	a.remember(edited)
	return nil
}

// lockedOverwrites denies sending to everyone but the bot, keeping who may
// read.
func (a *Adapter) lockedOverwrites(current []*discordgo.PermissionOverwrite, botID string) []*discordgo.PermissionOverwrite {
	out := []*discordgo.PermissionOverwrite{}
	everyone := false
	for _, o := range current {
		c := *o
		if c.ID != botID {
			c.Allow &^= lockDeny
			c.Deny |= lockDeny
		}
		everyone = everyone || c.ID == a.guildID
		out = append(out, &c)
	}
	if !everyone {
		out = append(out, &discordgo.PermissionOverwrite{ID: a.guildID, Type: discordgo.PermissionOverwriteTypeRole, Deny: lockDeny})
	}
	return out
}

// channelName makes a Discord channel name: lowercase letters, digits, "-"
// and "_", at most 100 characters.
func channelName(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	name := strings.TrimRight(b.String(), "-")
	if name == "" {
		name = "room"
	}
	return strings.TrimRight(string([]rune(name)[:min(len([]rune(name)), maxChannelName)]), "-")
}

// isDiscordCode reports whether err is a Discord API error with that code.
func isDiscordCode(err error, code int) bool {
	var rest *discordgo.RESTError
	return errors.As(err, &rest) && rest.Message != nil && rest.Message.Code == code
}
