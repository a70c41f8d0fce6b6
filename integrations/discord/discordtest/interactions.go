package discordtest

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Token is the token of the interaction with id, as the payload builders
// set it.
func Token(id string) string { return "token-" + id }

// callback records the initial answer to a gateway interaction, with the
// files of a multipart body.
func (s *Server) callback(w http.ResponseWriter, r *http.Request) {
	var resp struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data json.RawMessage                   `json:"data"`
	}
	body, up, ok := s.readBody(w, r)
	if !ok || !decodeJSON(w, body, &resp) {
		return
	}
	m := &discordgo.Message{}
	if len(resp.Data) > 0 && string(resp.Data) != "null" {
		if err := json.Unmarshal(withoutAttachments(resp.Data), m); err != nil {
			writeError(w, http.StatusBadRequest, discordgo.ErrCodeInvalidFormBody, err.Error())
			return
		}
	}
	s.mu.Lock()
	s.attach(m, up)
	s.mu.Unlock()
	s.record(Call{Kind: "callback", Token: r.PathValue("token"), Type: resp.Type, Message: m, Data: resp.Data, Upload: up})
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) followup(w http.ResponseWriter, r *http.Request) {
	m, up, ok := s.decodeMessage(w, r, nil)
	if !ok {
		return
	}
	s.mu.Lock()
	m.ID = s.nextID()
	s.attach(m, up)
	s.mu.Unlock()
	s.record(Call{Kind: "followup", Token: r.PathValue("token"), Message: m, Upload: up})
	writeJSON(w, http.StatusOK, m)
}

func (s *Server) editWebhookMessage(w http.ResponseWriter, r *http.Request) {
	m, up, ok := s.decodeMessage(w, r, nil)
	if !ok {
		return
	}
	m.ID = r.PathValue("msg")
	s.mu.Lock()
	s.attach(m, up)
	s.mu.Unlock()
	s.record(Call{Kind: "edit", Token: r.PathValue("token"), Message: m, Upload: up})
	writeJSON(w, http.StatusOK, m)
}

func (s *Server) deleteWebhookMessage(w http.ResponseWriter, r *http.Request) {
	s.record(Call{Kind: "delete", Token: r.PathValue("token"), Message: &discordgo.Message{ID: r.PathValue("msg")}})
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) record(c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
	s.notify()
}

// Option is an option of a command interaction.
type Option struct {
	Name    string                                 `json:"name"`
	Type    discordgo.ApplicationCommandOptionType `json:"type"`
	Value   any                                    `json:"value,omitempty"`
	Options []Option                               `json:"options,omitempty"`
}

// Sub is a subcommand with its options.
func Sub(name string, opts ...Option) Option {
	return Option{Name: name, Type: discordgo.ApplicationCommandOptionSubCommand, Options: opts}
}

// String is a text option.
func String(name, v string) Option {
	return Option{Name: name, Type: discordgo.ApplicationCommandOptionString, Value: v}
}

// Integer is an integer option.
func Integer(name string, v int64) Option {
	return Option{Name: name, Type: discordgo.ApplicationCommandOptionInteger, Value: v}
}

// Boolean is a true/false option.
func Boolean(name string, v bool) Option {
	return Option{Name: name, Type: discordgo.ApplicationCommandOptionBoolean, Value: v}
}

// User is a user option holding a Discord user id.
func User(name, id string) Option {
	return Option{Name: name, Type: discordgo.ApplicationCommandOptionUser, Value: id}
}

// Command is the payload of a slash command used by user in channel.
func Command(id, channel, user, name string, opts ...Option) []byte {
	return payload(id, channel, user, discordgo.InteractionApplicationCommand, map[string]any{
		"id": "900000000000000001", "name": name, "type": discordgo.ChatApplicationCommand, "options": opts,
	})
}

// Button is the payload of a click on the button with customID.
func Button(id, channel, user, customID string) []byte {
	return payload(id, channel, user, discordgo.InteractionMessageComponent, map[string]any{
		"custom_id": customID, "component_type": discordgo.ButtonComponent,
	})
}

// Click is the payload of a click on the button with customID of the
// message msgID in channel, as Discord sends it: with the clicked message.
func Click(id, channel, user, msgID, customID string) []byte {
	return payloadOn(id, channel, user, msgID, discordgo.InteractionMessageComponent, map[string]any{
		"custom_id": customID, "component_type": discordgo.ButtonComponent,
	})
}

// Submit is the payload of a form (modal) with customID, opened from a
// button of message msgID, submitted with text in its field fieldID.
func Submit(id, channel, user, msgID, customID, fieldID, text string) []byte {
	return payloadOn(id, channel, user, msgID, discordgo.InteractionModalSubmit, map[string]any{
		"custom_id": customID,
		"components": []any{map[string]any{"type": discordgo.ActionsRowComponent, "components": []any{
			map[string]any{"type": discordgo.TextInputComponent, "custom_id": fieldID, "value": text},
		}}},
	})
}

func payloadOn(id, channel, user, msgID string, t discordgo.InteractionType, data map[string]any) []byte {
	var p map[string]any
	_ = json.Unmarshal(payload(id, channel, user, t, data), &p)
	p["message"] = map[string]any{"id": msgID, "channel_id": channel}
	b, _ := json.Marshal(p)
	return b
}

// Ping is the payload Discord sends to check an interactions endpoint.
func Ping() []byte {
	b, _ := json.Marshal(map[string]any{"id": "1", "application_id": AppID, "type": discordgo.InteractionPing, "token": Token("1"), "version": 1})
	return b
}

func payload(id, channel, user string, t discordgo.InteractionType, data map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{
		"id": id, "application_id": AppID, "type": t, "token": Token(id), "version": 1,
		"guild_id": GuildID, "channel_id": channel, "data": data,
		"member": map[string]any{"user": map[string]any{"id": user, "username": "user" + user}, "roles": []string{}},
	})
	return b
}

// Signer signs interaction requests as Discord does (Ed25519 over the
// timestamp and the body).
type Signer struct {
	public  ed25519.PublicKey
	private ed25519.PrivateKey
}

// NewSigner makes a fresh key pair.
func NewSigner() *Signer {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic("discordtest: " + err.Error()) // crypto/rand does not fail
	}
	return &Signer{public: pub, private: priv}
}

// PublicKeyHex is the public key as DISCORD_PUBLIC_KEY holds it.
func (s *Signer) PublicKeyHex() string { return hex.EncodeToString(s.public) }

// Request returns a POST of body to url, signed at time at.
func (s *Signer) Request(url string, body []byte, at time.Time) *http.Request {
	ts := strconv.FormatInt(at.Unix(), 10)
	sig := ed25519.Sign(s.private, append([]byte(ts), body...))
	return signedRequest(url, body, ts, hex.EncodeToString(sig))
}

// BadRequest returns a POST of body whose signature does not match it.
func (s *Signer) BadRequest(url string, body []byte, at time.Time) *http.Request {
	ts := strconv.FormatInt(at.Unix(), 10)
	sig := ed25519.Sign(s.private, append([]byte(ts), "something else"...))
	return signedRequest(url, body, ts, hex.EncodeToString(sig))
}

func signedRequest(url string, body []byte, ts, sig string) *http.Request {
	r, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		panic("discordtest: " + err.Error())
	}
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Signature-Timestamp", ts)
	r.Header.Set("X-Signature-Ed25519", sig)
	return r
}
