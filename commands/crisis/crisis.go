// Package crisis implements /crisis: opening an incident room with the right
// people and the playbook's brief, the room's timeline, decisions and
// approvals, durable check-ins, and the post-incident summary.
package crisis

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/privacy"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// Timer kinds.
const (
	timerCheckIn = "crisis.checkin"
	timerResume  = "crisis.resume"
)

// Store is what crises need from the store.
type Store interface {
	store.Crises
	store.Decisions
	store.Roles
}

type handlers struct {
	commands.Deps
	crises  Store
	privacy privacy.Rule
}

// Register adds the /crisis commands and the crisis timers.
func Register(r *bot.Router, d commands.Deps, s Store) {
	h := &handlers{Deps: d, crises: s, privacy: privacy.Rule{Members: s, Roles: d.Roster()}}
	r.Describe("crisis", "Crisis rooms: open · status · sev · decide · propose · approve · reject · resolve · list")
	r.Register(
		bot.Command{
			Group: "crisis", Name: "open", Args: "<sev1|sev2|sev3|sev4> <title…> [--brand B] [--confidential]",
			Summary:  "Open a crisis room: invite the severity's roles, pin the brief, start check-ins (--confidential hides the title outside the room)",
			Examples: []string{"/crisis open sev2 Checkout outage --brand acme", "/crisis open sev1 Settlement talks --confidential"},
			Options:  []string{"brand"}, Switches: []string{"confidential"}, MinWords: 2, Handler: h.open,
		},
		bot.Command{
			Group: "crisis", Name: "status", Args: "<update…>",
			Summary:  "Add a status update to the room's timeline",
			Examples: []string{"/crisis status Payments team confirms root cause"},
			MinWords: 1, Handler: h.status,
		},
		bot.Command{
			Group: "crisis", Name: "sev", Args: "<sev1|sev2|sev3|sev4>",
			Summary:  "Re-classify the crisis and invite the roles the new severity adds",
			MinWords: 1, Checks: []string{"crisis.sev"}, Handler: h.sev,
		},
		bot.Command{
			Group: "crisis", Name: "decide", Args: "<decision…>",
			Summary:  "Record a decision in the crisis timeline and the decision log",
			MinWords: 1, Handler: h.decide,
		},
		bot.Command{
			Group: "crisis", Name: "propose", Args: "<response…>",
			Summary:  "Ask the approvers to approve a response",
			Examples: []string{"/crisis propose We're aware of checkout issues and are fixing them."},
			MinWords: 1, Handler: h.propose,
		},
		bot.Command{
			Group: "crisis", Name: "approve", Args: "<proposal-id>",
			Summary:  "Approve a proposed response (approvers only, once each)",
			MinWords: 1, Handler: h.approve,
		},
		bot.Command{
			Group: "crisis", Name: "reject", Args: "<proposal-id> <reason…>",
			Summary:  "Reject a proposed response, saying why",
			MinWords: 2, Handler: h.reject,
		},
		bot.Command{
			Group: "crisis", Name: "resolve", Args: "<summary…>",
			Summary:  "Resolve the crisis: stop check-ins and post the summary with its timings",
			MinWords: 1, Checks: []string{"crisis.resolve"}, Handler: h.resolve,
		},
		bot.Command{
			Group: "crisis", Name: "list", Args: "[--all]",
			Summary:  "List open crises (and closed ones with --all)",
			Switches: []string{"all"}, Handler: h.list,
		},
	)
	d.Scheduler.Handle(timerCheckIn, h.checkIn)
	d.Scheduler.Handle(timerResume, h.resume)
}

// severity validates a severity word.
func (h *handlers) severity(word string) (string, config.Severity, error) {
	level := strings.ToLower(word)
	sev, ok := h.Config.Severity(level)
	if !ok {
		return "", sev, bot.Errorf(bot.EInvalid, "unknown severity %q; use one of %s", word, strings.Join(h.Config.SeverityLevels(), ", "))
	}
	return level, sev, nil
}

// roomCrisis finds the open crisis whose room the request came from.
func (h *handlers) roomCrisis(ctx context.Context, c *bot.Context) (store.Crisis, error) {
	cr, err := h.crises.CrisisByRoom(ctx, c.Channel)
	if bot.IsCode(err, bot.ENotFound) {
		return cr, bot.Errorf(bot.EInvalid, "/crisis %s works inside a crisis room; see /crisis list", c.Command.Name)
	}
	if err != nil {
		return cr, fmt.Errorf("find crisis of %s: %w", c.Channel, err)
	}
	if cr.Status != store.CrisisOpen {
		return cr, mustBeOpen(cr)
	}
	return cr, nil
}

// isMember reports whether person is in the crisis room.
func (h *handlers) isMember(ctx context.Context, crisisID int64, person string) (bool, error) {
	ms, err := h.crises.CrisisMembers(ctx, crisisID)
	if err != nil {
		return false, fmt.Errorf("list members of crisis %d: %w", crisisID, err)
	}
	for _, m := range ms {
		if strings.EqualFold(m.Person, person) {
			return true, nil
		}
	}
	return false, nil
}

// timeline appends an entry to an open crisis's timeline, version-checked
// against the crisis so that nothing follows its "resolved" entry. The first
// "status" and "approved" entries also stamp the times the summary reports,
// in the same write.
func (h *handlers) timeline(ctx context.Context, cr store.Crisis, actor, kind, text string) error {
	_, err := h.change(ctx, cr.ID, func(cur store.Crisis) (store.CrisisUpdate, error) {
		if err := mustBeOpen(cur); err != nil {
			return store.CrisisUpdate{}, err
		}
		now := h.Clock.Now()
		switch {
		case kind == "status" && cur.FirstStatusAt.IsZero():
			cur.FirstStatusAt = now
		case kind == "approved" && cur.FirstApprovedAt.IsZero():
			cur.FirstApprovedAt = now
		}
		return store.CrisisUpdate{Crisis: cur, Timeline: []store.TimelineEntry{h.entry(actor, kind, text)}}, nil
	})
	if err != nil {
		return fmt.Errorf("add %s to timeline of crisis %d: %w", kind, cr.ID, err)
	}
	return nil
}

// stamp formats a time with date, since crises last days.
func (h *handlers) stamp(t time.Time) string {
	return t.In(h.Config.Org.Location).Format("Mon 02 Jan 15:04")
}

func mentions(people []string) string {
	if len(people) == 0 {
		return "nobody"
	}
	return "@" + strings.Join(people, ", @")
}
