//go:build faults

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/integrations/discord/discordtest"
	"github.com/interlock-coe/interlock/store/storetest"
)

// longTopic makes the alert card's "Open crisis room" command longer than a
// Discord custom id (100 characters), so the button is kept in the store.
const longTopic = "checkout payment failures reported across every region after the latest mobile app release"

// TestDiscordButtonOnAnotherReplica posts an alert card with a long button
// from replica A and clicks it on replica B, started afterwards (a replica
// behind a load balancer, or A restarted): B finds the button's command in
// the shared store and runs it instead of answering "expired".
func TestDiscordButtonOnAnotherReplica(t *testing.T) {
	discord := discordtest.NewServer(t)
	listening := discord.AddChannel("social-listening")
	signer := discordtest.NewSigner()
	bin := buildBinary(t)
	env := []string{
		"INTERLOCK_CONFIG=" + writeConfig(t),
		"INTERLOCK_DATA_DIR=" + t.TempDir(),
		"DATABASE_URL=" + storetest.PostgresURL(t),
		"DISCORD_BOT_TOKEN=test-token",
		"DISCORD_APP_ID=" + discordtest.AppID,
		"DISCORD_GUILD_ID=" + discordtest.GuildID,
		"DISCORD_PUBLIC_KEY=" + signer.PublicKeyHex(),
		"DISCORD_API_URL=" + discord.URL,
		"INTERLOCK_WEBHOOK_TOKEN=" + webhookToken,
		"LOG_LEVEL=debug",
	}
	var replicas []*replica
	t.Cleanup(func() {
		if t.Failed() {
			for _, r := range replicas {
				t.Logf("--- log of replica %s ---\n%s", r.name, tail(r.log.String(), 80))
			}
		}
	})
	a := startReplica(t, t, bin, "A", env)
	replicas = append(replicas, a)
	status, body, err := a.hook("/hooks/listening", spikeBody(t, time.Now().UTC().Truncate(time.Minute)))
	if err != nil || status != http.StatusAccepted {
		t.Fatalf("listening webhook answered %d %s (%v)", status, body, err)
	}
	var card *discordgo.Message
	eventually(t, 60*time.Second, "replica A posts the alert card", func() error {
		for _, m := range discord.Messages(listening) {
			if len(m.Components) > 0 {
				card = m
				return nil
			}
		}
		return fmt.Errorf("messages in #social-listening: %d", len(discord.Messages(listening)))
	})
	open := buttonID(t, card, "Open crisis room")
	if !strings.HasPrefix(open, "h:") {
		t.Fatalf("the Open crisis room button's custom id is %q, want a stored key", open)
	}
	a.kill()

	b := startReplica(t, t, bin, "B", env)
	replicas = append(replicas, b)
	click := discordtest.Button("700000000000009001", listening, "400000000000000001", open)
	answer := postInteraction(t, b, signer, click)
	if strings.Contains(answer, "expired") {
		t.Fatalf("replica B answered the click with %s", answer)
	}
	eventually(t, 60*time.Second, "replica B opens the crisis room from the click", func() error {
		for _, ch := range discord.Channels() {
			if strings.HasPrefix(ch.Name, "crisis-") && strings.Contains(ch.Name, "checkout-payment") {
				return nil
			}
		}
		return fmt.Errorf("no crisis room; answer %s, calls %d", answer, len(discord.Calls("")))
	})
}

// spikeBody is twelve steady hourly windows of longTopic and a window at
// six times the baseline: a sev2 spike, which suggests a crisis room
// without opening one.
func spikeBody(t *testing.T, end time.Time) string {
	t.Helper()
	var points []map[string]any
	for i := 12; i >= 0; i-- {
		mentions := int64(400 + 10*(i%3))
		if i == 0 {
			mentions = 2400
		}
		windowEnd := end.Add(-time.Duration(i) * time.Hour)
		points = append(points, map[string]any{
			"source": "brandwatch", "brand": "acme", "topic": longTopic,
			"window_start": windowEnd.Add(-time.Hour).Format(time.RFC3339), "window_end": windowEnd.Format(time.RFC3339),
			"mentions": mentions, "negative": mentions / 5, "neutral": mentions / 2, "positive": mentions / 5,
			"reach": mentions * 50,
		})
	}
	body, err := json.Marshal(points)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

// buttonID returns the custom id of the button labelled label.
func buttonID(t *testing.T, m *discordgo.Message, label string) string {
	t.Helper()
	for _, row := range m.Components {
		if r, ok := row.(*discordgo.ActionsRow); ok {
			for _, c := range r.Components {
				if b, ok := c.(*discordgo.Button); ok && b.Label == label {
					return b.CustomID
				}
			}
		}
	}
	t.Fatalf("no %q button on %+v", label, m)
	return ""
}

// postInteraction sends a signed interaction to the replica's HTTP
// endpoint and returns its answer.
func postInteraction(t *testing.T, r *replica, signer *discordtest.Signer, body []byte) string {
	t.Helper()
	resp, err := http.DefaultClient.Do(signer.Request(r.base+"/discord/interactions", body, time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("interaction answered %d %s", resp.StatusCode, answer)
	}
	return string(answer)
}
