package discordtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// DefaultFileLimit is the most bytes of files one request may carry (10
// MiB, Discord's limit for bots in a server without boosts).
const DefaultFileLimit = 10 << 20

// errRequestTooLarge is Discord's code for files over the limit (413).
const errRequestTooLarge = 40005

// File is a file part of a multipart request, as received.
type File struct {
	Field       string // "files[0]"
	Name        string // its filename
	ContentType string
	Data        []byte
}

// Upload is a multipart request as received: its payload_json and files.
type Upload struct {
	Payload json.RawMessage
	Files   []File
}

// SetFileLimit sets the most bytes of files one request may carry; more is
// refused with 413 and code 40005, as Discord does.
func (s *Server) SetFileLimit(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fileLimit = n
}

// MessageUpload returns the multipart request a message was created with.
func (s *Server) MessageUpload(messageID string) (Upload, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	up, ok := s.uploads[messageID]
	return up, ok
}

// formError is a refused request: its status, Discord code and message.
type formError struct {
	status, code int
	msg          string
}

func (e *formError) Error() string { return e.msg }

func invalidForm(format string, args ...any) *formError {
	return &formError{status: http.StatusBadRequest, code: discordgo.ErrCodeInvalidFormBody, msg: "Invalid Form Body: " + fmt.Sprintf(format, args...)}
}

// readBody returns a request's JSON: the body itself, or the payload_json
// of a multipart/form-data body, whose files it returns too. Every
// attachment the payload names by id (at its top or in its data, for an
// interaction callback) must have its files[id] part. On failure it has
// answered with Discord's error.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, *Upload, bool) {
	mediaType, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType != "multipart/form-data" {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			writeError(w, http.StatusBadRequest, discordgo.ErrCodeInvalidFormBody, "Invalid Form Body: "+err.Error())
			return nil, nil, false
		}
		return body, nil, true
	}
	s.mu.Lock()
	limit := s.fileLimit
	s.mu.Unlock()
	up, err := readForm(multipart.NewReader(r.Body, params["boundary"]), limit)
	if err == nil {
		err = checkAttachments(up)
	}
	var fe *formError
	if errors.As(err, &fe) {
		writeError(w, fe.status, fe.code, fe.msg)
		return nil, nil, false
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, discordgo.ErrCodeInvalidFormBody, "Invalid Form Body: "+err.Error())
		return nil, nil, false
	}
	return up.Payload, up, true
}

var fileField = regexp.MustCompile(`^files\[([0-9]+)\]$`)

func readForm(mr *multipart.Reader, limit int64) (*Upload, error) {
	up := &Upload{}
	var total int64
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(p, limit+1))
		if err != nil {
			return nil, err
		}
		switch name := p.FormName(); {
		case name == "payload_json":
			up.Payload = data
		case fileField.MatchString(name):
			total += int64(len(data))
			if total > limit {
				return nil, &formError{status: http.StatusRequestEntityTooLarge, code: errRequestTooLarge, msg: "Request entity too large"}
			}
			up.Files = append(up.Files, File{Field: name, Name: p.FileName(), ContentType: p.Header.Get("Content-Type"), Data: data})
		default:
			return nil, invalidForm("unexpected form field %q", name)
		}
	}
	if up.Payload == nil {
		return nil, invalidForm("no payload_json")
	}
	return up, nil
}

// checkAttachments makes sure each attachment id has its file part.
func checkAttachments(up *Upload) error {
	var body struct {
		Attachments []rawAttachment `json:"attachments"`
		Data        struct {
			Attachments []rawAttachment `json:"attachments"`
		} `json:"data"`
	}
	if err := json.Unmarshal(up.Payload, &body); err != nil {
		return invalidForm("payload_json: %v", err)
	}
	for _, a := range append(body.Attachments, body.Data.Attachments...) {
		id := strings.Trim(string(a.ID), `"`)
		if _, err := strconv.Atoi(id); err != nil {
			return invalidForm("attachment id %s is not a number", a.ID)
		}
		if up.file(id) == nil {
			return invalidForm("attachments: no files[%s] part for attachment %s", id, id)
		}
	}
	return nil
}

type rawAttachment struct {
	ID          json.RawMessage `json:"id"`
	Filename    string          `json:"filename"`
	Description string          `json:"description"`
}

func (up *Upload) file(id string) *File {
	for i := range up.Files {
		if up.Files[i].Field == "files["+id+"]" {
			return &up.Files[i]
		}
	}
	return nil
}

// attach lists an upload's files on m as Discord shows them.
func (s *Server) attach(m *discordgo.Message, up *Upload) {
	if up == nil {
		return
	}
	m.Attachments = nil
	for _, f := range up.Files {
		id := s.nextID()
		m.Attachments = append(m.Attachments, &discordgo.MessageAttachment{
			ID: id, Filename: f.Name, ContentType: f.ContentType, Size: len(f.Data),
			URL: s.URL + "/attachments/" + id + "/" + f.Name, Ephemeral: m.Flags&discordgo.MessageFlagsEphemeral != 0,
		})
	}
}

// decodeJSON decodes body into v, or answers with Discord's error.
func decodeJSON(w http.ResponseWriter, body []byte, v any) bool {
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, discordgo.ErrCodeInvalidFormBody, "Invalid Form Body: "+err.Error())
		return false
	}
	return true
}

// withoutAttachments drops the attachments a request names (ids that are
// numbers, as Discord takes them) from a message object, whose
// attachments the server fills in itself.
func withoutAttachments(raw json.RawMessage) json.RawMessage {
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil || fields["attachments"] == nil {
		return raw
	}
	delete(fields, "attachments")
	out, err := json.Marshal(fields)
	if err != nil {
		return raw
	}
	return out
}
