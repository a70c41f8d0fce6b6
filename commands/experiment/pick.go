package experiment

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// The monthly pick is one durable timer that re-arms itself each month.
const (
	timerPick = "test.pick"
	pickKey   = "test:monthly-pick"
	// scheduledBy is the actor of the monthly pick.
	scheduledBy = "schedule"
)

// ownerRoles are tried in order for the owner of the brand whose turn it is.
var ownerRoles = []string{"social-lead", "community"}

func (h *handlers) pick(ctx context.Context, c *bot.Context) error {
	if err := onlyID(c); err != nil {
		return err
	}
	var e store.Experiment
	var err error
	if c.Args.Word(0) != "" {
		e, err = h.experiment(ctx, c.Args.Word(0))
	} else {
		e, err = h.topProposal(ctx)
	}
	if err != nil {
		return err
	}
	if e.Status != store.ExperimentProposed {
		return bot.Errorf(bot.EConflict, "test %s is %s, not proposed", bot.FormatID(e.ID), e.Status)
	}
	picked, err := h.assign(ctx, e, c.User)
	if err != nil {
		return err
	}
	return c.Reply(pickedMessage(picked))
}

// topProposal is the proposal with the most votes, the oldest first on a
// tie; EConflict when nothing is proposed.
func (h *handlers) topProposal(ctx context.Context) (store.Experiment, error) {
	es, err := h.sheet.ListExperiments(ctx, store.ExperimentProposed)
	if err != nil {
		return store.Experiment{}, fmt.Errorf("list proposed tests: %w", err)
	}
	if len(es) == 0 {
		return store.Experiment{}, bot.Errorf(bot.EConflict, "nothing is proposed; propose a test with /test propose <title…>")
	}
	return slices.MinFunc(es, func(a, b store.Experiment) int {
		return cmp.Or(
			cmp.Compare(b.Votes, a.Votes),
			a.ProposedAt.Compare(b.ProposedAt),
			cmp.Compare(a.ID, b.ID),
		)
	}), nil
}

// assign picks e and gives it to the brand whose turn it is.
func (h *handlers) assign(ctx context.Context, e store.Experiment, by string) (store.Experiment, error) {
	state, err := h.sheet.SheetState(ctx)
	if err != nil {
		return e, fmt.Errorf("read testing sheet state: %w", err)
	}
	owner, brand, err := h.owner(ctx, e, state.PickTurn)
	if err != nil {
		return e, err
	}
	picked, err := h.sheet.PickExperiment(ctx, store.ExperimentPick{
		ID: e.ID, Owner: owner, OwnerBrand: brand, By: by, At: h.Clock.Now(), Turn: state.PickTurn,
	})
	if err != nil {
		return e, fmt.Errorf("pick test %d: %w", e.ID, err)
	}
	return picked, nil
}

// owner chooses who runs a picked test: the brand at position turn of the
// rotation over the configured brands, and that brand's social lead (or
// community manager); the proposer when the brand has neither.
func (h *handlers) owner(ctx context.Context, e store.Experiment, turn int64) (person, brand string, err error) {
	if brands := h.Config.BrandIDs(); len(brands) > 0 {
		brand = brands[turn%int64(len(brands))]
	}
	for _, role := range ownerRoles {
		holders, _, herr := h.Roster().Holders(ctx, role, brand)
		if herr != nil {
			return "", "", fmt.Errorf("find owner for %s: %w", brand, herr)
		}
		if len(holders) > 0 {
			return holders[0], brand, nil
		}
	}
	return e.Proposer, brand, nil
}

func pickedMessage(e store.Experiment) bot.Message {
	turn := ""
	if e.OwnerBrand != "" {
		turn = " (" + e.OwnerBrand + "'s turn)"
	}
	return bot.Message{
		Text: fmt.Sprintf("🎯 Test %s picked: %s%s, %s. Owner: @%s%s. Start it with /test start %d.",
			bot.FormatID(e.ID), e.Title, scope(e), votes(e.Votes), e.Owner, turn, e.ID),
		Buttons: []bot.Button{{Label: "Start", Command: fmt.Sprintf("/test start %d", e.ID)}},
	}
}

func (h *handlers) start(ctx context.Context, c *bot.Context) error {
	if err := onlyID(c); err != nil {
		return err
	}
	e, err := h.experiment(ctx, c.Args.Word(0))
	if err != nil {
		return err
	}
	if e.Status != store.ExperimentPicked {
		return bot.Errorf(bot.EConflict, "test %s is %s; only a picked test can start", bot.FormatID(e.ID), e.Status)
	}
	started, err := h.sheet.StartExperiment(ctx, e.ID, h.Clock.Now())
	if err != nil {
		return fmt.Errorf("start test %d: %w", e.ID, err)
	}
	return c.Replyf("▶️ Test %s is running (owner @%s). Record the outcome with /test result %d a=<successes>/<trials> b=<successes>/<trials>.",
		describe(started), started.Owner, started.ID)
}

func (h *handlers) drop(ctx context.Context, c *bot.Context) error {
	if err := onlyID(c); err != nil {
		return err
	}
	e, err := h.experiment(ctx, c.Args.Word(0))
	if err != nil {
		return err
	}
	if e.Proposer != c.User && h.Access != nil {
		if err := h.Access.Authorize(ctx, permPick, c.User); err != nil {
			return err
		}
	}
	dropped, err := h.sheet.DropExperiment(ctx, e.ID, h.Clock.Now())
	if err != nil {
		return fmt.Errorf("drop test %d: %w", e.ID, err)
	}
	return c.Replyf("🗑 Test %s dropped by @%s.", describe(dropped), c.User)
}

// armMonthlyPick arms the monthly pick timer the first time the sheet gets
// a proposal; afterwards the timer re-arms itself. Arming only once keeps a
// restart from pushing a pick that is due (but not yet fired) to next month.
func (h *handlers) armMonthlyPick(ctx context.Context) error {
	state, err := h.sheet.SheetState(ctx)
	if err != nil {
		return fmt.Errorf("read testing sheet state: %w", err)
	}
	if !state.NextPickAt.IsZero() {
		return nil
	}
	return h.schedulePick(ctx, h.nextPick(h.Clock.Now()))
}

func (h *handlers) schedulePick(ctx context.Context, at time.Time) error {
	if err := h.Scheduler.Schedule(ctx, timerPick, pickKey, at, struct{}{}); err != nil {
		return fmt.Errorf("arm monthly pick: %w", err)
	}
	if err := h.sheet.SetNextPick(ctx, at); err != nil {
		return fmt.Errorf("record monthly pick: %w", err)
	}
	return nil
}

// nextPick is the first monthly pick time after t.
func (h *handlers) nextPick(t time.Time) time.Time {
	hour, minute, err := config.ParseClock(h.Config.Tests.PickTime)
	if err != nil {
		// The configuration was validated at load; fall back to its default.
		hour, minute = 10, 0
	}
	return NextPick(t, h.Config.Tests.PickDay, hour, minute, h.location())
}

func (h *handlers) location() *time.Location {
	if h.Config.Org.Location != nil {
		return h.Config.Org.Location
	}
	return time.UTC
}

// NextPick returns the first time strictly after t that falls on day of a
// month at hour:minute in loc. day is 1..28, so every month has it.
func NextPick(t time.Time, day, hour, minute int, loc *time.Location) time.Time {
	local := t.In(loc)
	for i := 0; ; i++ {
		at := time.Date(local.Year(), local.Month()+time.Month(i), day, hour, minute, 0, 0, loc)
		if at.After(t) {
			return at
		}
	}
}
