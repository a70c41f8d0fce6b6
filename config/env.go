package config

import (
	"fmt"
	"log/slog"
)

// Defaults for environment variables that are unset or empty.
const (
	DefaultDataDir  = "./data"
	DefaultHTTPAddr = ":8080"
	DefaultLogLevel = "info"
)

// FromEnviron reads the environment variables of DESIGN.md §7 through getenv
// (os.Getenv in production, a map lookup in tests) and fills in defaults for
// INTERLOCK_DATA_DIR, INTERLOCK_HTTP_ADDR and LOG_LEVEL.
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
		LogLevel:           or("LOG_LEVEL", DefaultLogLevel),
	}
}

// Validate checks the values that have a fixed form. An empty LogLevel is
// accepted and means info.
func (e Env) Validate() error {
	if _, err := e.SlogLevel(); err != nil {
		return err
	}
	return nil
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
