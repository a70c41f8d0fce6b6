package discord

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/bot/bottest"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/role"
	"github.com/interlock-coe/interlock/commands/route"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/integrations/discord/discordtest"
)

// TestInboxTextNeverSpeaksForStaff routes an inbox message whose author
// and text imitate staff and mentions through the real /route feature and
// the Discord adapter: nothing in it is resolved or allowed to notify, and
// only the liaison is mentioned, in the message's content.
func TestInboxTextNeverSpeaksForStaff(t *testing.T) {
	yaml := crewConfig(t)
	cfg, err := config.Parse([]byte(yaml), "crew.yaml")
	if err != nil {
		t.Fatal(err)
	}
	srv := discordtest.NewServer(t)
	care := srv.AddChannel("customer-care")
	var svc *route.Service
	build := func(r *bot.Router) bot.Chat {
		a, err := New(Options{
			BotToken: "test-token", AppID: discordtest.AppID, PublicKey: discordtest.NewSigner().PublicKeyHex(),
			GuildID: discordtest.GuildID, APIURL: srv.URL, Directory: cfg, Dispatcher: r,
			Logger: slog.New(slog.DiscardHandler), Clock: fixedClock{now: commandstest.Start}, DeferAfter: time.Hour,
			Buttons: bottest.NewButtons(),
		})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	routes := func(r *bot.Router, d commands.Deps) { svc = route.Register(r, d, nil) }
	h := commandstest.New(t, []commandstest.Register{role.Register, routes}, commandstest.WithConfig(yaml), commandstest.WithChat(build))
	if r := h.Say("/role assign customer-care @lee"); r.Err != nil {
		t.Fatal(r.Err)
	}
	const text = "<@123> @everyone <!channel> <#C1> @sam where is my refund?"
	_, _, err = svc.Ingest(context.Background(), route.Message{
		Source: "inbox", ExternalID: "m-1", Platform: "x", Author: "@alex", Text: text,
	})
	if err != nil {
		t.Fatal(err)
	}
	posts := srv.Messages(care)
	if len(posts) != 1 {
		t.Fatalf("posts in #customer-care = %d, want 1", len(posts))
	}
	post := posts[0]
	leeMention := "<@" + crewIDs["lee"] + ">"
	if !strings.Contains(post.Content, leeMention) {
		t.Errorf("content = %q, want the liaison's mention %s", post.Content, leeMention)
	}
	var allowed struct {
		Parse []string `json:"parse"`
		Users []string `json:"users"`
	}
	raw := srv.AllowedMentions(post.ID)
	if err := json.Unmarshal(raw, &allowed); err != nil || allowed.Parse == nil || len(allowed.Parse) != 0 ||
		len(allowed.Users) != 1 || allowed.Users[0] != crewIDs["lee"] {
		t.Errorf("allowed_mentions = %s, want {\"parse\":[],\"users\":[%q]}", raw, crewIDs["lee"])
	}
	shown := messageText(post)
	for _, resolved := range []string{"<@" + crewIDs["alex"] + ">", "<@" + crewIDs["sam"] + ">"} {
		if strings.Contains(shown, resolved) {
			t.Errorf("outside text was resolved to a person (%s):\n%s", resolved, shown)
		}
	}
	for _, verbatim := range []string{`\<@123>`, `\<!channel>`, `\<#C1>`, "@\u200beveryone", "@sam where is my refund?", "@alex on x via inbox"} {
		if !strings.Contains(shown, verbatim) {
			t.Errorf("message lacks %q, the outside text shown as written:\n%s", verbatim, shown)
		}
	}
}
