// Package experiment implements /test: the shared testing sheet that every
// brand contributes to. People propose and vote on tests; each month the
// top-voted proposal is picked (by hand or by a durable monthly timer) and
// owned by the brand whose turn it is; results are read out with a
// two-proportion z-test (Fisher's exact test when the counts are too small
// for it), recorded as decisions and announced, and other brands replicate
// what won. The package is not called "test" so that it
// never reads like Go's _test convention.
package experiment

import (
	"context"
	"fmt"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/store"
)

// Group is the command group: /test.
const Group = "test"

// Permission needed to pick (and drop another person's) test.
const permPick = "test.pick"

// Store is what the testing sheet needs from the store.
type Store interface {
	store.Experiments
	store.Roles
}

type handlers struct {
	commands.Deps
	sheet Store
}

// Register adds the /test commands and the monthly pick timer's handler.
func Register(r *bot.Router, d commands.Deps) {
	RegisterWith(r, d, d.Store)
}

// RegisterWith is Register with an explicit store.
func RegisterWith(r *bot.Router, d commands.Deps, s Store) {
	h := &handlers{Deps: d, sheet: s}
	r.Describe(Group, "The shared testing sheet: propose · list · vote · pick · start · result · replicate · sheet · drop")
	r.Register(h.commands()...)
	d.Scheduler.Handle(timerPick, h.monthlyPick)
}

func (h *handlers) commands() []bot.Command {
	return []bot.Command{
		{
			Group: Group, Name: "propose", Args: "<title…> [--hypothesis H] [--metric M] [--brand B] [--channel C]",
			Summary:  "Add a test to the shared testing sheet",
			Examples: []string{`/test propose Question hooks in reels --hypothesis "questions lift comments" --metric engagement-rate --brand acme --channel instagram`},
			Options:  []string{"hypothesis", "metric", "brand", "channel"}, MinWords: 1, Handler: h.propose,
		},
		{
			Group: Group, Name: "list", Args: "[--status S]",
			Summary:  "List the tests (all but dropped ones, or one status: proposed, picked, running, done, dropped, all)",
			Examples: []string{"/test list", "/test list --status proposed"},
			Options:  []string{"status"}, Handler: h.list,
		},
		{
			Group: Group, Name: "vote", Args: "<id>",
			Summary:  "Vote for a proposed test (once per person)",
			MinWords: 1, Handler: h.vote,
		},
		{
			Group: Group, Name: "pick", Args: "[<id>]",
			Summary:    "Pick the next test (the top-voted one unless an id is given) and assign its owner",
			Examples:   []string{"/test pick", "/test pick 3"},
			Permission: permPick, Handler: h.pick,
		},
		{
			Group: Group, Name: "start", Args: "<id>",
			Summary:  "Mark a picked test as running",
			MinWords: 1, Handler: h.start,
		},
		{
			Group: Group, Name: "result", Args: "<id> a=<successes>/<trials> b=<successes>/<trials> [--notes N]",
			Summary:  "Record a test's result: rates, lift, p-value and verdict, announced to every brand",
			Examples: []string{"/test result 3 a=120/4000 b=165/4000 --notes ran two weeks on reels"},
			Options:  []string{"notes"}, MinWords: 3, Handler: h.result,
		},
		{
			Group: Group, Name: "replicate", Args: "<id> [--brand B]",
			Summary: "Adopt a winning test for another brand",
			Options: []string{"brand"}, MinWords: 1, Handler: h.replicate,
		},
		{
			Group: Group, Name: "sheet",
			Summary: "The whole testing sheet as CSV",
			Handler: h.sheetCSV,
		},
		{
			Group: Group, Name: "drop", Args: "<id>",
			Summary:  "Drop a test that will not run (its proposer, or whoever may pick)",
			MinWords: 1, Handler: h.drop,
		},
	}
}

// experiment loads the test named by word.
func (h *handlers) experiment(ctx context.Context, word string) (store.Experiment, error) {
	id, err := bot.ParseID(word)
	if err != nil {
		return store.Experiment{}, err
	}
	e, err := h.sheet.Experiment(ctx, id)
	if bot.IsCode(err, bot.ENotFound) {
		return e, bot.Errorf(bot.ENotFound, "there is no test %s; see /test list", bot.FormatID(id))
	}
	if err != nil {
		return e, fmt.Errorf("load test %d: %w", id, err)
	}
	return e, nil
}

// onlyID rejects words after a command's id.
func onlyID(c *bot.Context) error {
	if len(c.Args.Words) > 1 {
		return bot.Errorf(bot.EInvalid, "unexpected %q", c.Args.Text(1))
	}
	return nil
}

// describe is the short name of a test in messages: #3 "Title".
func describe(e store.Experiment) string {
	return fmt.Sprintf("%s %q", bot.FormatID(e.ID), e.Title)
}

// scope shows the test's brand and channel: " (acme · instagram)".
func scope(e store.Experiment) string {
	var parts []string
	for _, p := range []string{e.Brand, e.Channel} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, " · ") + ")"
}
