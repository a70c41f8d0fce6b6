package slack

import (
	"context"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// dmFilesTimeout bounds sending a private reply's files by direct message.
// The reply's text waits for it (its note says where the files went), so it
// must leave most of replyTimeout for the text: a person never loses the
// answer to a stuck upload, only its pictures.
const dmFilesTimeout = 30 * time.Second

// filesByDM sends the files of a private reply to the sender's direct
// messages and returns the note for the reply's text.
//
// Slack cannot attach a file to an ephemeral message. Posting the chart in
// the channel would show everyone what was asked for privately, and
// dropping it would ignore what was asked for; the person's direct messages
// with the bot are private and keep the chart at hand. The files go first
// so that the note in the reply is true when it appears.
func (r *responder) filesByDM(ctx context.Context, files []bot.File) string {
	ctx, cancel := context.WithTimeout(ctx, dmFilesTimeout)
	defer cancel()
	sent := 0
	dm, err := r.a.channels.direct(ctx, r.in.user)
	for _, f := range files {
		if err != nil {
			break
		}
		if err = r.a.upload(ctx, dm, f); err == nil {
			sent++
		}
	}
	if err != nil {
		r.a.log.Warn("could not send a private reply's files by direct message", "request", r.in.id, "sent", sent, "of", len(files), "err", err)
	}
	return dmNote(files, sent)
}

// attach uploads the files of a public reply (or of a reply in the bot's
// direct-message channel) after its message. When a channel refuses them
// (mostly because the bot is not a member and the text went through the
// response_url), they go to the sender's direct messages instead, with a
// note only the sender sees, rather than vanish without a word.
func (r *responder) attach(ctx context.Context, files []bot.File) error {
	for i, f := range files {
		err := r.a.upload(ctx, r.in.channel, f)
		if err == nil {
			continue
		}
		if r.in.direct {
			return fmt.Errorf("files of reply in %s: %w", r.in.channel, err)
		}
		r.a.log.Warn("channel refused a reply's file; sending it by direct message", "request", r.in.id, "err", err)
		note := r.filesByDM(ctx, files[i:])
		pages, rerr := r.a.render(ctx, bot.Message{Text: note})
		if rerr != nil {
			return rerr
		}
		return r.ephemeral(ctx, pages[0])
	}
	return nil
}

// withNote puts note at the start of m's footer, so that cutting an
// over-long footer keeps the note.
func withNote(m bot.Message, note string) bot.Message {
	if m.Footer == "" {
		m.Footer = note
	} else {
		m.Footer = note + "\n" + m.Footer
	}
	return m
}

// dmNote tells the sender where sent of files went, and plainly that the
// rest were left out.
func dmNote(files []bot.File, sent int) string {
	noun := fileNoun(files)
	switch {
	case sent == len(files) && sent == 1:
		return fmt.Sprintf("📎 %s sent to you in a direct message (Slack cannot attach files to a message only you see).", capitalise(noun))
	case sent == len(files):
		return fmt.Sprintf("📎 %d %ss sent to you in a direct message (Slack cannot attach files to a message only you see).", sent, noun)
	case sent > 0:
		return fmt.Sprintf("📎 %d of %d %ss sent to you in a direct message; the others were left out (sending them failed).", sent, len(files), noun)
	case len(files) == 1:
		return fmt.Sprintf("📎 The %s was left out: Slack cannot attach it to a message only you see, and sending it to you in a direct message failed.", noun)
	default:
		return fmt.Sprintf("📎 The %d %ss were left out: Slack cannot attach them to a message only you see, and sending them to you in a direct message failed.", len(files), noun)
	}
}

// fileNoun is "chart" when every file is an image (all Interlock sends
// today), else "file".
func fileNoun(files []bot.File) string {
	for _, f := range files {
		switch strings.ToLower(path.Ext(f.Name)) {
		case ".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp":
		default:
			return "file"
		}
	}
	return "chart"
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
