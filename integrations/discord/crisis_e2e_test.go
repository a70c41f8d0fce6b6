package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/bot/bottest"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/crisis"
	"github.com/interlock-coe/interlock/commands/role"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/integrations/discord/discordtest"
	"github.com/interlock-coe/interlock/store"
)

// crewIDs are the Discord user ids given to the example configuration's
// people in these tests.
var crewIDs = map[string]string{
	"alex": "400000000000000001", "sam": "400000000000000002", "maria": "400000000000000003",
	"dana": "400000000000000004", "lee": "400000000000000005",
}

// crewConfig is the example configuration with a discord_id for each of crewIDs.
func crewConfig(t *testing.T) string {
	t.Helper()
	yaml := string(config.Example())
	for handle, id := range crewIDs {
		line := "    email: " + handle + "@example.com\n"
		if !strings.Contains(yaml, line) {
			t.Fatalf("the example configuration has no line %q", line)
		}
		yaml = strings.Replace(yaml, line, line+"    discord_id: \""+id+"\"\n", 1)
	}
	return yaml
}

// discordCrisis is the real /crisis feature on the commandstest harness,
// with the Discord adapter as its chat, against the local Discord. Its
// embedded harness sends signed interactions to the adapter.
type discordCrisis struct {
	*harness
	cmd *commandstest.Harness
}

func newDiscordCrisis(t *testing.T) *discordCrisis {
	t.Helper()
	yaml := crewConfig(t)
	cfg, err := config.Parse([]byte(yaml), "crew.yaml")
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, srv: discordtest.NewServer(t), signer: discordtest.NewSigner(), clock: fixedClock{now: commandstest.Start}}
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	register := func(r *bot.Router, d commands.Deps) { crisis.Register(r, d, d.Store) }
	build := func(r *bot.Router) bot.Chat {
		a, err := New(Options{
			BotToken: "test-token", AppID: discordtest.AppID, PublicKey: h.signer.PublicKeyHex(),
			GuildID: discordtest.GuildID, APIURL: h.srv.URL, Directory: cfg, Dispatcher: r,
			Logger: log, Clock: h.clock, DeferAfter: time.Hour, Buttons: bottest.NewButtons(),
		})
		if err != nil {
			t.Fatal(err)
		}
		a.session.Client.Transport.(*retryTransport).backoff = time.Millisecond
		h.a, h.router = a, r
		return a
	}
	d := &discordCrisis{harness: h}
	d.cmd = commandstest.New(t, []commandstest.Register{role.Register, register},
		commandstest.WithConfig(yaml), commandstest.WithChat(build))
	h.mux = http.NewServeMux()
	h.a.Routes(h.mux)
	h.social = h.srv.AddChannel("social")
	t.Cleanup(h.wait)
	for _, line := range []string{
		"/role assign comms @sam",
		"/role assign legal @dana",
		"/role assign spokesperson @maria",
		"/role assign customer-care @lee",
	} {
		if r := d.cmd.Say(line); r.Err != nil {
			t.Fatalf("%s: %v", line, r.Err)
		}
	}
	return d
}

// openCrisis is the interaction for "/crisis open sev2 Checkout outage
// --brand acme" typed by alex in #social.
func (d *discordCrisis) openCrisis(id string) []byte {
	return discordtest.Command(id, d.social, crewIDs["alex"], "crisis", discordtest.Sub("open",
		discordtest.String("sev", "sev2"),
		discordtest.String("title", "Checkout outage"),
		discordtest.String("brand", "acme"),
	))
}

// open opens the crisis and returns its room.
func (d *discordCrisis) open(id string) *discordgo.Channel {
	d.t.Helper()
	_, msg := d.answer(d.post(d.openCrisis(id)))
	d.wait()
	if text := messageText(msg); !strings.Contains(text, "Crisis #1 opened (sev2): Checkout outage → #crisis-20261123-checkout-outage") ||
		strings.Contains(text, "pending") {
		d.t.Fatalf("answer to /crisis open: %q", text)
	}
	room, ok := d.srv.ChannelByName("crisis-20261123-checkout-outage")
	if !ok {
		d.t.Fatalf("no crisis room among %v", names(d.srv.Channels()))
	}
	return room
}

func TestDiscordCrisisOpenEndToEnd(t *testing.T) {
	d := newDiscordCrisis(t)
	url := "http://interlock.test" + InteractionsPath
	if w := d.serve(d.signer.BadRequest(url, d.openCrisis("700000000000002000"), d.clock.now)); w.Code != http.StatusUnauthorized {
		t.Fatalf("bad signature answered %d, want 401", w.Code)
	}
	if got := names(d.srv.Channels()); !slices.Equal(got, []string{"social"}) {
		t.Fatalf("after a refused interaction the channels are %v", got)
	}

	room := d.open("700000000000002001")
	category, _ := d.srv.Channel(room.ParentID)
	if category == nil || category.Name != "Crisis rooms" || category.Type != discordgo.ChannelTypeGuildCategory {
		t.Fatalf("room parent = %+v, want the Crisis rooms category", category)
	}
	want := map[string]string{
		discordtest.GuildID: "role deny=view",
		discordtest.BotID:   "member allow=" + perms(botAllow),
	}
	for _, id := range crewIDs {
		want[id] = "member allow=" + perms(memberAllow)
	}
	if got := overwrites(room); !mapsEqual(got, want) {
		t.Fatalf("overwrites = %v\nwant exactly @everyone, the bot, alex, sam, maria, dana, lee: %v", got, want)
	}
	if !strings.HasPrefix(room.Topic, "sev2 · Checkout outage · acme") {
		t.Errorf("topic = %q", room.Topic)
	}
	d.checkBrief(t, room)
}

// checkBrief checks that the room holds one message, the brief embed with
// the holding statement, and that it is pinned.
func (d *discordCrisis) checkBrief(t *testing.T, room *discordgo.Channel) {
	t.Helper()
	posts := d.srv.Messages(room.ID)
	if len(posts) != 1 || len(posts[0].Embeds) != 1 {
		t.Fatalf("room messages = %+v, want the brief once", posts)
	}
	brief := posts[0].Embeds[0]
	sev, _ := d.cmd.Deps.Config.Severity("sev2")
	if brief.Title != "🚨 SEV2 — Checkout outage (acme)" || len(brief.Fields) == 0 ||
		brief.Fields[0].Name != "Holding statement (pre-approved)" || brief.Fields[0].Value != sev.HoldingStatement {
		t.Errorf("brief = %+v", brief)
	}
	if !slices.ContainsFunc(brief.Fields, func(f *discordgo.MessageEmbedField) bool {
		return f.Name == "Spokesperson" && strings.Contains(f.Value, "<@"+crewIDs["maria"]+">")
	}) {
		t.Errorf("brief does not name maria's Discord account as spokesperson: %+v", brief.Fields)
	}
	if pins := d.srv.Pins(room.ID); !slices.Equal(pins, []string{posts[0].ID}) {
		t.Errorf("pins = %v, want the brief %s", pins, posts[0].ID)
	}
}

func TestDiscordCrisisBriefSurvivesRateLimit(t *testing.T) {
	d := newDiscordCrisis(t)
	// The brief is the first message posted over REST: the answer to
	// /crisis open is the interaction response.
	d.srv.RateLimitNext(http.MethodPost, "/messages", 0.01)
	room := d.open("700000000000002101")
	d.checkBrief(t, room)
	posts := 0
	for _, r := range d.srv.Requests() {
		if r == "POST /api/v9/channels/"+room.ID+"/messages" {
			posts++
		}
	}
	if posts != 2 {
		t.Errorf("brief posts = %d, want the 429 and its retry", posts)
	}
}

func TestDiscordCrisisApprovalButtons(t *testing.T) {
	d := newDiscordCrisis(t)
	room := d.open("700000000000002201")
	propose := discordtest.Command("700000000000002202", room.ID, crewIDs["alex"], "crisis", discordtest.Sub("propose",
		discordtest.String("response", "We know checkout is failing and are fixing it.")))
	_, msg := d.answer(d.post(propose))
	d.wait()
	if text := messageText(msg); !strings.Contains(text, "Proposal #1") {
		t.Fatalf("answer to /crisis propose: %q", text)
	}
	for _, approver := range []string{"sam", "dana"} {
		asks := d.srv.Messages("dm-" + crewIDs[approver])
		if len(asks) != 1 || !slices.Contains(customIDs(asks[0]), "/crisis approve 1") {
			t.Fatalf("approval request to %s = %+v", approver, asks)
		}
	}

	for i, vote := range []struct{ person, want string }{
		{"sam", "approved proposal #1 as comms (1 of 2)"},
		{"dana", "is approved — quorum met"},
	} {
		id := fmt.Sprintf("7000000000000023%02d", i+1)
		_, msg := d.answer(d.post(discordtest.Button(id, "dm-"+crewIDs[vote.person], crewIDs[vote.person], "/crisis approve 1")))
		d.wait()
		if msg.Flags != discordgo.MessageFlagsEphemeral || !strings.Contains(messageText(msg), vote.want) {
			t.Errorf("%s's click answered %q (flags %d), want a private %q", vote.person, messageText(msg), msg.Flags, vote.want)
		}
		posts := d.srv.Messages(room.ID)
		if last := messageText(posts[len(posts)-1]); !strings.Contains(last, vote.want) {
			t.Fatalf("after %s's click the room last read %q, want %q", vote.person, last, vote.want)
		}
	}
	p, err := d.cmd.Store.Proposal(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != store.ProposalApproved {
		t.Fatalf("proposal #1 is %s, want approved", p.Status)
	}
}

// messageText joins a message's content and the text of its embeds.
func messageText(m *discordgo.Message) string {
	parts := []string{m.Content}
	for _, e := range m.Embeds {
		parts = append(parts, e.Title, e.Description)
		for _, f := range e.Fields {
			parts = append(parts, f.Name+": "+f.Value)
		}
	}
	return strings.Join(parts, "\n")
}

// TestDiscordCrisisAnsweredButtons clicks the buttons of approval requests:
// Approve updates the request in place (UPDATE_MESSAGE) to say who
// approved, without buttons; Reject opens a form (MODAL) whose submission
// rejects with the reason typed, and updates the request the same way.
func TestDiscordCrisisAnsweredButtons(t *testing.T) {
	d := newDiscordCrisis(t)
	room := d.open("700000000000002401")
	d.answer(d.post(discordtest.Command("700000000000002402", room.ID, crewIDs["alex"], "crisis", discordtest.Sub("propose",
		discordtest.String("response", "We know checkout is failing and are fixing it.")))))
	d.wait()
	ask := func(person string) (*discordgo.Message, []string) {
		asks := d.srv.Messages("dm-" + crewIDs[person])
		if len(asks) != 1 {
			t.Fatalf("approval requests to %s: %+v", person, asks)
		}
		return asks[0], customIDs(asks[0])
	}

	samAsk, ids := ask("sam")
	if len(ids) != 2 || ids[0] != "/crisis approve 1" {
		t.Fatalf("approval request buttons %q", ids)
	}
	typ, msg := d.answer(d.post(discordtest.Click("700000000000002403", samAsk.ChannelID, crewIDs["sam"], samAsk.ID, ids[0])))
	d.wait()
	wantSam := "Approved by <@" + crewIDs["sam"] + "> as comms"
	if typ != discordgo.InteractionResponseUpdateMessage || !strings.Contains(messageText(msg), wantSam) || len(msg.Components) != 0 {
		t.Fatalf("sam's click answered type %d %q with %d component rows, want an update saying %q without buttons",
			typ, messageText(msg), len(msg.Components), wantSam)
	}

	danaAsk, ids := ask("dana")
	w := d.post(discordtest.Click("700000000000002404", danaAsk.ChannelID, crewIDs["dana"], danaAsk.ID, ids[1]))
	var form struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data struct {
			CustomID   string `json:"custom_id"`
			Title      string `json:"title"`
			Components []struct {
				Components []struct {
					CustomID string `json:"custom_id"`
					Required bool   `json:"required"`
				} `json:"components"`
			} `json:"components"`
		} `json:"data"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &form); err != nil {
		t.Fatal(err)
	}
	if form.Type != discordgo.InteractionResponseModal || form.Data.CustomID != ids[1] || form.Data.Title == "" ||
		len(form.Data.Components) != 1 || len(form.Data.Components[0].Components) != 1 || !form.Data.Components[0].Components[0].Required {
		t.Fatalf("Reject answered %s, want a form with one required field", w.Body)
	}
	if p := d.proposal(t); p.Status != store.ProposalPending {
		t.Fatalf("opening the form changed proposal #1 to %s", p.Status)
	}
	field := form.Data.Components[0].Components[0].CustomID
	typ, msg = d.answer(d.post(discordtest.Submit("700000000000002405", danaAsk.ChannelID, crewIDs["dana"], danaAsk.ID, form.Data.CustomID, field, "Too defensive, soften it")))
	d.wait()
	wantDana := "Rejected by <@" + crewIDs["dana"] + "> as legal: Too defensive, soften it"
	if typ != discordgo.InteractionResponseUpdateMessage || !strings.Contains(messageText(msg), wantDana) || len(msg.Components) != 0 {
		t.Fatalf("dana's form answered type %d %q, want an update saying %q without buttons", typ, messageText(msg), wantDana)
	}
	if p := d.proposal(t); p.Status != store.ProposalRejected {
		t.Fatalf("proposal #1 is %s, want rejected", p.Status)
	}
	posts := d.srv.Messages(room.ID)
	if last := messageText(posts[len(posts)-1]); !strings.Contains(last, "Too defensive, soften it") {
		t.Fatalf("the room last read %q, want the rejection with the typed reason", last)
	}
}

func (d *discordCrisis) proposal(t *testing.T) store.Proposal {
	t.Helper()
	p, err := d.cmd.Store.Proposal(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
