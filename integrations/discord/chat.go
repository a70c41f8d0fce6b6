package discord

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
)

// The Adapter is a full bot.Chat.
var (
	_ bot.Chat     = (*Adapter)(nil)
	_ bot.Pinner   = (*Adapter)(nil)
	_ bot.Updater  = (*Adapter)(nil)
	_ bot.Archiver = (*Adapter)(nil)
)

// Post sends a message to a channel id or "#name". A message too long for
// one Discord message is split; the reference is to the first part, which
// holds the title.
func (a *Adapter) Post(ctx context.Context, channel string, msg bot.Message) (bot.MessageRef, error) {
	id, err := a.channelID(ctx, channel)
	if err != nil {
		return bot.MessageRef{}, err
	}
	parts, err := a.render(ctx, msg)
	if err != nil {
		return bot.MessageRef{}, err
	}
	return a.postParts(ctx, id, parts)
}

// DirectMessage sends a message to a person in their direct messages.
func (a *Adapter) DirectMessage(ctx context.Context, person string, msg bot.Message) (bot.MessageRef, error) {
	uid := a.discordID(person)
	if uid == "" {
		return bot.MessageRef{}, &bot.UnknownPeopleError{People: []string{person}}
	}
	ch, err := a.dmChannel(ctx, uid)
	if err != nil {
		return bot.MessageRef{}, err
	}
	parts, err := a.render(ctx, msg)
	if err != nil {
		return bot.MessageRef{}, err
	}
	return a.postParts(ctx, ch, parts)
}

// Pin pins a posted message.
func (a *Adapter) Pin(ctx context.Context, ref bot.MessageRef) error {
	ch, err := a.channelID(ctx, ref.Channel)
	if err != nil {
		return err
	}
	if err := a.session.ChannelMessagePin(ch, ref.ID, ctxOpt(ctx)); err != nil {
		return fmt.Errorf("pin discord message %s: %w", ref.ID, err)
	}
	return nil
}

// Update edits a posted message in place. Parts beyond the first (a
// message grown past Discord's limits) are posted after it.
func (a *Adapter) Update(ctx context.Context, ref bot.MessageRef, msg bot.Message) error {
	ch, err := a.channelID(ctx, ref.Channel)
	if err != nil {
		return err
	}
	parts, err := a.render(ctx, msg)
	if err != nil {
		return err
	}
	p := parts[0].cleared()
	edit := &discordgo.MessageEdit{
		ID: ref.ID, Channel: ch, Content: &p.content, Embeds: &p.embeds,
		Components: &p.components, AllowedMentions: p.mentions(),
	}
	if _, err := a.session.ChannelMessageEditComplex(edit, ctxOpt(ctx)); err != nil {
		return fmt.Errorf("edit discord message %s: %w", ref.ID, err)
	}
	_, err = a.postParts(ctx, ch, parts[1:])
	return err
}

func (a *Adapter) postParts(ctx context.Context, channelID string, parts []part) (bot.MessageRef, error) {
	var ref bot.MessageRef
	for i, p := range parts {
		m, err := a.sendMessage(ctx, channelID, p, nil)
		if err != nil {
			return ref, fmt.Errorf("post to discord channel %s: %w", channelID, err)
		}
		if i == 0 {
			ref = bot.MessageRef{Channel: channelID, ID: m.ID}
		}
	}
	return ref, nil
}

// messageCreate is a message with a nonce that Discord enforces, so that a
// post retried after a lost answer is not shown twice (sendMessage marks
// it retrySafe for the transport).
type messageCreate struct {
	*discordgo.MessageSend
	Nonce        string       `json:"nonce"`
	EnforceNonce bool         `json:"enforce_nonce"`
	Attachments  []attachment `json:"attachments,omitempty"`
}

// sendMessage posts p with files attached (a multipart body when there
// are any).
func (a *Adapter) sendMessage(ctx context.Context, channelID string, p part, files []bot.File) (*discordgo.Message, error) {
	endpoint := discordgo.EndpointChannelMessages(channelID)
	data := messageCreate{MessageSend: p.messageSend(), Nonce: newNonce(), EnforceNonce: true, Attachments: attachments(files)}
	ctx = retrySafe(ctx)
	var (
		body []byte
		err  error
	)
	if len(files) > 0 {
		body, err = a.requestMultipart(ctx, http.MethodPost, endpoint, endpoint, data, files)
	} else {
		body, err = a.session.RequestWithBucketID(http.MethodPost, endpoint, data, endpoint, ctxOpt(ctx))
	}
	if err != nil {
		return nil, err
	}
	var m discordgo.Message
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("decode discord message: %w", err)
	}
	return &m, nil
}

// newNonce returns a random message nonce (at most 25 characters).
func newNonce() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return strconv.FormatUint(binary.BigEndian.Uint64(b[:])>>1, 10)
}

// dmChannel returns the direct-message channel with a user.
func (a *Adapter) dmChannel(ctx context.Context, uid string) (string, error) {
	a.dmMu.Lock()
	defer a.dmMu.Unlock()
	if ch, ok := a.dms[uid]; ok {
		return ch, nil
	}
	ch, err := a.session.UserChannelCreate(uid, ctxOpt(ctx))
	if err != nil {
		return "", fmt.Errorf("open discord direct messages with %s: %w", uid, err)
	}
	a.dms[uid] = ch.ID
	return ch.ID, nil
}

// cleared makes empty lists explicit, so that an edit removes old embeds
// and buttons.
func (p part) cleared() part {
	if p.embeds == nil {
		p.embeds = []*discordgo.MessageEmbed{}
	}
	if p.components == nil {
		p.components = []discordgo.MessageComponent{}
	}
	return p
}
