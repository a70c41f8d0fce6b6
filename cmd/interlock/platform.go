package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/cmd/interlock/app"
	"github.com/interlock-coe/interlock/config"
	discordchat "github.com/interlock-coe/interlock/integrations/discord"
	"github.com/interlock-coe/interlock/integrations/logchat"
	slackchat "github.com/interlock-coe/interlock/integrations/slack"
	"github.com/interlock-coe/interlock/integrations/supervise"
	"github.com/interlock-coe/interlock/integrations/web"
)

// platform is the chat platform `serve` talks to, with what it adds to the
// HTTP server and the background.
type platform struct {
	name   string
	chat   bot.Chat
	people bot.Directory
	check  *web.Check
	routes func(mux *http.ServeMux)
	// run connects and serves the platform until ctx ends, reporting its
	// health to the supervisor, which retries it; nil for none.
	run      supervise.Run
	super    *supervise.Supervisor
	shutdown func(ctx context.Context) error
}

// healthEvery is how often a connected platform's token is checked
// (auth.test, users/@me); /readyz reports the result, never calls itself.
const healthEvery = 30 * time.Second

// supervised gives p a supervisor, whose state is p's readiness check.
func (p *platform) supervised(b supervise.Backoff, log *slog.Logger) *platform {
	p.super = supervise.New(p.name, b, log)
	p.check = &web.Check{Name: p.name, Required: true, Ping: p.super.Err}
	return p
}

// choosePlatform builds the platform the environment configures: Slack,
// else Discord, else none (webhooks only; posts go to the log).
func choosePlatform(cfg *config.Config, a *app.App, b supervise.Backoff, log *slog.Logger) (*platform, error) {
	env := cfg.Env
	switch {
	case env.SlackBotToken != "":
		return slackPlatform(cfg, a, b, log)
	case env.DiscordBotToken != "":
		return discordPlatform(cfg, a, b, log)
	}
	chat := logchat.New(log)
	log.Warn("no chat platform configured (SLACK_BOT_TOKEN or DISCORD_BOT_TOKEN): outbound messages go to the log")
	return &platform{name: "log", chat: chat, people: chat}, nil
}

func slackPlatform(cfg *config.Config, a *app.App, b supervise.Backoff, log *slog.Logger) (*platform, error) {
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
	p := (&platform{
		name: "slack", chat: sl, shutdown: sl.Shutdown,
		people: app.Directory{Config: cfg, Prefixes: []string{"slack-"}},
	}).supervised(b, log)
	if env.SlackSigningSecret != "" {
		p.routes = sl.Routes
	}
	var warm sync.Once
	p.run = func(ctx context.Context, report func(error)) error {
		warm.Do(func() { go sl.Warm(ctx, cfg.PersonIDs()) })
		if env.SlackAppToken == "" {
			// HTTP mode: nothing to connect; the token is what can fail.
			report(nil)
			p.super.Probe(sl.Ping(ctx))
			supervise.Watch(ctx, healthEvery, sl.Ping, p.super.Probe)
			return nil
		}
		ctx, stop := context.WithCancel(ctx)
		defer stop()
		go supervise.Watch(ctx, healthEvery, sl.Ping, p.super.Probe) // the bot token
		return sl.RunSocketModeReporting(ctx, report)
	}
	return p, nil
}

func discordPlatform(cfg *config.Config, a *app.App, b supervise.Backoff, log *slog.Logger) (*platform, error) {
	env := cfg.Env
	p := (&platform{
		name: "discord", people: app.Directory{Config: cfg, Prefixes: []string{"discord-"}},
	}).supervised(b, log)
	dc, err := discordchat.New(discordchat.Options{
		BotToken: env.DiscordBotToken, AppID: env.DiscordAppID, PublicKey: env.DiscordPublicKey,
		GuildID: env.DiscordGuildID, APIURL: env.DiscordAPIURL, Directory: cfg, Dispatcher: a.Router,
		Buttons: a.Store, Logger: log, Clock: a.Clock, Status: p.super.Report,
	})
	if err != nil {
		return nil, err
	}
	p.chat, p.shutdown, p.routes = dc, dc.Shutdown, dc.Routes
	p.run = func(ctx context.Context, report func(error)) error {
		if err := dc.RegisterCommands(ctx); err != nil {
			return err
		}
		if err := dc.Open(ctx); err != nil {
			return err
		}
		// From here discordgo reconnects the gateway itself, reporting
		// each drop and reconnection through Options.Status.
		report(nil)
		supervise.Watch(ctx, healthEvery, dc.Ping, p.super.Probe)
		return nil
	}
	return p, nil
}
