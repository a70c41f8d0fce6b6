package slack

import (
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/interlock-coe/interlock/bot"
)

// Block Kit limits (https://docs.slack.dev/reference/block-kit).
const (
	maxBlocks      = 50   // blocks in one message
	maxSectionText = 3000 // characters in a section's text
	maxFields      = 10   // fields in one section
	maxFieldText   = 2000 // characters in one field
	maxHeaderText  = 150  // characters in a header
	maxButtons     = 25   // elements in one actions block
	maxButtonText  = 75   // characters in a button's label
	maxButtonValue = 2000 // characters in a button's value
	maxFallback    = 3000 // notification text we send; Slack allows 40,000
)

// page is one Slack message of a rendered bot.Message.
type page struct {
	blocks   []slack.Block
	fallback string  // plain text for notifications and old clients
	pieces   []piece // what blocks were made of, to split the page again
}

// halves splits a page of two or more blocks into two pages.
func (p page) halves() (page, page) {
	n := len(p.pieces) / 2
	return newPage(p.pieces[:n]), newPage(p.pieces[n:])
}

// piece is one block and its plain-text equivalent.
type piece struct {
	block slack.Block
	plain string
}

// render turns a message into Block Kit pages of at most 50 blocks: a header
// for the title, sections of at most 3,000 characters for the text, field
// sections of at most 10 fields, actions blocks whose buttons carry their
// typed commands as values, and a context block for the footer. ids maps
// person handles to Slack user ids so that "@handle" notifies the person.
//
// The people of m.Notify are mentioned first. A message quoting outside
// text (m.Outside) links no "@handle" at all: its text is only escaped, so
// "<!channel>" or "<@U…>" written outside shows as typed and notifies
// nobody.
func render(m bot.Message, ids map[string]string) []page {
	var pieces []piece
	pieces = append(pieces, notifyPieces(m.Notify, ids)...)
	if m.Outside {
		ids = nil
	}
	pieces = append(pieces, titlePieces(m.Title)...)
	pieces = append(pieces, textPieces(m.Text, ids)...)
	pieces = append(pieces, fieldPieces(m.Fields, ids)...)
	pieces = append(pieces, buttonPieces(m.Buttons)...)
	pieces = append(pieces, footerPieces(m.Footer, ids)...)
	var pages []page
	for len(pieces) > 0 {
		n := min(len(pieces), maxBlocks)
		pages = append(pages, newPage(pieces[:n]))
		pieces = pieces[n:]
	}
	return pages
}

func newPage(pieces []piece) page {
	p := page{blocks: make([]slack.Block, 0, len(pieces)), pieces: pieces}
	plain := make([]string, 0, len(pieces))
	for _, pc := range pieces {
		p.blocks = append(p.blocks, pc.block)
		if pc.plain != "" {
			plain = append(plain, pc.plain)
		}
	}
	p.fallback = truncate(strings.Join(plain, "\n"), maxFallback)
	return p
}

func mrkdwn(text string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, text, false, false)
}

func plainText(text string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, text, true, false)
}

// notifyPieces mentions the people to notify who have a Slack id.
func notifyPieces(people []string, ids map[string]string) []piece {
	var links []string
	for _, p := range people {
		if id := ids[p]; id != "" {
			links = append(links, "<@"+id+">")
		}
	}
	if len(links) == 0 {
		return nil
	}
	text := strings.Join(links, " ")
	return []piece{{slack.NewSectionBlock(mrkdwn(text), nil, nil), text}}
}

func titlePieces(title string) []piece {
	title = strings.TrimSpace(title)
	switch {
	case title == "":
		return nil
	case units(title) <= maxHeaderText:
		return []piece{{slack.NewHeaderBlock(plainText(title)), "*" + escape(title) + "*"}}
	default:
		text := "*" + truncate(escape(title), maxSectionText-2) + "*"
		return []piece{{slack.NewSectionBlock(mrkdwn(text), nil, nil), text}}
	}
}

func textPieces(text string, ids map[string]string) []piece {
	var out []piece
	for _, part := range splitText(linkMentions(escape(text), ids), maxSectionText) {
		out = append(out, piece{slack.NewSectionBlock(mrkdwn(part), nil, nil), part})
	}
	return out
}

// fieldPieces renders fields ten to a section. A field too long for one
// (a crisis timeline, say) is never cut: it becomes sections of its own,
// split at line ends, each within Slack's 3,000 characters, which render()
// then pages across messages.
func fieldPieces(fields []bot.Field, ids map[string]string) []piece {
	var (
		out   []piece
		group []shortField
	)
	flush := func() {
		if len(group) > 0 {
			out = append(out, fieldSection(group))
			group = nil
		}
	}
	for _, f := range fields {
		title, value := escape(f.Title), linkMentions(escape(f.Value), ids)
		text := "*" + title + "*\n" + value
		if units(text) > maxFieldText {
			flush()
			out = append(out, longFieldPieces(title, value)...)
			continue
		}
		group = append(group, shortField{text: text, plain: title + ": " + value})
		if len(group) == maxFields {
			flush()
		}
	}
	flush()
	return out
}

// shortField is a field that fits a section's field slot.
type shortField struct{ text, plain string }

// fieldSection is one section holding up to ten short fields.
func fieldSection(group []shortField) piece {
	objs := make([]*slack.TextBlockObject, 0, len(group))
	plain := make([]string, 0, len(group))
	for _, g := range group {
		objs = append(objs, mrkdwn(g.text))
		plain = append(plain, g.plain)
	}
	return piece{slack.NewSectionBlock(nil, objs, nil), strings.Join(plain, "\n")}
}

// longFieldPieces renders one long field as text sections: the title on
// the first, "(continued)" on the others.
func longFieldPieces(title, value string) []piece {
	head := "*" + title + "*\n"
	more := "*" + title + " (continued)*\n"
	parts := splitText(value, maxSectionText-units(more))
	out := make([]piece, 0, len(parts))
	for i, part := range parts {
		text := more + part
		if i == 0 {
			text = head + part
		}
		out = append(out, piece{slack.NewSectionBlock(mrkdwn(text), nil, nil), text})
	}
	return out
}

// buttonPieces renders buttons; each value is the button's action (the
// typed command it stands for, or that command and the text it asks for
// first), and action ids are unique across the whole message.
func buttonPieces(buttons []bot.Button) []piece {
	var out []piece
	next := 0
	for len(buttons) > 0 {
		n := min(len(buttons), maxButtons)
		var elems []slack.BlockElement
		var plain []string
		for _, b := range buttons[:n] {
			next++
			value := b.Action()
			if units(value) > maxButtonValue {
				continue // cannot be carried; the fallback text still names it
			}
			btn := slack.NewButtonBlockElement("interlock-"+strconv.Itoa(next), value, plainText(truncate(b.Label, maxButtonText)))
			btn.Style = buttonStyle(b.Style)
			elems = append(elems, btn)
			plain = append(plain, "["+escape(b.Label)+" → "+escape(b.Typed())+"]")
		}
		if len(elems) > 0 {
			out = append(out, piece{slack.NewActionBlock("", elems...), strings.Join(plain, "  ")})
		}
		buttons = buttons[n:]
	}
	return out
}

func buttonStyle(s bot.ButtonStyle) slack.Style {
	switch s {
	case bot.StylePrimary:
		return slack.StylePrimary
	case bot.StyleDanger:
		return slack.StyleDanger
	}
	return slack.StyleDefault
}

func footerPieces(footer string, ids map[string]string) []piece {
	if strings.TrimSpace(footer) == "" {
		return nil
	}
	text := truncate(linkMentions(escape(footer), ids), maxSectionText)
	return []piece{{slack.NewContextBlock("", mrkdwn(text)), text}}
}
