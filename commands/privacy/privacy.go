// Package privacy holds the one rule for who may see inside a crisis room.
// A crisis's decisions, timeline, proposals and summary are for its room's
// members and for holders of social-lead and exec; everyone else sees only
// that the crisis exists, its severity and brand, and its title unless it
// was opened with --confidential. Every feature that shows a crisis (the
// crisis commands, the decision log, sync agendas) and every later reader
// (the command center, digests) asks this package rather than deciding for
// itself.
package privacy

import (
	"context"
	"fmt"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/store"
)

// SeeEveryCrisis are the roles whose holders (any brand, holder or backup)
// see inside every crisis room.
var SeeEveryCrisis = []string{"social-lead", "exec"}

// ConfidentialTitle stands for the title of a confidential crisis.
const ConfidentialTitle = "(confidential)"

// Members lists the people of a crisis room.
type Members interface {
	CrisisMembers(ctx context.Context, crisisID int64) ([]store.CrisisMember, error)
}

// Rule decides who sees inside a crisis.
type Rule struct {
	Members Members
	Roles   bot.RoleChecker
}

// New returns the rule over the features' store and roster.
func New(d commands.Deps) Rule { return Rule{Members: d.Store, Roles: d.Roster()} }

// Sees reports whether person may see inside crisis crisisID. Nobody ("")
// stands for an audience that is not one person, such as a channel post
// or a digest, and sees inside no crisis.
func (r Rule) Sees(ctx context.Context, person string, crisisID int64) (bool, error) {
	return r.Viewer(person).Sees(ctx, crisisID)
}

// Viewer returns the rule applied to one person, who may ask about many
// crises in one request: the answers are remembered.
func (r Rule) Viewer(person string) *Viewer {
	return &Viewer{rule: r, person: person, crises: map[int64]bool{}}
}

// Viewer is one person looking at crises. It is not safe for concurrent
// use; make one per request.
type Viewer struct {
	rule    Rule
	person  string
	seesAll *bool
	crises  map[int64]bool
}

// Person returns who is looking ("" for nobody in particular).
func (v *Viewer) Person() string { return v.person }

// Sees reports whether the viewer may see inside crisis crisisID.
func (v *Viewer) Sees(ctx context.Context, crisisID int64) (bool, error) {
	if v.person == "" {
		return false, nil
	}
	if ok, known := v.crises[crisisID]; known {
		return ok, nil
	}
	all, err := v.seesEveryCrisis(ctx)
	if err != nil {
		return false, err
	}
	ok := all
	if !ok {
		if ok, err = v.isMember(ctx, crisisID); err != nil {
			return false, err
		}
	}
	v.crises[crisisID] = ok
	return ok, nil
}

func (v *Viewer) seesEveryCrisis(ctx context.Context) (bool, error) {
	if v.seesAll == nil {
		held, err := v.rule.Roles.HeldRoles(ctx, v.person, SeeEveryCrisis)
		if err != nil {
			return false, fmt.Errorf("roles of %s: %w", v.person, err)
		}
		all := len(held) > 0
		v.seesAll = &all
	}
	return *v.seesAll, nil
}

func (v *Viewer) isMember(ctx context.Context, crisisID int64) (bool, error) {
	ms, err := v.rule.Members.CrisisMembers(ctx, crisisID)
	if err != nil {
		return false, fmt.Errorf("members of crisis %d: %w", crisisID, err)
	}
	for _, m := range ms {
		if strings.EqualFold(m.Person, v.person) {
			return true, nil
		}
	}
	return false, nil
}

// Title returns the crisis's title as shown to someone who does (sees) or
// does not see inside it.
func Title(cr store.Crisis, sees bool) string {
	if cr.Confidential && !sees {
		return ConfidentialTitle
	}
	return cr.Title
}

// Decisions keeps the entries of ds that the viewer may see, in order, and
// counts those it hid: entries about a crisis the viewer does not see
// inside.
func (v *Viewer) Decisions(ctx context.Context, ds []store.Decision) (shown []store.Decision, hidden int, err error) {
	shown = make([]store.Decision, 0, len(ds))
	for _, d := range ds {
		if d.CrisisID != 0 {
			ok, err := v.Sees(ctx, d.CrisisID)
			if err != nil {
				return nil, 0, err
			}
			if !ok {
				hidden++
				continue
			}
		}
		shown = append(shown, d)
	}
	return shown, hidden, nil
}

// HiddenNote says how many entries were hidden, or "" when none were.
func HiddenNote(hidden int) string {
	switch hidden {
	case 0:
		return ""
	case 1:
		return "1 entry from a private crisis room is hidden."
	}
	return fmt.Sprintf("%d entries from private crisis rooms are hidden.", hidden)
}
