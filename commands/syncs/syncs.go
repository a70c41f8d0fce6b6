// Package syncs implements /sync: standing monthly syncs between the social
// team and a partner department. Each sync runs on the nth (or last)
// weekday of the month at a local time, correct across daylight-saving
// changes; durable timers post an agenda built from the last month a day
// before (test results, KPIs, crises, overdue routed issues, the last
// notes) with a rotating facilitator, and a reminder when it starts. The
// package is not called "sync" so that it never shadows the standard
// library.
package syncs

import (
	"context"
	"fmt"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// Group is the command group: /sync.
const Group = "sync"

const permManage = "sync.manage"

// Store is what syncs need from the store.
type Store interface {
	store.Syncs
	store.Decisions
	store.Roles
}

type handlers struct {
	commands.Deps
	syncs   Store
	sources []AgendaSource
}

// Register adds the /sync commands and the sync timers' handlers, with the
// default agenda sections (see DefaultSources).
func Register(r *bot.Router, d commands.Deps) {
	RegisterWith(r, d, d.Store, DefaultSources(d, nil))
}

// RegisterWith is Register with an explicit store and agenda sections, for
// wiring in a KPI report or other sources.
func RegisterWith(r *bot.Router, d commands.Deps, s Store, sources []AgendaSource) {
	h := &handlers{Deps: d, syncs: s, sources: sources}
	r.Describe(Group, "Monthly cross-functional syncs: add · list · agenda · notes · skip · remove")
	r.Register(h.commands()...)
	d.Scheduler.Handle(timerAgenda, h.postAgenda)
	d.Scheduler.Handle(timerReminder, h.remind)
}

func (h *handlers) commands() []bot.Command {
	return []bot.Command{
		{
			Group: Group, Name: "add",
			Args:     "<department> [--week first|second|third|fourth|last] [--weekday tue] [--time 15:00] [--tz Area/City] [--duration 30m]",
			Summary:  "Schedule a standing monthly sync with a department",
			Examples: []string{"/sync add customer-care", "/sync add sales --week last --weekday thu --time 10:30 --tz Europe/London"},
			Options:  []string{"week", "weekday", "time", "tz", "duration"}, MinWords: 1,
			Permission: permManage, Handler: h.add,
		},
		{
			Group: Group, Name: "list", Summary: "List the standing syncs and their next dates",
			Handler: h.list,
		},
		{
			Group: Group, Name: "agenda", Args: "<id>",
			Summary:  "Show the agenda of a sync's next occurrence as it stands now",
			MinWords: 1, Handler: h.showAgenda,
		},
		{
			Group: Group, Name: "notes", Args: "<id> <text…>",
			Summary:  "Record a decision or note from a sync in the decision log",
			Examples: []string{"/sync notes 1 Care shares the refund macro with the social team"},
			MinWords: 2, Handler: h.notes,
		},
		{
			Group: Group, Name: "skip", Args: "<id>",
			Summary:  "Skip a sync's next occurrence",
			MinWords: 1, Permission: permManage, Handler: h.skip,
		},
		{
			Group: Group, Name: "remove", Args: "<id>",
			Summary:  "Remove a standing sync and its reminders",
			MinWords: 1, Permission: permManage, Handler: h.remove,
		},
	}
}

// sync loads the sync named by word.
func (h *handlers) sync(ctx context.Context, word string) (store.Sync, error) {
	id, err := bot.ParseID(word)
	if err != nil {
		return store.Sync{}, err
	}
	s, err := h.syncs.Sync(ctx, id)
	if bot.IsCode(err, bot.ENotFound) {
		return s, bot.Errorf(bot.ENotFound, "there is no sync %s; see /sync list", bot.FormatID(id))
	}
	if err != nil {
		return s, fmt.Errorf("load sync %d: %w", id, err)
	}
	return s, nil
}

// department returns the configured department of a sync; one removed from
// the configuration since meets in the social team's channel.
func (h *handlers) department(id string) config.Department {
	if d, ok := h.Config.Department(id); ok {
		return d
	}
	return config.Department{ID: id, Name: id, Channel: h.Config.Channels.Social}
}

// title names a sync: "Customer Care × social team".
func (h *handlers) title(s store.Sync) string {
	return h.department(s.Department).Name + " × social team"
}

func syncRef(id int64) string { return fmt.Sprintf("sync:%d", id) }

// onlyID rejects words after a command's id.
func onlyID(c *bot.Context) error {
	if len(c.Args.Words) > 1 {
		return bot.Errorf(bot.EInvalid, "unexpected %q", c.Args.Text(1))
	}
	return nil
}

func mention(person string) string {
	if person == "" {
		return "nobody (assign the liaison or social roles)"
	}
	return "@" + person
}

func lines(ls ...string) string { return strings.Join(ls, "\n") }
