package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/cmd/interlock/app"
	"github.com/interlock-coe/interlock/config"
	discordchat "github.com/interlock-coe/interlock/integrations/discord"
	"github.com/interlock-coe/interlock/integrations/logchat"
	slackchat "github.com/interlock-coe/interlock/integrations/slack"
	"github.com/interlock-coe/interlock/integrations/web"
)

// platform is the chat platform `serve` talks to, with what it adds to the
// HTTP server and the background.
type platform struct {
	name     string
	chat     bot.Chat
	people   bot.Directory
	check    *web.Check
	routes   func(mux *http.ServeMux)
	run      func(ctx context.Context) error // background inbound (Socket Mode, gateway); may be nil
	shutdown func(ctx context.Context) error
}

// choosePlatform builds the platform the environment configures: Slack,
// else Discord, else none (webhooks only; posts go to the log).
func choosePlatform(cfg *config.Config, a *app.App, log *slog.Logger) (*platform, error) {
	env := cfg.Env
	switch {
	case env.SlackBotToken != "":
		return slackPlatform(cfg, a, log)
	case env.DiscordBotToken != "":
		return discordPlatform(cfg, a, log)
	}
	chat := logchat.New(log)
	log.Warn("no chat platform configured (SLACK_BOT_TOKEN or DISCORD_BOT_TOKEN): outbound messages go to the log")
	return &platform{name: "log", chat: chat, people: chat}, nil
}

func slackPlatform(cfg *config.Config, a *app.App, log *slog.Logger) (*platform, error) {
	env := cfg.Env
	if env.SlackSigningSecret == "" && env.SlackAppToken == "" {
		return nil, errors.New("SLACK_BOT_TOKEN is set but neither SLACK_SIGNING_SECRET (HTTP mode) nor SLACK_APP_TOKEN (Socket Mode) is")
	}
	sl, err := slackchat.New(slackchat.Options{
		BotToken: env.SlackBotToken, AppToken: env.SlackAppToken, SigningSecret: env.SlackSigningSecret,
		APIURL: env.SlackAPIURL, Directory: cfg, Dispatcher: a.Router, Logger: log, Clock: a.Clock,
	})
	if err != nil {
		return nil, err
	}
	p := &platform{
		name: "slack", chat: sl, shutdown: sl.Shutdown,
		people: app.Directory{Config: cfg, Prefixes: []string{"slack-"}},
		check:  &web.Check{Name: "slack", Degraded: "degraded: Slack calls are retried with backoff", Ping: sl.Ping},
	}
	if env.SlackSigningSecret != "" {
		p.routes = sl.Routes
	}
	p.run = func(ctx context.Context) error {
		go sl.Warm(ctx, cfg.PersonIDs())
		if env.SlackAppToken == "" {
			return nil
		}
		return sl.RunSocketMode(ctx)
	}
	return p, nil
}

func discordPlatform(cfg *config.Config, a *app.App, log *slog.Logger) (*platform, error) {
	env := cfg.Env
	dc, err := discordchat.New(discordchat.Options{
		BotToken: env.DiscordBotToken, AppID: env.DiscordAppID, PublicKey: env.DiscordPublicKey,
		GuildID: env.DiscordGuildID, APIURL: env.DiscordAPIURL, Directory: cfg, Dispatcher: a.Router,
		Buttons: a.Store, Logger: log, Clock: a.Clock,
	})
	if err != nil {
		return nil, err
	}
	p := &platform{
		name: "discord", chat: dc, shutdown: dc.Shutdown,
		people: app.Directory{Config: cfg, Prefixes: []string{"discord-"}},
		check:  &web.Check{Name: "discord", Ping: dc.Ping},
		routes: dc.Routes,
	}
	p.run = func(ctx context.Context) error {
		if err := dc.RegisterCommands(ctx); err != nil {
			return err
		}
		return dc.Open(ctx)
	}
	return p, nil
}
