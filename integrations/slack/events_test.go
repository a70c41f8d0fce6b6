package slack

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store/memory"
)

func eventBody(eventID, event string) string {
	return `{"token":"t","team_id":"T0TEAM","api_app_id":"A0APP","type":"event_callback","event_id":"` + eventID +
		`","event_time":1700000000,"authorizations":[{"team_id":"T0TEAM","user_id":"U0BOT","is_bot":true}],"event":` + event + `}`
}

func TestRetriedEventIsDispatchedOnce(t *testing.T) {
	f := newFakeSlack(t)
	router := bot.NewRouter(slog.New(slog.NewTextHandler(io.Discard, nil)), nil, memory.New(bot.SystemClock{}))
	var runs atomic.Int32
	var seen atomic.Value
	router.Register(bot.Command{Group: "crisis", Name: "status", Args: "<update…>", MinWords: 1,
		Handler: func(_ context.Context, c *bot.Context) error {
			runs.Add(1)
			seen.Store(c.Request)
			return c.Replyf("Status noted: %s", c.Args.Text(0))
		}})
	a, clock, _ := testAdapter(t, f, router)

	body := eventBody("Ev0MENTION1", `{"type":"app_mention","user":"U0ALICE","text":"<@U0BOT> crisis status all calm &amp; quiet","ts":"1700000000.000100","channel":"C0SOCIAL","event_ts":"1700000000.000100"}`)
	first := signed("/slack/events", body, clock.now)
	retry := signed("/slack/events", body, clock.now)
	retry.Header.Set("X-Slack-Retry-Num", "1")
	retry.Header.Set("X-Slack-Retry-Reason", "http_timeout")
	for _, r := range []*http.Request{first, retry} {
		if w := serve(a, r); w.Code != 200 || w.Body.Len() != 0 {
			t.Fatalf("acknowledged with %d %q", w.Code, w.Body.String())
		}
		idle(a)
	}
	if n := runs.Load(); n != 1 {
		t.Fatalf("the event ran %d times, want once", n)
	}
	req := seen.Load().(bot.Request)
	if req.Text != "/crisis status all calm & quiet" || req.User != "alice" || req.Channel != "C0SOCIAL" || req.ID != "slack:evt:Ev0MENTION1" {
		t.Fatalf("request %+v", req)
	}
	if posts := postsTo(f, "C0SOCIAL"); len(posts) != 1 || !strings.Contains(posts[0].form.Get("text"), "Status noted: all calm &amp; quiet") {
		t.Fatalf("replies %+v", posts)
	}
}

func TestDirectMessageIsACommand(t *testing.T) {
	f := newFakeSlack(t)
	d := newRecorder()
	a, clock, _ := testAdapter(t, f, d)
	body := eventBody("Ev0DM1", `{"type":"message","channel_type":"im","user":"U0ALICE","text":"kpi --period 7d","channel":"D0ALICE","ts":"1.2"}`)
	serve(a, signed("/slack/events", body, clock.now))
	idle(a)
	reqs := d.requests()
	if len(reqs) != 1 || reqs[0].Text != "/kpi --period 7d" || reqs[0].Channel != "D0ALICE" {
		t.Fatalf("requests %+v", reqs)
	}
	// In the bot's own DM a private reply is an ordinary message there.
	if posts := postsTo(f, "D0ALICE"); len(posts) != 1 || len(f.callsTo("chat.postEphemeral")) != 0 {
		t.Fatalf("DM replies %+v", posts)
	}
}

func TestEventsThatAreNotCommands(t *testing.T) {
	cases := map[string]string{
		"bot message":      `{"type":"message","channel_type":"im","user":"U0ALICE","bot_id":"B1","text":"hi","channel":"D0ALICE"}`,
		"edited message":   `{"type":"message","subtype":"message_changed","channel_type":"im","channel":"D0ALICE"}`,
		"channel message":  `{"type":"message","channel_type":"channel","user":"U0ALICE","text":"crisis list","channel":"C0SOCIAL"}`,
		"the bot's own DM": `{"type":"message","channel_type":"im","user":"U0BOT","text":"crisis list","channel":"D0ALICE"}`,
		"reaction":         `{"type":"reaction_added","user":"U0ALICE","reaction":"eyes"}`,
	}
	for name, event := range cases {
		t.Run(name, func(t *testing.T) {
			d := newRecorder()
			a, clock, _ := testAdapter(t, newFakeSlack(t), d)
			if code := serve(a, signed("/slack/events", eventBody("Ev1", event), clock.now)).Code; code != 200 {
				t.Fatalf("answered %d", code)
			}
			idle(a)
			if reqs := d.requests(); len(reqs) != 0 {
				t.Fatalf("dispatched %+v", reqs)
			}
		})
	}
}

func TestStripBotMention(t *testing.T) {
	auths := []authorizing{{UserID: "U0BOT"}}
	cases := map[string]string{
		"<@U0BOT> crisis list":          "crisis list",
		"  <@U0BOT>   crisis list ":     "crisis list",
		"hey <@U0BOT> crisis list":      "crisis list",
		"crisis list <@U0BOT>":          "crisis list",
		"<@U0BOT>":                      "",
		"<@U0OTHER|x> crisis list":      "crisis list",
		"crisis list":                   "crisis list",
		"thanks <@U0BOT|interlock> kpi": "kpi",
		// Regression: another person mentioned first is not the bot.
		"<@U0SAM> <@U0BOT> crisis list": "crisis list",
		"<@U0BOTTOM> see <@U0BOT> kpi":  "kpi",
		"<@U0SAM|sam> <@U0BOT|i> kpi":   "kpi",
	}
	for in, want := range cases {
		if got := stripBotMention(in, auths); got != want {
			t.Errorf("stripBotMention(%q) = %q, want %q", in, got, want)
		}
	}
	if got := commandText(""); got != "/interlock help" {
		t.Errorf("commandText(\"\") = %q", got)
	}
}
