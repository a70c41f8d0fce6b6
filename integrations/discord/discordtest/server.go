// Package discordtest is a local Discord for tests. Its REST server keeps
// one guild's channels, permission overwrites, messages, pins, threads and
// application commands, records interaction answers (callbacks and webhook
// follow-ups) and the files of multipart requests, and can fail or
// rate-limit chosen requests; its gateway
// delivers interactions over a websocket. Point an adapter at it with
// Server.URL as the API URL.
package discordtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"

	"github.com/bwmarrin/discordgo"
)

// Identifiers of the test guild.
const (
	GuildID = "100000000000000001"
	AppID   = "100000000000000002"
	BotID   = "100000000000000003"
)

// GuildChannelLimit is Discord's limit of channels in a guild (threads
// excluded); creating one more fails with error 30013.
const GuildChannelLimit = 500

// Call is one answer to an interaction, in the order Discord received it.
type Call struct {
	Kind    string // "callback", "followup", "edit" or "delete"
	Token   string // the interaction token
	Type    discordgo.InteractionResponseType
	Message *discordgo.Message // content, embeds, components, flags and attachments
	Data    json.RawMessage    // a callback's data as sent (a modal's title and custom id)
	Upload  *Upload            // the multipart request, for an answer with files
}

// Server is a local Discord REST API and gateway.
type Server struct {
	URL string // use as DISCORD_API_URL

	srv       *httptest.Server
	mu        sync.Mutex
	changed   chan struct{} // closed and replaced on every recorded change
	seq       int64
	channels  []*discordgo.Channel
	messages  map[string][]*discordgo.Message
	allowed   map[string]json.RawMessage    // message id -> allowed_mentions as sent
	nonces    map[string]*discordgo.Message // channel/nonce -> message
	uploads   map[string]Upload             // message id -> its multipart request
	fileLimit int64
	pins      map[string][]string
	members   map[string][]string // thread id -> user ids
	commands  []*discordgo.ApplicationCommand
	writes    int
	calls     []Call
	requests  []string
	faults    []fault
	gateway   gateway
}

// fault is a queued failure for the next matching request.
type fault struct {
	method, pathPart string
	status, code     int
	retryAfter       float64
}

// NewServer starts a local Discord; it stops when the test ends.
func NewServer(t interface{ Cleanup(func()) }) *Server {
	s := newServer()
	s.srv = httptest.NewServer(s.handler())
	s.URL = s.srv.URL
	t.Cleanup(s.Close)
	return s
}

// NewServerOn starts a local Discord on ln, a listener of the caller's: a
// test that starts it late, on an address the client was given, plays a
// Discord that refused connections until then.
func NewServerOn(t interface{ Cleanup(func()) }, ln net.Listener) *Server {
	s := newServer()
	s.srv = httptest.NewUnstartedServer(s.handler())
	s.srv.Listener.Close()
	s.srv.Listener = ln
	s.srv.Start()
	s.URL = s.srv.URL
	t.Cleanup(s.Close)
	return s
}

func newServer() *Server {
	return &Server{
		changed:   make(chan struct{}),
		messages:  map[string][]*discordgo.Message{},
		allowed:   map[string]json.RawMessage{},
		nonces:    map[string]*discordgo.Message{},
		uploads:   map[string]Upload{},
		fileLimit: DefaultFileLimit,
		pins:      map[string][]string{},
		members:   map[string][]string{},
		seq:       200000000000000000,
	}
}

// Close stops the server and drops gateway connections.
func (s *Server) Close() {
	s.gateway.close()
	s.srv.Close()
}

// RateLimitNext answers the next request with this method whose path
// contains pathPart with a 429 asking to retry after retryAfter seconds.
func (s *Server) RateLimitNext(method, pathPart string, retryAfter float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, fault{method: method, pathPart: pathPart, status: http.StatusTooManyRequests, retryAfter: retryAfter})
}

// FailNext answers the next matching request with status and a Discord
// error code (0 for none): a 5xx, or 400 with code 30013, say.
func (s *Server) FailNext(method, pathPart string, status, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, fault{method: method, pathPart: pathPart, status: status, code: code})
}

// AddChannel adds a text channel and returns its id.
func (s *Server) AddChannel(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := &discordgo.Channel{ID: s.nextID(), GuildID: GuildID, Name: name, Type: discordgo.ChannelTypeGuildText}
	s.channels = append(s.channels, ch)
	return ch.ID
}

// AddChannels adds n plain text channels, to bring the guild near its limit.
func (s *Server) AddChannels(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range n {
		s.channels = append(s.channels, &discordgo.Channel{ID: s.nextID(), GuildID: GuildID, Name: fmt.Sprintf("filler-%d", i), Type: discordgo.ChannelTypeGuildText})
	}
}

// Channels returns copies of the guild's channels and threads.
func (s *Server) Channels() []*discordgo.Channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*discordgo.Channel, 0, len(s.channels))
	for _, ch := range s.channels {
		out = append(out, copyChannel(ch))
	}
	return out
}

// Channel returns a copy of a channel or thread by id.
func (s *Server) Channel(id string) (*discordgo.Channel, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ch := s.channel(id); ch != nil {
		return copyChannel(ch), true
	}
	return nil, false
}

// ChannelByName returns a copy of the first channel or thread with name.
func (s *Server) ChannelByName(name string) (*discordgo.Channel, bool) {
	for _, ch := range s.Channels() {
		if ch.Name == name {
			return ch, true
		}
	}
	return nil, false
}

// AllowedMentions returns the allowed_mentions object a message was
// created with, exactly as sent (nil when it had none).
func (s *Server) AllowedMentions(messageID string) json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.allowed[messageID]
}

// Messages returns the messages of a channel, oldest first.
func (s *Server) Messages(channelID string) []*discordgo.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.messages[channelID])
}

// Pins returns the ids of the pinned messages of a channel.
func (s *Server) Pins(channelID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.pins[channelID])
}

// ThreadMembers returns the user ids added to a thread (the bot first).
func (s *Server) ThreadMembers(threadID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.members[threadID])
}

// Commands returns the registered application commands.
func (s *Server) Commands() []*discordgo.ApplicationCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.commands)
}

// CommandWrites counts bulk overwrites of the application commands.
func (s *Server) CommandWrites() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes
}

// Calls returns the answers to the interaction with token ("" for all).
func (s *Server) Calls(token string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if token == "" || c.Token == token {
			out = append(out, c)
		}
	}
	return out
}

// WaitCalls waits until the interaction with token has n answers, or ctx
// ends.
func (s *Server) WaitCalls(ctx context.Context, token string, n int) ([]Call, error) {
	for {
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		if calls := s.Calls(token); len(calls) >= n {
			return calls, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return s.Calls(token), fmt.Errorf("waiting for %d answers to %s: %w", n, token, ctx.Err())
		}
	}
}

// Requests returns "METHOD /path" of every request received.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// notify wakes WaitCalls; the caller holds s.mu.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) nextID() string {
	s.seq++
	return fmt.Sprint(s.seq)
}

func (s *Server) channel(id string) *discordgo.Channel {
	for _, ch := range s.channels {
		if ch.ID == id {
			return ch
		}
	}
	return nil
}

// takeFault removes and returns the first fault matching r.
func (s *Server) takeFault(r *http.Request) (fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r.Method+" "+r.URL.Path)
	for i, f := range s.faults {
		if f.method == r.Method && strings.Contains(r.URL.Path, f.pathPart) {
			s.faults = slices.Delete(s.faults, i, i+1)
			return f, true
		}
	}
	return fault{}, false
}

func copyChannel(ch *discordgo.Channel) *discordgo.Channel {
	c := *ch
	c.PermissionOverwrites = nil
	for _, o := range ch.PermissionOverwrites {
		oc := *o
		c.PermissionOverwrites = append(c.PermissionOverwrites, &oc)
	}
	return &c
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers like Discord: {"message": …, "code": …}.
func writeError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{"message": msg, "code": code})
}
