package slack

import (
	"os"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"
)

// manifest is the part of Slack's app manifest format the test checks.
type manifest struct {
	Features struct {
		SlashCommands []struct {
			Command      string `yaml:"command"`
			URL          string `yaml:"url"`
			ShouldEscape bool   `yaml:"should_escape"`
		} `yaml:"slash_commands"`
	} `yaml:"features"`
	OAuth struct {
		Scopes struct {
			Bot []string `yaml:"bot"`
		} `yaml:"scopes"`
	} `yaml:"oauth_config"`
	Settings struct {
		Events struct {
			URL       string   `yaml:"request_url"`
			BotEvents []string `yaml:"bot_events"`
		} `yaml:"event_subscriptions"`
		Interactivity struct {
			Enabled bool   `yaml:"is_enabled"`
			URL     string `yaml:"request_url"`
		} `yaml:"interactivity"`
		SocketMode bool `yaml:"socket_mode_enabled"`
	} `yaml:"settings"`
}

func TestManifest(t *testing.T) {
	raw, err := os.ReadFile("manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := yaml.Unmarshal(raw, &m); err != nil {
		t.Fatalf("manifest.yaml: %v", err)
	}
	var commands []string
	for _, c := range m.Features.SlashCommands {
		commands = append(commands, c.Command)
		if c.URL != "https://YOUR-HOST/slack/commands" || !c.ShouldEscape {
			t.Errorf("%s: url %q, should_escape %v", c.Command, c.URL, c.ShouldEscape)
		}
	}
	want := []string{"/interlock", "/crisis", "/role", "/test", "/kpi", "/digest", "/route", "/sync", "/decision", "/decisions", "/alerts", "/content", "/request", "/workload"}
	if !slices.Equal(commands, want) {
		t.Errorf("commands %v, want %v", commands, want)
	}
	for _, scope := range []string{"commands", "chat:write", "chat:write.public", "channels:read", "groups:read", "groups:write",
		"channels:manage", "pins:write", "files:write", "im:write", "users:read", "users:read.email", "app_mentions:read", "im:history"} {
		if !slices.Contains(m.OAuth.Scopes.Bot, scope) {
			t.Errorf("bot scope %s missing", scope)
		}
	}
	if m.Settings.Events.URL != "https://YOUR-HOST/slack/events" || !slices.Equal(m.Settings.Events.BotEvents, []string{"app_mention", "message.im"}) {
		t.Errorf("event subscriptions %+v", m.Settings.Events)
	}
	if !m.Settings.Interactivity.Enabled || m.Settings.Interactivity.URL != "https://YOUR-HOST/slack/interactions" || !m.Settings.SocketMode {
		t.Errorf("settings %+v", m.Settings)
	}
}
