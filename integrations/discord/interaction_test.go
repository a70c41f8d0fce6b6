package discord

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"

	"github.com/interlock-coe/interlock/integrations/discord/discordtest"
)

func TestRequestFromInteraction(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		payload []byte
		user    string
		text    string
	}{
		{discordtest.Command("1", "55", leadID, "drill", discordtest.Sub("approve", discordtest.Integer("proposal-id", 4))), "lead", "/drill approve 4"},
		{discordtest.Button("2", "55", danaID, "/drill approve 4"), "dana", "/drill approve 4"},
		{discordtest.Command("3", "55", "777", "interlock", discordtest.Sub("help", discordtest.String("command", "crisis"))), "discord-777", "/interlock help crisis"},
	}
	for _, tt := range tests {
		var i discordgo.Interaction
		if err := json.Unmarshal(tt.payload, &i); err != nil {
			t.Fatal(err)
		}
		req, form, err := h.a.request(t.Context(), &i)
		if err != nil || form != nil {
			t.Fatal(err, form)
		}
		if req.ID != "discord:"+i.ID || req.Platform != "discord" || req.User != tt.user || req.Channel != "55" || req.Text != tt.text || !req.Time.Equal(h.clock.now) {
			t.Errorf("request = %+v, want user %s text %q", req, tt.user, tt.text)
		}
	}
}

// TestLongButtonWorksOnAnyReplica posts a button whose command is too long
// for a custom id from one adapter and clicks it on another sharing the
// button store, as a replica behind a load balancer (or a restarted
// process) would receive it.
func TestLongButtonWorksOnAnyReplica(t *testing.T) {
	h := newHarness(t)
	long := "/drill open sev2 " + strings.Repeat("very long title ", 10)
	ref, err := h.a.Post(t.Context(), h.social, bot.Message{Text: "Open it?", Buttons: []bot.Button{
		{Label: "Open", Command: long}, {Label: "Approve", Command: "/drill approve 1"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	ids := customIDs(h.srv.Messages(h.social)[0])
	if len(ids) != 2 || !strings.HasPrefix(ids[0], storedButtonKey) || len(ids[0]) > maxCustomID || ids[1] != "/drill approve 1" {
		t.Fatalf("custom ids %q, want a stored key then the short command itself", ids)
	}
	other := newHarnessOn(t, h)
	mux := http.NewServeMux()
	other.Routes(mux)
	h.mux = mux
	_, msg := h.answer(h.post(discordtest.Click("800000000000000001", h.social, leadID, ref.ID, ids[0])))
	other.work.Wait()
	if text := messageText(msg); strings.Contains(text, "expired") || !slices.Contains(h.texts(), long) {
		t.Fatalf("the other replica answered %q and ran %q, want %q", text, h.texts(), long)
	}
	_, msg = h.answer(h.post(discordtest.Click("800000000000000002", h.social, leadID, ref.ID, storedButtonKey+"00000000000000000000000000000000")))
	if text := messageText(msg); !strings.Contains(text, "this button has expired") || msg.Flags != discordgo.MessageFlagsEphemeral {
		t.Fatalf("an unknown stored button answered %q (flags %d)", text, msg.Flags)
	}
}

// FuzzInteraction feeds arbitrary payloads to the interaction parser: it
// must never panic, and what it accepts is a typed command of a person.
func FuzzInteraction(f *testing.F) {
	h := newHarness(f)
	f.Add(discordtest.Command("1", "5", leadID, "drill", discordtest.Sub("open",
		discordtest.String("sev", "sev1"), discordtest.String("title", "x y"), discordtest.String("brand", "acme"))))
	f.Add(discordtest.Command("2", "5", danaID, "drill", discordtest.Sub("approve", discordtest.Integer("proposal-id", 3))))
	f.Add(discordtest.Command("3", "5", danaID, "interlock", discordtest.Sub("run", discordtest.String("command", "<@1> hi"))))
	f.Add(discordtest.Button("4", "5", leeID, "/drill approve 1"))
	f.Add(discordtest.Button("5", "5", leeID, "h:0123"))
	f.Add(discordtest.Click("6", "5", leeID, "7", `{"c":"/drill approve 1","n":"reason","l":"Why?"}`))
	f.Add(discordtest.Submit("7", "5", leeID, "7", `{"c":"/drill approve 1","n":"reason","l":"Why?"}`, inputFieldID, "no way"))
	f.Add(discordtest.Submit("8", "5", leeID, "7", "/drill approve 1", inputFieldID, ""))
	f.Add(discordtest.Ping())
	f.Add([]byte(`{"type":2,"member":{"user":{"id":"1"}},"data":{"name":"drill","options":[{"name":"open","type":1,"options":[{"name":"sev","value":[1]}]}]}}`))
	f.Add([]byte(`{"type":2,"user":{"id":"1"},"data":{"name":"drill","options":[null]}}`))
	f.Add([]byte(`{"type":3,"user":{"id":"1"},"data":null}`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		var i discordgo.Interaction
		if json.Unmarshal(payload, &i) != nil {
			return
		}
		req, form, err := h.a.request(t.Context(), &i)
		if err != nil || form != nil {
			return
		}
		if !strings.HasPrefix(req.Text, "/") || req.User == "" || req.ID != "discord:"+i.ID || req.Platform != Platform {
			t.Fatalf("request %+v from %s", req, payload)
		}
	})
}
