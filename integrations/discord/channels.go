package discord

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
)

// channelCacheTTL is how long the guild's channel list is trusted.
const channelCacheTTL = time.Minute

// channelCache holds the guild's channels so that "#name" and the channel
// count need not be fetched for every message.
type channelCache struct {
	clock   bot.Clock
	mu      sync.Mutex
	list    []*discordgo.Channel
	fetched time.Time
}

// roomKinds remembers which rooms are threads (the near-limit fallback).
type roomKinds struct {
	mu     sync.Mutex
	thread map[string]bool
}

// guildChannels returns the guild's channels, fetching them when the cache
// is older than a minute or fresh is set.
func (a *Adapter) guildChannels(ctx context.Context, fresh bool) ([]*discordgo.Channel, error) {
	c := &a.channels
	c.mu.Lock()
	defer c.mu.Unlock()
	if !fresh && c.list != nil && c.clock.Now().Sub(c.fetched) < channelCacheTTL {
		return slices.Clone(c.list), nil
	}
	list, err := a.session.GuildChannels(a.guildID, ctxOpt(ctx))
	if err != nil {
		return nil, fmt.Errorf("list discord channels: %w", err)
	}
	c.list, c.fetched = list, c.clock.Now()
	return slices.Clone(list), nil
}

// remember records a channel the adapter created or changed.
func (a *Adapter) remember(ch *discordgo.Channel) {
	c := &a.channels
	c.mu.Lock()
	defer c.mu.Unlock()
	if i := slices.IndexFunc(c.list, func(x *discordgo.Channel) bool { return x.ID == ch.ID }); i >= 0 {
		c.list[i] = ch
		return
	}
	c.list = append(c.list, ch)
}

// channelID resolves "#name" to a channel id; anything else is an id.
func (a *Adapter) channelID(ctx context.Context, channel string) (string, error) {
	name, ok := strings.CutPrefix(channel, "#")
	if !ok {
		return channel, nil
	}
	for _, fresh := range []bool{false, true} {
		list, err := a.guildChannels(ctx, fresh)
		if err != nil {
			return "", err
		}
		if ch := findChannel(list, name, discordgo.ChannelTypeGuildText); ch != nil {
			return ch.ID, nil
		}
	}
	return "", bot.Errorf(bot.ENotFound, "there is no Discord channel #%s", name)
}

func findChannel(list []*discordgo.Channel, name string, kind discordgo.ChannelType) *discordgo.Channel {
	for _, ch := range list {
		if ch.Type == kind && strings.EqualFold(ch.Name, name) {
			return ch
		}
	}
	return nil
}

// isThread reports whether a room is a thread rather than a channel.
func (a *Adapter) isThread(ctx context.Context, room string) (bool, error) {
	a.rooms.mu.Lock()
	thread, known := a.rooms.thread[room]
	a.rooms.mu.Unlock()
	if known {
		return thread, nil
	}
	ch, err := a.session.Channel(room, ctxOpt(ctx))
	if err != nil {
		return false, fmt.Errorf("look up discord channel %s: %w", room, err)
	}
	a.setThread(room, ch.IsThread())
	return ch.IsThread(), nil
}

func (a *Adapter) setThread(room string, thread bool) {
	a.rooms.mu.Lock()
	defer a.rooms.mu.Unlock()
	if a.rooms.thread == nil {
		a.rooms.thread = map[string]bool{}
	}
	a.rooms.thread[room] = thread
}

// botUserID returns the bot's own user id, for its permission overwrite.
func (a *Adapter) botUserID(ctx context.Context) (string, error) {
	a.botMu.Lock()
	defer a.botMu.Unlock()
	if a.botID != "" {
		return a.botID, nil
	}
	me, err := a.session.User("@me", ctxOpt(ctx))
	if err != nil {
		return "", fmt.Errorf("look up the discord bot user: %w", err)
	}
	a.botID = me.ID
	return a.botID, nil
}
