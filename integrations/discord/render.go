package discord

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
)

// Discord's message limits.
const (
	maxContent       = 2000
	maxEmbedTitle    = 256
	maxEmbedDesc     = 4096
	maxEmbedFields   = 25
	maxFieldName     = 256
	maxFieldValue    = 1024
	maxFooter        = 2048
	maxEmbedChars    = 6000 // across every embed of one message
	maxEmbeds        = 10
	maxRowButtons    = 5
	maxRows          = 5
	maxButtonLabel   = 80
	embedColor       = 0x5865F2
	blank            = "\u200b" // for required fields left empty
	moreButtonsTitle = "More actions"
)

// part is one Discord message of a rendered bot.Message.
type part struct {
	content    string
	embeds     []*discordgo.MessageEmbed
	components []discordgo.MessageComponent
	allowed    *discordgo.MessageAllowedMentions // nil: allowedMentions()
}

// render turns a message into Discord messages within Discord's limits.
// Plain text becomes content; a title, fields or footer make an embed.
// Text too long for one message is split at line breaks; buttons go on the
// last message, five to a row, and rows beyond five on further messages.
//
// A message quoting outside text (Outside) has its mention syntax escaped
// and allows no mention but of the people it notifies; those are mentioned
// in the content of the first message, since mentions in embeds notify
// nobody. It fails only when a long button's action cannot be stored.
func (a *Adapter) render(ctx context.Context, m bot.Message) ([]part, error) {
	if m.Outside {
		m = inertMessage(m)
	} else {
		m = a.linkMentions(m)
	}
	parts, err := a.layout(ctx, m)
	if err != nil {
		return nil, err
	}
	notify := a.notifyIDs(m.Notify)
	parts = withMentionLine(parts, notify)
	allowed := allowedMentions()
	if m.Outside {
		allowed = onlyUsers(notify)
	}
	for i := range parts {
		parts[i].allowed = allowed
	}
	return parts, nil
}

// linkMentions turns "@handle" of known people into Discord mentions in
// the text and field values.
func (a *Adapter) linkMentions(m bot.Message) bot.Message {
	m.Text = a.discordMentions(m.Text)
	m.Fields = append([]bot.Field(nil), m.Fields...)
	for i := range m.Fields {
		m.Fields[i].Value = a.discordMentions(m.Fields[i].Value)
	}
	return m
}

// layout turns a message into Discord messages within Discord's limits.
func (a *Adapter) layout(ctx context.Context, m bot.Message) ([]part, error) {
	var parts []part
	if m.Title != "" || len(m.Fields) > 0 || m.Footer != "" {
		parts = packEmbeds(buildEmbeds(m))
	} else {
		for _, chunk := range splitText(m.Text, maxContent) {
			parts = append(parts, part{content: chunk})
		}
	}
	rows, err := a.buttonRows(ctx, m.Buttons)
	if err != nil {
		return nil, err
	}
	parts = attachButtons(parts, rows)
	if len(parts) == 0 {
		parts = []part{{content: "✓"}}
	}
	return parts, nil
}

// buildEmbeds lays a rich message out as embeds, each within the limits.
func buildEmbeds(m bot.Message) []*discordgo.MessageEmbed {
	cur := &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Color: embedColor, Title: clip(m.Title, maxEmbedTitle)}
	embeds := []*discordgo.MessageEmbed{cur}
	next := func() {
		cur = &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Color: embedColor}
		embeds = append(embeds, cur)
	}
	for i, chunk := range splitText(m.Text, maxEmbedDesc) {
		if i > 0 {
			next()
		}
		cur.Description = chunk
	}
	for _, f := range expandFields(m.Fields) {
		if len(cur.Fields) == maxEmbedFields || embedLen(cur)+textLen(f.Name)+textLen(f.Value) > maxEmbedChars {
			next()
		}
		cur.Fields = append(cur.Fields, f)
	}
	if m.Footer != "" {
		footer := clip(m.Footer, maxFooter)
		if embedLen(cur)+textLen(footer) > maxEmbedChars {
			next()
		}
		cur.Footer = &discordgo.MessageEmbedFooter{Text: footer}
	}
	return embeds
}

// expandFields splits long field values over several fields.
func expandFields(fields []bot.Field) []*discordgo.MessageEmbedField {
	var out []*discordgo.MessageEmbedField
	for _, f := range fields {
		name := clip(orDefault(f.Title, blank), maxFieldName)
		chunks := splitText(f.Value, maxFieldValue)
		if len(chunks) == 0 {
			chunks = []string{blank}
		}
		for i, chunk := range chunks {
			if i > 0 {
				name = blank
			}
			out = append(out, &discordgo.MessageEmbedField{Name: name, Value: chunk, Inline: len(chunks) == 1 && textLen(chunk) <= 40})
		}
	}
	return out
}

// packEmbeds puts embeds into messages: at most ten and 6,000 characters
// a message.
func packEmbeds(embeds []*discordgo.MessageEmbed) []part {
	var parts []part
	size := 0
	for _, e := range embeds {
		n := embedLen(e)
		if len(parts) == 0 || len(parts[len(parts)-1].embeds) == maxEmbeds || size+n > maxEmbedChars {
			parts = append(parts, part{})
			size = 0
		}
		last := &parts[len(parts)-1]
		last.embeds = append(last.embeds, e)
		size += n
	}
	return parts
}

func embedLen(e *discordgo.MessageEmbed) int {
	n := textLen(e.Title) + textLen(e.Description)
	for _, f := range e.Fields {
		n += textLen(f.Name) + textLen(f.Value)
	}
	if e.Footer != nil {
		n += textLen(e.Footer.Text)
	}
	return n
}

// attachButtons adds the buttons to the last part, and further parts when
// there are more than one message holds.
func attachButtons(parts []part, rows []discordgo.MessageComponent) []part {
	for i := 0; i < len(rows); i += maxRows {
		batch := rows[i:min(i+maxRows, len(rows))]
		if i == 0 && len(parts) > 0 {
			parts[len(parts)-1].components = batch
			continue
		}
		content := ""
		if i > 0 {
			content = moreButtonsTitle
		}
		parts = append(parts, part{content: content, components: batch})
	}
	return parts
}

// buttonRows lays buttons out five to a row. Buttons running the same
// command are shown once, since custom ids must differ within a message.
func (a *Adapter) buttonRows(ctx context.Context, buttons []bot.Button) ([]discordgo.MessageComponent, error) {
	var (
		rows []discordgo.MessageComponent
		row  []discordgo.MessageComponent
		seen = map[string]bool{}
	)
	for _, b := range buttons {
		id, err := a.customID(ctx, b)
		if err != nil {
			return nil, fmt.Errorf("keep discord button %q: %w", b.Label, err)
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		row = append(row, discordgo.Button{Label: clip(orDefault(b.Label, b.Command), maxButtonLabel), Style: buttonStyle(b.Style), CustomID: id})
		if len(row) == maxRowButtons {
			rows = append(rows, discordgo.ActionsRow{Components: row})
			row = nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, discordgo.ActionsRow{Components: row})
	}
	return rows, nil
}

func buttonStyle(s bot.ButtonStyle) discordgo.ButtonStyle {
	switch s {
	case bot.StylePrimary:
		return discordgo.PrimaryButton
	case bot.StyleDanger:
		return discordgo.DangerButton
	}
	return discordgo.SecondaryButton
}

// splitText cuts s into pieces of at most n characters, at a line break or
// a space when there is one in the second half of the window.
func splitText(s string, n int) []string {
	var out []string
	for s != "" {
		if textLen(s) <= n {
			out = append(out, s)
			break
		}
		end := byteIndexAt(s, n)
		cut := end
		for _, sep := range []string{"\n", " "} {
			if i := strings.LastIndex(s[:end], sep); i > end/2 {
				cut = i + 1
				break
			}
		}
		if piece := strings.TrimRight(s[:cut], " \n"); piece != "" {
			out = append(out, piece)
		}
		s = strings.TrimLeft(s[cut:], " \n")
	}
	return out
}

// textLen counts characters as Discord does (UTF-16 code units), which is
// never less than the number of runes.
func textLen(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// byteIndexAt is the byte offset of the end of the longest prefix of s
// that is at most n characters long.
func byteIndexAt(s string, n int) int {
	count := 0
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if count+w > n {
			return i
		}
		count += w
	}
	return len(s)
}

// allowedMentions lets mentions of people notify them, never @everyone,
// @here or roles.
func allowedMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{discordgo.AllowedMentionTypeUsers}}
}

// mentions are the mentions a part allows.
func (p part) mentions() *discordgo.MessageAllowedMentions {
	if p.allowed != nil {
		return p.allowed
	}
	return allowedMentions()
}

func (p part) responseData(private bool) *discordgo.InteractionResponseData {
	return &discordgo.InteractionResponseData{
		Content: p.content, Embeds: p.embeds, Components: p.components,
		AllowedMentions: p.mentions(), Flags: flags(private),
	}
}

func (p part) webhookEdit() *discordgo.WebhookEdit {
	p = p.cleared()
	return &discordgo.WebhookEdit{Content: &p.content, Embeds: &p.embeds, Components: &p.components, AllowedMentions: p.mentions()}
}

func (p part) webhookParams(private bool) *discordgo.WebhookParams {
	return &discordgo.WebhookParams{
		Content: p.content, Embeds: p.embeds, Components: p.components,
		AllowedMentions: p.mentions(), Flags: flags(private),
	}
}

func (p part) messageSend() *discordgo.MessageSend {
	return &discordgo.MessageSend{Content: p.content, Embeds: p.embeds, Components: p.components, AllowedMentions: p.mentions()}
}

func flags(private bool) discordgo.MessageFlags {
	if private {
		return discordgo.MessageFlagsEphemeral
	}
	return 0
}
