package slack

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/interlock-coe/interlock/bot"
)

// maxChannelName is Slack's limit on channel names.
const maxChannelName = 80

// relistAfter keeps a run of unknown "#names" from listing every channel
// each time (conversations.list is rate-limited at Tier 2).
const relistAfter = 30 * time.Second

// channels resolves "#name" to channel ids through conversations.list and
// remembers direct-message channels, caching both.
type channels struct {
	a        *Adapter
	mu       sync.Mutex
	ids      map[string]string // name → id
	names    map[string]string // id → name
	dms      map[string]string // Slack user id → DM channel id
	listedAt time.Time
}

func newChannels(a *Adapter) *channels {
	return &channels{a: a, ids: map[string]string{}, names: map[string]string{}, dms: map[string]string{}}
}

// learn remembers a channel's name.
func (c *channels) learn(id, name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ids[name] = id
	c.names[id] = name
}

// name returns a known channel's name, or "".
func (c *channels) name(id string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.names[id]
}

// resolve returns the id of a channel given as an id or as "#name".
func (c *channels) resolve(ctx context.Context, channel string) (string, error) {
	name, ok := strings.CutPrefix(channel, "#")
	if !ok {
		return channel, nil
	}
	name = strings.ToLower(name)
	c.mu.Lock()
	id, known := c.ids[name]
	stale := c.a.clock.Now().Sub(c.listedAt) >= relistAfter
	c.mu.Unlock()
	if known {
		return id, nil
	}
	if stale {
		if err := c.list(ctx); err != nil {
			return "", err
		}
		c.mu.Lock()
		id, known = c.ids[name]
		c.mu.Unlock()
		if known {
			return id, nil
		}
	}
	return "", bot.Errorf(bot.ENotFound, "there is no Slack channel #%s that Interlock can see (invite the app to it)", name)
}

// list loads every public and private channel the bot can see.
func (c *channels) list(ctx context.Context) error {
	params := &slack.GetConversationsParameters{
		Types: []string{"public_channel", "private_channel"}, Limit: 200, ExcludeArchived: true,
	}
	for {
		var page []slack.Channel
		var cursor string
		err := c.a.call(ctx, "conversations.list", "", func(ctx context.Context) (err error) {
			page, cursor, err = c.a.api.GetConversationsContext(ctx, params)
			return err
		})
		if err != nil {
			return err
		}
		for _, ch := range page {
			c.learn(ch.ID, ch.Name)
		}
		if cursor == "" {
			break
		}
		params.Cursor = cursor
	}
	c.mu.Lock()
	c.listedAt = c.a.clock.Now()
	c.mu.Unlock()
	return nil
}

// direct returns the direct-message channel with a Slack user.
func (c *channels) direct(ctx context.Context, user string) (string, error) {
	c.mu.Lock()
	id, ok := c.dms[user]
	c.mu.Unlock()
	if ok {
		return id, nil
	}
	var ch *slack.Channel
	err := c.a.call(ctx, "conversations.open", "", func(ctx context.Context) (err error) {
		ch, _, _, err = c.a.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}})
		return err
	})
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	c.dms[user] = ch.ID
	c.mu.Unlock()
	return ch.ID, nil
}

// roomName makes a name valid for Slack: lowercase letters, digits, "-"
// and "_", at most 80 characters; anything else becomes "-".
func roomName(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= maxChannelName {
			break
		}
	}
	out := strings.TrimRight(b.String(), "-")
	if len(out) > maxChannelName {
		out = strings.TrimRight(out[:maxChannelName], "-")
	}
	if out == "" {
		return "interlock"
	}
	return out
}

// withSuffix returns base with "-n", shortened so the whole fits Slack's limit.
func withSuffix(base string, n int) string {
	suffix := "-" + strconv.Itoa(n)
	if len(base)+len(suffix) > maxChannelName {
		base = strings.TrimRight(base[:maxChannelName-len(suffix)], "-")
	}
	return base + suffix
}
