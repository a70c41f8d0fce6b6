package discord

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/bot/bottest"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/content"
	"github.com/interlock-coe/interlock/commands/role"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/integrations/discord/discordtest"
	"github.com/interlock-coe/interlock/store"
)

// newDiscordContent is the real /content feature on the commandstest
// harness, with the Discord adapter as its chat, against the local Discord.
func newDiscordContent(t *testing.T) *discordCrisis {
	t.Helper()
	yaml := crewConfig(t)
	cfg, err := config.Parse([]byte(yaml), "crew.yaml")
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, srv: discordtest.NewServer(t), signer: discordtest.NewSigner(), clock: fixedClock{now: commandstest.Start}}
	build := func(r *bot.Router) bot.Chat {
		a, err := New(Options{
			BotToken: "test-token", AppID: discordtest.AppID, PublicKey: h.signer.PublicKeyHex(),
			GuildID: discordtest.GuildID, APIURL: h.srv.URL, Directory: cfg, Dispatcher: r,
			Logger: slog.New(slog.DiscardHandler), Clock: h.clock, DeferAfter: time.Hour, Buttons: bottest.NewButtons(),
		})
		if err != nil {
			t.Fatal(err)
		}
		a.session.Client.Transport.(*retryTransport).backoff = time.Millisecond
		h.a, h.router = a, r
		return a
	}
	d := &discordCrisis{harness: h}
	d.cmd = commandstest.New(t, []commandstest.Register{role.Register, content.Register},
		commandstest.WithConfig(yaml), commandstest.WithChat(build))
	h.mux = http.NewServeMux()
	h.a.Routes(h.mux)
	t.Cleanup(h.wait)
	for _, line := range []string{"/role assign comms @sam", "/role assign legal @dana"} {
		if r := d.cmd.Say(line); r.Err != nil {
			t.Fatalf("%s: %v", line, r.Err)
		}
	}
	return d
}

// TestDiscordContentAnsweredButtons: Approve on a content approval request
// updates it in place to say who approved; Request changes opens a form
// whose text sends the item back, and updates the request with it.
func TestDiscordContentAnsweredButtons(t *testing.T) {
	d := newDiscordContent(t)
	if r := d.cmd.Say("/content submit Launch post --link https://drive.example.com/d/1 --sensitivity high"); r.Err != nil {
		t.Fatal(r.Err)
	}
	d.wait()
	ask := func(person string) (*discordgo.Message, []string) {
		asks := d.srv.Messages("dm-" + crewIDs[person])
		if len(asks) != 1 {
			t.Fatalf("approval requests to %s: %+v", person, asks)
		}
		return asks[0], customIDs(asks[0])
	}
	samAsk, ids := ask("sam")
	if len(ids) != 3 || ids[0] != "/content approve 1" {
		t.Fatalf("approval request buttons %q", ids)
	}
	typ, msg := d.answer(d.post(discordtest.Click("700000000000003401", samAsk.ChannelID, crewIDs["sam"], samAsk.ID, ids[0])))
	d.wait()
	wantSam := "Approved by <@" + crewIDs["sam"] + "> as comms (stage comms, version 1)"
	if typ != discordgo.InteractionResponseUpdateMessage || !strings.Contains(messageText(msg), wantSam) || len(msg.Components) != 0 {
		t.Fatalf("sam's click answered type %d %q with %d component rows, want an update saying %q without buttons",
			typ, messageText(msg), len(msg.Components), wantSam)
	}

	danaAsk, ids := ask("dana")
	w := d.post(discordtest.Click("700000000000003402", danaAsk.ChannelID, crewIDs["dana"], danaAsk.ID, ids[1]))
	var form struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data struct {
			CustomID   string `json:"custom_id"`
			Components []struct {
				Components []struct {
					CustomID string `json:"custom_id"`
				} `json:"components"`
			} `json:"components"`
		} `json:"data"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &form); err != nil {
		t.Fatal(err)
	}
	if form.Type != discordgo.InteractionResponseModal || len(form.Data.Components) != 1 || len(form.Data.Components[0].Components) != 1 {
		t.Fatalf("Request changes answered %s, want a form with one field", w.Body)
	}
	if it, _ := d.cmd.Store.ContentItem(context.Background(), 1); it.Status != store.ContentInReview {
		t.Fatalf("opening the form changed content #1 to %s", it.Status)
	}
	field := form.Data.Components[0].Components[0].CustomID
	typ, msg = d.answer(d.post(discordtest.Submit("700000000000003403", danaAsk.ChannelID, crewIDs["dana"], danaAsk.ID, form.Data.CustomID, field, "Add the disclaimer")))
	d.wait()
	wantDana := "Changes requested by <@" + crewIDs["dana"] + "> as legal (stage legal, version 1):"
	if typ != discordgo.InteractionResponseUpdateMessage || !strings.Contains(messageText(msg), wantDana) ||
		!strings.Contains(messageText(msg), "Add the disclaimer") || len(msg.Components) != 0 {
		t.Fatalf("dana's form answered type %d %q, want an update saying %q without buttons", typ, messageText(msg), wantDana)
	}
	if it, _ := d.cmd.Store.ContentItem(context.Background(), 1); it.Status != store.ContentChanges {
		t.Fatalf("content #1 is %s, want changes-requested", it.Status)
	}
}
