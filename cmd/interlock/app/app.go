// Package app wires Interlock together: it is the only place that knows
// every concrete type (config, stores, coordination, chat adapters,
// features).
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/accounts"
	"github.com/interlock-coe/interlock/commands/alerts"
	"github.com/interlock-coe/interlock/commands/center"
	"github.com/interlock-coe/interlock/commands/content"
	"github.com/interlock-coe/interlock/commands/crisis"
	"github.com/interlock-coe/interlock/commands/decision"
	"github.com/interlock-coe/interlock/commands/digest"
	"github.com/interlock-coe/interlock/commands/experiment"
	"github.com/interlock-coe/interlock/commands/kpi"
	"github.com/interlock-coe/interlock/commands/request"
	"github.com/interlock-coe/interlock/commands/role"
	"github.com/interlock-coe/interlock/commands/route"
	"github.com/interlock-coe/interlock/commands/syncs"
	"github.com/interlock-coe/interlock/commands/template"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/integrations/inbox"
	"github.com/interlock-coe/interlock/store"
	"github.com/interlock-coe/interlock/store/memory"
	"github.com/interlock-coe/interlock/store/postgres"
	redisstore "github.com/interlock-coe/interlock/store/redis"
	"github.com/interlock-coe/interlock/store/sqlite"
)

// App is a running Interlock's core: everything but the chat adapters.
type App struct {
	Config    *config.Config
	Store     store.Store
	Coord     bot.Coordinator
	Router    *bot.Router
	Scheduler *bot.Scheduler
	Access    *bot.Access
	Clock     bot.Clock
	Log       *slog.Logger
}

// Open loads the stores and coordination named by cfg.Env and builds an
// empty router; call Register once the chat adapter exists.
func Open(ctx context.Context, cfg *config.Config, clock bot.Clock, log *slog.Logger) (*App, error) {
	a := &App{Config: cfg, Clock: clock, Log: log}
	var err error
	if a.Store, err = openStore(ctx, cfg.Env, log); err != nil {
		return nil, err
	}
	if a.Coord, err = openCoordination(ctx, cfg.Env, clock, log); err != nil {
		a.Store.Close()
		return nil, err
	}
	if err := a.Store.SeedRoles(ctx, seedHolders(cfg, clock)); err != nil {
		a.Close()
		return nil, fmt.Errorf("seed roles from configuration: %w", err)
	}
	a.Access = &bot.Access{
		Roles:  commands.Roster{Store: a.Store},
		Policy: cfg.Permissions,
		Admins: []string{cfg.Org.CoELead},
	}
	a.Router = bot.NewRouter(log, a.Access, a.Coord)
	a.Scheduler = bot.NewScheduler(a.Store, clock, log)
	return a, nil
}

func openStore(ctx context.Context, env config.Env, log *slog.Logger) (store.Store, error) {
	if env.DatabaseURL != "" {
		s, err := postgres.Open(ctx, env.DatabaseURL, log)
		if err != nil {
			return nil, fmt.Errorf("open PostgreSQL store: %w", err)
		}
		return s, nil
	}
	s, err := sqlite.Open(ctx, env.DataDir, log)
	if err != nil {
		return nil, fmt.Errorf("open embedded store in %s: %w", env.DataDir, err)
	}
	return s, nil
}

func openCoordination(ctx context.Context, env config.Env, clock bot.Clock, log *slog.Logger) (bot.Coordinator, error) {
	if env.RedisURL == "" {
		return memory.New(clock), nil
	}
	c, err := redisstore.New(ctx, env.RedisURL, "interlock:", log)
	if err != nil {
		return nil, fmt.Errorf("open Redis coordination: %w", err)
	}
	return c, nil
}

func seedHolders(cfg *config.Config, clock bot.Clock) []store.RoleAssignment {
	var out []store.RoleAssignment
	for _, r := range cfg.Roles {
		for _, h := range r.Holders {
			out = append(out, store.RoleAssignment{
				Role: r.ID, Person: strings.ToLower(h.Person), Brand: h.Brand, Backup: h.Backup,
				AssignedBy: "config", AssignedAt: clock.Now(),
			})
		}
	}
	return out
}

// Features are the services behind the HTTP endpoints.
type Features struct {
	Deps   commands.Deps
	Route  *route.Service
	KPI    *kpi.Service
	Alerts *alerts.Listener
	// Accounts is the social account inventory (import, flags).
	Accounts *accounts.Service
	Center   *center.Center
	Events   bot.Events
}

// Register adds every feature's commands and timer handlers, using chat
// for outbound operations and people to check @mentions.
func (a *App) Register(chat bot.Chat, people bot.Directory) Features {
	d := commands.Deps{
		Config: a.Config, Store: a.Store, Chat: chat, Coord: a.Coord,
		Scheduler: a.Scheduler, Access: a.Access, Clock: a.Clock, People: people, Log: a.Log,
		Events: commands.NewRoleEvents(),
	}
	f := Features{Deps: d, KPI: kpi.New(d), Events: a.Coord.(bot.Events)}
	// Every command that succeeded tells the command center's open pages.
	a.Router.Use(bot.PublishChanges(f.Events, a.Log))
	role.Register(a.Router, d)
	decision.Register(a.Router, d)
	content.Register(a.Router, d)
	f.Accounts = accounts.Register(a.Router, d)
	request.Register(a.Router, d)
	template.Register(a.Router, d)
	// Crisis before alerts: a sev1 spike opens its room through the router.
	crisis.Register(a.Router, d, a.Store)
	f.Alerts = alerts.Register(a.Router, d)
	f.Route = route.Register(a.Router, d, inbox.NewSender(a.Config.Routing.Outbound, nil))
	experiment.Register(a.Router, d)
	syncs.RegisterWith(a.Router, d, a.Store, syncs.DefaultSources(d, f.KPI))
	f.KPI.Register(a.Router)
	f.Center = center.Register(a.Router, d, center.Settings{
		SessionSecret: a.Config.Env.SessionSecret, WallToken: a.Config.Env.WallToken, PublicURL: a.Config.Env.PublicURL,
	})
	f.Center.Board.KPIs = f.KPI
	digest.Register(a.Router, d, f.KPI)
	return f
}

// CheckPermissions reports the permissions the configuration sets that no
// registered command uses (a misspelled name), as file:line errors. Call it
// after Register: serve and shell refuse to start on such a typo.
func (a *App) CheckPermissions() error {
	return a.Config.CheckPermissionNames(a.Router.Permissions())
}

// Close releases the stores.
func (a *App) Close() error {
	var errs []error
	if a.Scheduler != nil {
		errs = append(errs, a.Scheduler.Stop())
	}
	if a.Coord != nil {
		errs = append(errs, a.Coord.Close())
	}
	if a.Store != nil {
		errs = append(errs, a.Store.Close())
	}
	return errors.Join(errs...)
}
