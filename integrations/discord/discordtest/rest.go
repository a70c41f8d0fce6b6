package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"
)

const api = "/api/v" + "9"

// handler routes Discord's REST paths, after any queued fault.
func (s *Server) handler() http.Handler {
	mux := http.NewServeMux()
	routes := map[string]http.HandlerFunc{
		"GET /users/@me":                                  s.me,
		"GET /gateway":                                    s.gatewayURL,
		"GET /ws/":                                        s.serveGateway,
		"GET /guilds/{guild}/channels":                    s.listChannels,
		"POST /guilds/{guild}/channels":                   s.createChannel,
		"GET /channels/{ch}":                              s.getChannel,
		"PATCH /channels/{ch}":                            s.editChannel,
		"PUT /channels/{ch}/permissions/{target}":         s.setPermission,
		"POST /channels/{ch}/messages":                    s.createMessage,
		"PATCH /channels/{ch}/messages/{msg}":             s.editMessage,
		"PUT /channels/{ch}/pins/{msg}":                   s.pin,
		"POST /channels/{ch}/threads":                     s.createThread,
		"PUT /channels/{ch}/thread-members/{user}":        s.addThreadMember,
		"POST /users/@me/channels":                        s.createDM,
		"GET /applications/{app}/guilds/{guild}/commands": s.listCommands,
		"PUT /applications/{app}/guilds/{guild}/commands": s.overwriteCommands,
		"POST /interactions/{id}/{token}/callback":        s.callback,
		"POST /webhooks/{app}/{token}":                    s.followup,
		"PATCH /webhooks/{app}/{token}/messages/{msg}":    s.editWebhookMessage,
		"DELETE /webhooks/{app}/{token}/messages/{msg}":   s.deleteWebhookMessage,
	}
	for pattern, h := range routes {
		method, path, _ := strings.Cut(pattern, " ")
		if path != "/ws/" {
			path = api + path
		}
		mux.HandleFunc(method+" "+path, h)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f, ok := s.takeFault(r); ok {
			writeFault(w, f)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func writeFault(w http.ResponseWriter, f fault) {
	if f.status != http.StatusTooManyRequests {
		writeError(w, f.status, f.code, http.StatusText(f.status))
		return
	}
	w.Header().Set("X-RateLimit-Limit", "1")
	w.Header().Set("X-RateLimit-Remaining", "0")
	w.Header().Set("X-RateLimit-Reset-After", fmt.Sprint(f.retryAfter))
	w.Header().Set("X-RateLimit-Bucket", "test-bucket")
	writeJSON(w, http.StatusTooManyRequests, map[string]any{"message": "You are being rate limited.", "retry_after": f.retryAfter, "global": false})
}

func (s *Server) me(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, discordgo.User{ID: BotID, Username: "interlock", Bot: true})
}

func (s *Server) listChannels(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []*discordgo.Channel{}
	for _, ch := range s.channels {
		if !ch.IsThread() {
			out = append(out, copyChannel(ch))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) guildChannelCount() int {
	n := 0
	for _, ch := range s.channels {
		if !ch.IsThread() {
			n++
		}
	}
	return n
}

func (s *Server) createChannel(w http.ResponseWriter, r *http.Request) {
	var data discordgo.GuildChannelCreateData
	if !decode(w, r, &data) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.guildChannelCount() >= GuildChannelLimit {
		writeError(w, http.StatusBadRequest, discordgo.ErrCodeMaximumNumberOfGuildChannelsReached, "Maximum number of guild channels reached (500)")
		return
	}
	ch := &discordgo.Channel{
		ID: s.nextID(), GuildID: GuildID, Name: data.Name, Type: data.Type, Topic: data.Topic,
		ParentID: data.ParentID, PermissionOverwrites: data.PermissionOverwrites,
	}
	s.channels = append(s.channels, ch)
	s.notify()
	writeJSON(w, http.StatusCreated, ch)
}

func (s *Server) getChannel(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.channel(r.PathValue("ch"))
	if ch == nil {
		writeError(w, http.StatusNotFound, discordgo.ErrCodeUnknownChannel, "Unknown Channel")
		return
	}
	writeJSON(w, http.StatusOK, ch)
}

// editChannel applies the fields present in the body.
func (s *Server) editChannel(w http.ResponseWriter, r *http.Request) {
	var edit struct {
		Name                 *string                           `json:"name"`
		Topic                *string                           `json:"topic"`
		ParentID             *string                           `json:"parent_id"`
		PermissionOverwrites *[]*discordgo.PermissionOverwrite `json:"permission_overwrites"`
		Archived             *bool                             `json:"archived"`
		Locked               *bool                             `json:"locked"`
	}
	if !decode(w, r, &edit) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.channel(r.PathValue("ch"))
	if ch == nil {
		writeError(w, http.StatusNotFound, discordgo.ErrCodeUnknownChannel, "Unknown Channel")
		return
	}
	setIf(&ch.Name, edit.Name)
	setIf(&ch.Topic, edit.Topic)
	setIf(&ch.ParentID, edit.ParentID)
	setIf(&ch.PermissionOverwrites, edit.PermissionOverwrites)
	if edit.Archived != nil || edit.Locked != nil {
		if ch.ThreadMetadata == nil {
			ch.ThreadMetadata = &discordgo.ThreadMetadata{}
		}
		setIf(&ch.ThreadMetadata.Archived, edit.Archived)
		setIf(&ch.ThreadMetadata.Locked, edit.Locked)
	}
	s.notify()
	writeJSON(w, http.StatusOK, ch)
}

func (s *Server) setPermission(w http.ResponseWriter, r *http.Request) {
	var o discordgo.PermissionOverwrite
	if !decode(w, r, &o) {
		return
	}
	o.ID = r.PathValue("target")
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.channel(r.PathValue("ch"))
	if ch == nil {
		writeError(w, http.StatusNotFound, discordgo.ErrCodeUnknownChannel, "Unknown Channel")
		return
	}
	ch.PermissionOverwrites = slices.DeleteFunc(ch.PermissionOverwrites, func(x *discordgo.PermissionOverwrite) bool { return x.ID == o.ID })
	ch.PermissionOverwrites = append(ch.PermissionOverwrites, &o)
	s.notify()
	w.WriteHeader(http.StatusNoContent)
}

// createMessage stores a message, with the files of a multipart body; a
// repeated enforced nonce returns the message already created, as Discord
// does.
func (s *Server) createMessage(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Nonce           string          `json:"nonce"`
		EnforceNonce    bool            `json:"enforce_nonce"`
		AllowedMentions json.RawMessage `json:"allowed_mentions"`
	}
	m, up, ok := s.decodeMessage(w, r, &body)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	chID := r.PathValue("ch")
	if s.channel(chID) == nil && !strings.HasPrefix(chID, "dm-") {
		writeError(w, http.StatusNotFound, discordgo.ErrCodeUnknownChannel, "Unknown Channel")
		return
	}
	nonceKey := chID + "/" + body.Nonce
	if old, seen := s.nonces[nonceKey]; seen && body.EnforceNonce && body.Nonce != "" {
		writeJSON(w, http.StatusOK, old)
		return
	}
	m.ID, m.ChannelID = s.nextID(), chID
	m.Author = &discordgo.User{ID: BotID, Username: "interlock", Bot: true}
	s.attach(m, up)
	if up != nil {
		s.uploads[m.ID] = *up
	}
	s.messages[chID] = append(s.messages[chID], m)
	s.allowed[m.ID] = body.AllowedMentions
	if body.Nonce != "" {
		s.nonces[nonceKey] = m
	}
	s.notify()
	writeJSON(w, http.StatusOK, m)
}

func (s *Server) editMessage(w http.ResponseWriter, r *http.Request) {
	m, _, ok := s.decodeMessage(w, r, nil)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	chID, id := r.PathValue("ch"), r.PathValue("msg")
	i := slices.IndexFunc(s.messages[chID], func(x *discordgo.Message) bool { return x.ID == id })
	if i < 0 {
		writeError(w, http.StatusNotFound, discordgo.ErrCodeUnknownMessage, "Unknown Message")
		return
	}
	m.ID, m.ChannelID = id, chID
	s.messages[chID][i] = m
	s.notify()
	writeJSON(w, http.StatusOK, m)
}

func (s *Server) pin(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	chID, id := r.PathValue("ch"), r.PathValue("msg")
	if !slices.ContainsFunc(s.messages[chID], func(x *discordgo.Message) bool { return x.ID == id }) {
		writeError(w, http.StatusNotFound, discordgo.ErrCodeUnknownMessage, "Unknown Message")
		return
	}
	s.pins[chID] = append(s.pins[chID], id)
	s.notify()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) createThread(w http.ResponseWriter, r *http.Request) {
	var data discordgo.ThreadStart
	if !decode(w, r, &data) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	parent := s.channel(r.PathValue("ch"))
	if parent == nil {
		writeError(w, http.StatusNotFound, discordgo.ErrCodeUnknownChannel, "Unknown Channel")
		return
	}
	th := &discordgo.Channel{
		ID: s.nextID(), GuildID: GuildID, Name: data.Name, Type: data.Type, ParentID: parent.ID,
		ThreadMetadata: &discordgo.ThreadMetadata{AutoArchiveDuration: data.AutoArchiveDuration, Invitable: data.Invitable},
	}
	s.channels = append(s.channels, th)
	s.members[th.ID] = []string{BotID}
	s.notify()
	writeJSON(w, http.StatusCreated, th)
}

func (s *Server) addThreadMember(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	th := s.channel(r.PathValue("ch"))
	if th == nil || !th.IsThread() {
		writeError(w, http.StatusNotFound, discordgo.ErrCodeUnknownChannel, "Unknown Channel")
		return
	}
	if user := r.PathValue("user"); !slices.Contains(s.members[th.ID], user) {
		s.members[th.ID] = append(s.members[th.ID], user)
	}
	s.notify()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) createDM(w http.ResponseWriter, r *http.Request) {
	var body struct {
		RecipientID string `json:"recipient_id"`
	}
	if !decode(w, r, &body) {
		return
	}
	writeJSON(w, http.StatusOK, discordgo.Channel{ID: "dm-" + body.RecipientID, Type: discordgo.ChannelTypeDM})
}

func (s *Server) listCommands(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	writeJSON(w, http.StatusOK, append([]*discordgo.ApplicationCommand{}, s.commands...))
}

func (s *Server) overwriteCommands(w http.ResponseWriter, r *http.Request) {
	var cmds []*discordgo.ApplicationCommand
	if !decode(w, r, &cmds) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range cmds {
		c.ID, c.ApplicationID, c.GuildID, c.Version = s.nextID(), AppID, GuildID, "1"
	}
	s.commands = cmds
	s.writes++
	s.notify()
	writeJSON(w, http.StatusOK, cmds)
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, discordgo.ErrCodeInvalidFormBody, "Invalid Form Body: "+err.Error())
		return false
	}
	return true
}

// decodeMessage reads a message body (content, embeds, components, flags),
// JSON or multipart with files, and, when extra is set, other fields of
// the same body. The message's attachments are left for attach to fill.
func (s *Server) decodeMessage(w http.ResponseWriter, r *http.Request, extra any) (*discordgo.Message, *Upload, bool) {
	body, up, ok := s.readBody(w, r)
	if !ok {
		return nil, nil, false
	}
	var raw json.RawMessage
	if !decodeJSON(w, body, &raw) {
		return nil, nil, false
	}
	var m discordgo.Message
	if err := json.Unmarshal(withoutAttachments(raw), &m); err != nil {
		writeError(w, http.StatusBadRequest, discordgo.ErrCodeInvalidFormBody, "Invalid Form Body: "+err.Error())
		return nil, nil, false
	}
	if extra != nil {
		_ = json.Unmarshal(raw, extra) // the message decoded, so this does too
	}
	return &m, up, true
}

func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
