package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/bot/bottest"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/integrations/discord/discordtest"
)

// Discord ids of the test people.
const (
	leadID = "300000000000000001"
	danaID = "300000000000000002"
	leeID  = "300000000000000003"
	samID  = "300000000000000004"
)

// directory is a person directory keyed by handle.
type directory map[string]config.Person

func (d directory) Person(id string) (config.Person, bool) {
	p, ok := d[id]
	return p, ok
}

func (d directory) PersonByDiscordID(id string) (config.Person, bool) {
	for _, p := range d {
		if p.DiscordID == id {
			return p, true
		}
	}
	return config.Person{}, false
}

var people = directory{
	"lead":  {ID: "lead", DiscordID: leadID},
	"dana":  {ID: "dana", DiscordID: danaID},
	"lee":   {ID: "lee", DiscordID: leeID},
	"sam":   {ID: "sam", DiscordID: samID},
	"ghost": {ID: "ghost"}, // not on Discord
}

type fixedClock struct{ now time.Time }

func (c fixedClock) Now() time.Time { return c.now }

// drill holds what the test commands did, standing in for /crisis.
type drill struct {
	chat      bot.Chat
	release   chan struct{} // /drill slow, hush and settle wait for it
	mu        sync.Mutex
	texts     []string // typed text of every request, in order
	approvals []string // "proposal by person"
}

// commands are test commands that do what /crisis open does through
// bot.Chat, plus an approve button and slow commands.
func (d *drill) commands() []bot.Command {
	return []bot.Command{
		{Group: "drill", Name: "open", Args: "<sev1|sev2|sev3|sev4> <title…> [--brand B]", Summary: "Open a crisis room",
			Options: []string{"brand"}, MinWords: 2, Handler: d.open},
		{Group: "drill", Name: "approve", Args: "<proposal-id>", Summary: "Approve a proposed response", MinWords: 1, Handler: d.approve},
		{Group: "drill", Name: "slow", Summary: "Answer after a while", Handler: d.slow(false)},
		{Group: "drill", Name: "hush", Summary: "Answer privately after a while", Handler: d.slow(true)},
		{Group: "drill", Name: "settle", Summary: "Replace the clicked message after a while", Handler: func(ctx context.Context, c *bot.Context) error {
			d.record(c)
			select {
			case <-d.release:
			case <-ctx.Done():
				return ctx.Err()
			}
			return c.ReplaceClicked(bot.Message{Text: "settled by @" + c.User})
		}},
		{Group: "drill", Name: "whisper", Summary: "Answer privately", Handler: func(_ context.Context, c *bot.Context) error {
			d.record(c)
			return c.Privatef("only for @%s", c.User)
		}},
	}
}

func (d *drill) record(c *bot.Context) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.texts = append(d.texts, c.Text)
}

func (d *drill) open(ctx context.Context, c *bot.Context) error {
	d.record(c)
	sev, title := c.Args.Word(0), c.Args.Text(1)
	room, err := d.chat.CreateRoom(ctx, bot.RoomSpec{Name: "crisis-1-" + title, Topic: "Crisis #1 · " + sev, Private: true})
	if err != nil {
		return err
	}
	var unknown *bot.UnknownPeopleError
	if err := d.chat.Invite(ctx, room.ID, []string{c.User, "dana", "lee", "ghost"}); err != nil && !errors.As(err, &unknown) {
		return err
	}
	if err := d.chat.SetTopic(ctx, room.ID, strings.ToUpper(sev)+" · "+title); err != nil {
		return err
	}
	ref, err := d.chat.Post(ctx, room.ID, bot.Message{
		Title: "Crisis #1: " + title, Text: "Holding statement proposed as #1. Approvers: @dana.",
		Fields:  []bot.Field{{Title: "Severity", Value: sev}, {Title: "Brand", Value: c.Args.Flag("brand")}},
		Buttons: []bot.Button{{Label: "Approve #1", Command: "/drill approve 1", Style: bot.StylePrimary}},
		Footer:  "Opened by @" + c.User,
	})
	if err != nil {
		return err
	}
	if err := d.chat.(bot.Pinner).Pin(ctx, ref); err != nil {
		return err
	}
	return c.Replyf("Opened crisis room #%s", room.Name)
}

func (d *drill) approve(_ context.Context, c *bot.Context) error {
	d.record(c)
	id, err := bot.ParseID(c.Args.Word(0))
	if err != nil {
		return err
	}
	d.mu.Lock()
	d.approvals = append(d.approvals, fmt.Sprintf("#%d by %s", id, c.User))
	d.mu.Unlock()
	return c.Replyf("Proposal #%d approved by @%s", id, c.User)
}

func (d *drill) slow(private bool) bot.Handler {
	return func(ctx context.Context, c *bot.Context) error {
		d.record(c)
		select {
		case <-d.release:
		case <-ctx.Done():
			return ctx.Err()
		}
		if private {
			return c.Privatef("quietly done")
		}
		return c.Replyf("slow done")
	}
}

// harness is an Adapter wired to a local Discord and a real router.
type harness struct {
	t      testing.TB
	srv    *discordtest.Server
	signer *discordtest.Signer
	a      *Adapter
	router *bot.Router
	mux    *http.ServeMux
	clock  fixedClock
	drill  *drill
	social string // the channel commands are typed in
}

func newHarness(t testing.TB, configure ...func(*Options)) *harness {
	t.Helper()
	h := &harness{t: t, srv: discordtest.NewServer(t), signer: discordtest.NewSigner(),
		clock: fixedClock{now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}}
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	h.router = bot.NewRouter(log, nil, nil)
	h.drill = &drill{release: make(chan struct{})}
	h.router.Register(h.drill.commands()...)
	opts := Options{
		BotToken: "test-token", AppID: discordtest.AppID, PublicKey: h.signer.PublicKeyHex(),
		GuildID: discordtest.GuildID, APIURL: h.srv.URL, Directory: people, Dispatcher: h.router,
		Logger: log, Clock: h.clock, DeferAfter: time.Hour, Buttons: bottest.NewButtons(),
	}
	for _, c := range configure {
		c(&opts)
	}
	a, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	h.a, h.drill.chat = a, a
	a.session.Client.Transport.(*retryTransport).backoff = time.Millisecond
	h.mux = http.NewServeMux()
	a.Routes(h.mux)
	h.social = h.srv.AddChannel("social")
	t.Cleanup(func() { h.wait() })
	return h
}

// post sends a signed interaction to the HTTP endpoint.
func (h *harness) post(body []byte) *httptest.ResponseRecorder {
	return h.serve(h.signer.Request("http://interlock.test"+InteractionsPath, body, h.clock.now))
}

func (h *harness) serve(r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.mux.ServeHTTP(w, r)
	return w
}

// wait waits for the interactions in progress to finish.
func (h *harness) wait() { h.a.work.Wait() }

// answer decodes the HTTP answer to an interaction.
func (h *harness) answer(w *httptest.ResponseRecorder) (discordgo.InteractionResponseType, *discordgo.Message) {
	h.t.Helper()
	if w.Code != http.StatusOK {
		h.t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var resp struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data json.RawMessage                   `json:"data"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
		h.t.Fatalf("answer %s: %v", w.Body, err)
	}
	m := &discordgo.Message{}
	if len(resp.Data) > 0 {
		if err := json.Unmarshal(resp.Data, m); err != nil {
			h.t.Fatalf("answer data %s: %v", resp.Data, err)
		}
	}
	return resp.Type, m
}

func (h *harness) texts() []string {
	h.drill.mu.Lock()
	defer h.drill.mu.Unlock()
	return append([]string(nil), h.drill.texts...)
}
