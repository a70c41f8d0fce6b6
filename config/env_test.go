package config

import (
	"log/slog"
	"strings"
	"testing"
)

func TestFromEnviron(t *testing.T) {
	tests := []struct {
		name string
		vars map[string]string
		want Env
	}{
		{"defaults", nil, Env{DataDir: "./data", HTTPAddr: ":8080", LogLevel: "info"}},
		{"overrides", map[string]string{
			"INTERLOCK_CONFIG":              "/etc/interlock.yaml",
			"INTERLOCK_DATA_DIR":            "/var/lib/interlock",
			"INTERLOCK_HTTP_ADDR":           "127.0.0.1:9000",
			"INTERLOCK_METRICS_ADDR":        "127.0.0.1:9100",
			"DATABASE_URL":                  "postgres://localhost/test",
			"REDIS_URL":                     "redis://localhost:6379",
			"SLACK_BOT_TOKEN":               "xoxb-1",
			"SLACK_APP_TOKEN":               "xapp-1",
			"SLACK_SIGNING_SECRET":          "sign",
			"SLACK_API_URL":                 "http://slack.test/api/",
			"DISCORD_BOT_TOKEN":             "bot",
			"DISCORD_APP_ID":                "app",
			"DISCORD_PUBLIC_KEY":            "key",
			"DISCORD_GUILD_ID":              "guild",
			"DISCORD_API_URL":               "http://discord.test/",
			"INTERLOCK_WEBHOOK_TOKEN":       "token",
			"INTERLOCK_WEBHOOK_SECRET":      "secret",
			"INTERLOCK_WEBHOOK_SIGNING_KEY": "whsec_key",
			"LOG_LEVEL":                     "debug",
		}, Env{
			ConfigPath: "/etc/interlock.yaml", DataDir: "/var/lib/interlock", HTTPAddr: "127.0.0.1:9000",
			MetricsAddr: "127.0.0.1:9100", DatabaseURL: "postgres://localhost/test", RedisURL: "redis://localhost:6379",
			SlackBotToken: "xoxb-1", SlackAppToken: "xapp-1", SlackSigningSecret: "sign", SlackAPIURL: "http://slack.test/api/",
			DiscordBotToken: "bot", DiscordAppID: "app", DiscordPublicKey: "key", DiscordGuildID: "guild",
			DiscordAPIURL: "http://discord.test/", WebhookToken: "token", WebhookSecret: "secret", WebhookSigningKey: "whsec_key", LogLevel: "debug",
		}},
		{"empty values take defaults", map[string]string{"INTERLOCK_DATA_DIR": "", "LOG_LEVEL": ""},
			Env{DataDir: "./data", HTTPAddr: ":8080", LogLevel: "info"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FromEnviron(func(k string) string { return tt.vars[k] })
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestLoadUsesEnvConfigPath(t *testing.T) {
	file := writeConfig(t, baseYAML)
	env := FromEnviron(func(k string) string {
		return map[string]string{"INTERLOCK_CONFIG": file}[k]
	})
	cfg, err := Load(env)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Source != file || cfg.Org.Name != "Test" || cfg.Env.HTTPAddr != ":8080" {
		t.Errorf("Source %q, org %q, env %+v", cfg.Source, cfg.Org.Name, cfg.Env)
	}
}

func TestLogLevel(t *testing.T) {
	tests := []struct {
		value   string
		want    slog.Level
		wantErr bool
	}{
		{"", slog.LevelInfo, false},
		{"debug", slog.LevelDebug, false},
		{"WARN", slog.LevelWarn, false},
		{"error", slog.LevelError, false},
		{"verbose", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			got, err := Env{LogLevel: tt.value}.SlogLevel()
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("SlogLevel() = %v, %v", got, err)
			}
		})
	}
	_, err := Load(Env{LogLevel: "verbose"})
	if err == nil || !strings.HasPrefix(err.Error(), "LOG_LEVEL:") {
		t.Errorf("Load with LOG_LEVEL=verbose: %v", err)
	}
}

func TestWebhookKey(t *testing.T) {
	for _, tc := range []struct {
		value, err string
		n          int
	}{
		{"", "", 0},
		{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "", 24},
		{"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "want whsec_", 0},
		{"whsec_not base64!", "not base64", 0},
		{"whsec_c2hvcnQ=", "the key is 5 bytes", 0},
	} {
		env := Env{WebhookSigningKey: tc.value}
		key, err := env.WebhookKey()
		if tc.err == "" && (err != nil || len(key) != tc.n) {
			t.Errorf("%q: %d bytes, %v; want %d bytes", tc.value, len(key), err, tc.n)
		}
		if tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err) || env.Validate() == nil) {
			t.Errorf("%q: %v; want an error containing %q from WebhookKey and Validate", tc.value, err, tc.err)
		}
	}
}
