package discord

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"path"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
)

// The Adapter posts files (charts) into channels.
var _ bot.Uploader = (*Adapter)(nil)

// Discord's attachment limits.
const (
	// DefaultMaxFileSize is the largest upload Discord takes from a bot in
	// a server without boosts (10 MiB); boosted servers take more.
	DefaultMaxFileSize = 10 << 20
	maxFilesPerMessage = 10
	maxFileDescription = 1024
)

// attachment names a files[id] part of a multipart body in payload_json.
type attachment struct {
	ID          int    `json:"id"`
	Filename    string `json:"filename"`
	Description string `json:"description,omitempty"`
}

// FileTooLargeError is the refusal of a file Discord would not take.
type FileTooLargeError struct {
	Name  string
	Size  int
	Limit int64
}

// Error names the file, its size and the limit.
func (e *FileTooLargeError) Error() string {
	return fmt.Sprintf("%s is %s; Discord takes files up to %s from this bot", e.Name, size(int64(e.Size)), size(e.Limit))
}

// Upload posts f into a channel id or "#name" as one message: its title as
// the text and the file attached. A file over the size limit is refused
// with a *FileTooLargeError before anything is sent.
func (a *Adapter) Upload(ctx context.Context, channel string, f bot.File) error {
	if err := a.checkSize(f); err != nil {
		return fmt.Errorf("upload to discord: %w", err)
	}
	id, err := a.channelID(ctx, channel)
	if err != nil {
		return err
	}
	// Titles are ours, but still notify nobody.
	p := part{content: clip(f.Title, maxContent), allowed: &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}}
	if _, err := a.sendMessage(ctx, id, p, []bot.File{f}); err != nil {
		return fmt.Errorf("upload %s to discord channel %s: %w", f.Name, id, err)
	}
	return nil
}

// checkSize refuses a file over the size limit.
func (a *Adapter) checkSize(f bot.File) error {
	if int64(len(f.Data)) > a.maxFileSize {
		return &FileTooLargeError{Name: f.Name, Size: len(f.Data), Limit: a.maxFileSize}
	}
	return nil
}

// fitFiles returns the files Discord takes in one message (the size limit
// counts them together) and a note saying which were left out and why (""
// when none was).
func (a *Adapter) fitFiles(files []bot.File) ([]bot.File, string) {
	var (
		fit    []bot.File
		used   int64
		reason []string
	)
	for _, f := range files {
		err := a.checkSize(f)
		switch {
		case err != nil:
			reason = append(reason, err.Error())
		case len(fit) == maxFilesPerMessage:
			reason = append(reason, fmt.Sprintf("%s: a message holds %d files", f.Name, maxFilesPerMessage))
		case used+int64(len(f.Data)) > a.maxFileSize:
			reason = append(reason, fmt.Sprintf("%s: with the files before it, over the %s a message takes", f.Name, size(a.maxFileSize)))
		default:
			fit = append(fit, f)
			used += int64(len(f.Data))
		}
	}
	if len(reason) == 0 {
		return fit, ""
	}
	return fit, "⚠ Left out: " + strings.Join(reason, "; ") + "."
}

// leftOutNote tells people that files were not attached because sending
// them failed.
func leftOutNote(files []bot.File, err error) string {
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Name
	}
	reason := "it could not be sent"
	var rest *discordgo.RESTError
	if errors.As(err, &rest) && rest.Message != nil && rest.Message.Message != "" {
		reason = "Discord answered: " + rest.Message.Message
	}
	return fmt.Sprintf("⚠ Left out: %s (%s).", strings.Join(names, ", "), reason)
}

// withNote adds note to the last part's text, or as a part of its own
// when it does not fit.
func withNote(parts []part, note string) []part {
	if note == "" {
		return parts
	}
	last := &parts[len(parts)-1]
	sep := "\n"
	if last.content == "" {
		sep = ""
	}
	if textLen(last.content)+textLen(sep+note) <= maxContent {
		last.content += sep + note
		return parts
	}
	return append(parts, part{content: note, allowed: last.allowed})
}

// attachments lists files for payload_json; nil when there are none, so
// that a JSON body keeps its shape.
func attachments(files []bot.File) []attachment {
	var out []attachment
	for i, f := range files {
		out = append(out, attachment{ID: i, Filename: fileName(f.Name), Description: clip(f.Title, maxFileDescription)})
	}
	return out
}

// requestMultipart sends payload as payload_json with files as files[n],
// through discordgo's rate limiter (buckets, 429 with retry_after) and the
// adapter's retrying transport.
func (a *Adapter) requestMultipart(ctx context.Context, method, endpoint, bucket string, payload any, files []bot.File) ([]byte, error) {
	contentType, body, err := multipartBody(payload, files)
	if err != nil {
		return nil, err
	}
	return a.session.RequestRaw(method, endpoint, contentType, body, bucket, 0, ctxOpt(ctx))
}

// multipartBody is the multipart/form-data body Discord takes for a message
// with files: payload_json, then each file as files[n], n being its id in
// the payload's attachments.
func multipartBody(payload any, files []bot.File) (string, []byte, error) {
	js, err := discordgo.Marshal(payload)
	if err != nil {
		return "", nil, fmt.Errorf("encode discord payload: %w", err)
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="payload_json"`)
	h.Set("Content-Type", "application/json")
	pw, err := w.CreatePart(h)
	if err == nil {
		_, err = pw.Write(js)
	}
	for i, f := range files {
		if err != nil {
			break
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", mime.FormatMediaType("form-data", map[string]string{
			"name": fmt.Sprintf("files[%d]", i), "filename": fileName(f.Name),
		}))
		h.Set("Content-Type", contentType(f))
		if pw, err = w.CreatePart(h); err == nil {
			_, err = pw.Write(f.Data)
		}
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return "", nil, fmt.Errorf("encode discord files: %w", err)
	}
	return w.FormDataContentType(), buf.Bytes(), nil
}

// fileName keeps a file name Discord shows as given: its last path
// element, with characters outside [A-Za-z0-9._-] replaced.
func fileName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			return r
		}
		return '_'
	}, name)
	if strings.Trim(name, "._") == "" {
		return "file"
	}
	return name
}

// contentType is a file's type by its extension, else by its bytes.
func contentType(f bot.File) string {
	if t := mime.TypeByExtension(strings.ToLower(path.Ext(fileName(f.Name)))); t != "" {
		return t
	}
	return http.DetectContentType(f.Data)
}

// size writes a byte count for people: "512 bytes", "3.2 KiB", "10 MiB".
func size(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<10))) + " KiB"
	}
	return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<20))) + " MiB"
}

func trimZero(s string) string { return strings.TrimSuffix(s, ".0") }
