package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// Defaults for environment variables that are unset or empty.
const (
	DefaultDataDir  = "./data"
	DefaultHTTPAddr = ":8080"
	DefaultLogLevel = "info"
)

// FromEnviron reads the environment variables of DESIGN.md §7 through getenv
// (os.Getenv in production, a map lookup in tests) and fills in defaults for
// INTERLOCK_DATA_DIR, INTERLOCK_HTTP_ADDR and LOG_LEVEL. It also reads
// INTERLOCK_WEBHOOK_SIGNING_KEY (README "Webhook security").
func FromEnviron(getenv func(string) string) Env {
	or := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	return Env{
		ConfigPath:         getenv("INTERLOCK_CONFIG"),
		DataDir:            or("INTERLOCK_DATA_DIR", DefaultDataDir),
		HTTPAddr:           or("INTERLOCK_HTTP_ADDR", DefaultHTTPAddr),
		MetricsAddr:        getenv("INTERLOCK_METRICS_ADDR"),
		DatabaseURL:        getenv("DATABASE_URL"),
		RedisURL:           getenv("REDIS_URL"),
		SlackBotToken:      getenv("SLACK_BOT_TOKEN"),
		SlackAppToken:      getenv("SLACK_APP_TOKEN"),
		SlackSigningSecret: getenv("SLACK_SIGNING_SECRET"),
		SlackAPIURL:        getenv("SLACK_API_URL"),
		DiscordBotToken:    getenv("DISCORD_BOT_TOKEN"),
		DiscordAppID:       getenv("DISCORD_APP_ID"),
		DiscordPublicKey:   getenv("DISCORD_PUBLIC_KEY"),
		DiscordGuildID:     getenv("DISCORD_GUILD_ID"),
		DiscordAPIURL:      getenv("DISCORD_API_URL"),
		WebhookToken:       getenv("INTERLOCK_WEBHOOK_TOKEN"),
		WebhookSecret:      getenv("INTERLOCK_WEBHOOK_SECRET"),
		WebhookSigningKey:  getenv("INTERLOCK_WEBHOOK_SIGNING_KEY"),
		LogLevel:           or("LOG_LEVEL", DefaultLogLevel),
		SessionSecret:      getenv("INTERLOCK_SESSION_SECRET"),
		WallToken:          getenv("INTERLOCK_WALL_TOKEN"),
		PublicURL:          getenv("INTERLOCK_PUBLIC_URL"),
	}
}

// Validate checks the values that have a fixed form. An empty LogLevel is
// accepted and means info.
func (e Env) Validate() error {
	if _, err := e.SlogLevel(); err != nil {
		return err
	}
	if _, err := e.WebhookKey(); err != nil {
		return err
	}
	return nil
}

// minSigningKey is the shortest Standard Webhooks key accepted, in bytes
// (128 bits; the scheme's own keys are 24 to 64 bytes).
const minSigningKey = 16

// WebhookKey returns the Standard Webhooks key of
// INTERLOCK_WEBHOOK_SIGNING_KEY: the base64 after "whsec_", decoded. It is
// nil when the variable is unset.
func (e Env) WebhookKey() ([]byte, error) {
	if e.WebhookSigningKey == "" {
		return nil, nil
	}
	b64, ok := strings.CutPrefix(strings.TrimSpace(e.WebhookSigningKey), "whsec_")
	if !ok {
		return nil, errors.New("INTERLOCK_WEBHOOK_SIGNING_KEY: want whsec_ followed by the base64 of the key")
	}
	key, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("INTERLOCK_WEBHOOK_SIGNING_KEY: the part after whsec_ is not base64: %w", err)
	}
	if len(key) < minSigningKey {
		return nil, fmt.Errorf("INTERLOCK_WEBHOOK_SIGNING_KEY: the key is %d bytes; use at least %d (e.g. whsec_$(openssl rand -base64 32))", len(key), minSigningKey)
	}
	return key, nil
}

// SlogLevel returns LOG_LEVEL as a slog.Level: debug, info, warn or error,
// in any case, optionally with an offset such as "debug-2".
func (e Env) SlogLevel() (slog.Level, error) {
	if e.LogLevel == "" {
		return slog.LevelInfo, nil
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(e.LogLevel)); err != nil {
		return 0, fmt.Errorf("LOG_LEVEL: want debug, info, warn or error, got %q", e.LogLevel)
	}
	return level, nil
}
