package discord

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

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
		req, err := h.a.request(&i)
		if err != nil {
			t.Fatal(err)
		}
		if req.ID != "discord:"+i.ID || req.Platform != "discord" || req.User != tt.user || req.Channel != "55" || req.Text != tt.text || !req.Time.Equal(h.clock.now) {
			t.Errorf("request = %+v, want user %s text %q", req, tt.user, tt.text)
		}
	}
}

func TestLongButtonCommandsAreStored(t *testing.T) {
	b := newButtonStore()
	long := "/drill open sev2 " + strings.Repeat("very long title ", 10)
	id := b.customID(long)
	if len(id) > maxCustomID || !strings.HasPrefix(id, storedButtonKey) {
		t.Fatalf("custom id %q", id)
	}
	if got, err := b.command(id); err != nil || got != long {
		t.Fatalf("command(%q) = %q, %v", id, got, err)
	}
	if _, err := newButtonStore().command(id); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("a restarted store knows %q: %v", id, err)
	}
	if id := b.customID("/drill approve 1"); id != "/drill approve 1" {
		t.Fatalf("short command stored as %q", id)
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
	f.Add(discordtest.Ping())
	f.Add([]byte(`{"type":2,"member":{"user":{"id":"1"}},"data":{"name":"drill","options":[{"name":"open","type":1,"options":[{"name":"sev","value":[1]}]}]}}`))
	f.Add([]byte(`{"type":2,"user":{"id":"1"},"data":{"name":"drill","options":[null]}}`))
	f.Add([]byte(`{"type":3,"user":{"id":"1"},"data":null}`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		var i discordgo.Interaction
		if json.Unmarshal(payload, &i) != nil {
			return
		}
		req, err := h.a.request(&i)
		if err != nil {
			return
		}
		if !strings.HasPrefix(req.Text, "/") || req.User == "" || req.ID != "discord:"+i.ID || req.Platform != Platform {
			t.Fatalf("request %+v from %s", req, payload)
		}
	})
}
