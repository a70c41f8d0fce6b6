// Package approval is the one approval engine that crisis proposals and
// content stages share. It decides who may answer a ballot and when a
// ballot's quorum is met; the features store the answers and say what
// happens next. It registers no command.
//
// The rules:
//   - quorum counts distinct approver roles, not people;
//   - each person answers a ballot once;
//   - only holders (or backups) of one of the ballot's approver roles, for
//     the item's brand or for all brands, may answer;
//   - with segregation of duties on, whoever submitted the item may never
//     answer it.
package approval

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// Answer is one person's recorded answer to a ballot.
type Answer struct {
	Person  string
	Role    string // the approver role the answer counts for
	Approve bool
}

// Ballot is one question put to approvers: a crisis proposal, or one stage
// of a content item at one version.
type Ballot struct {
	Subject   string   // how messages name it: "proposal #3"
	Roles     []string // approver roles
	Quorum    int      // distinct roles that must approve
	Brand     string   // "" = all brands
	Submitter string   // who asked; refused as an approver under Segregate
	Segregate bool     // segregation of duties
	Answers   []Answer // answers so far
}

// Answered reports whether person has answered already.
func (b Ballot) Answered(person string) bool {
	return slices.ContainsFunc(b.Answers, func(a Answer) bool { return strings.EqualFold(a.Person, person) })
}

// Check decides whether person, who holds held of the ballot's roles (see
// HeldRoles), may answer now, and returns the role the answer counts for:
// one not yet covered by an approval when there is such a role.
func (b Ballot) Check(person string, held []string) (string, error) {
	if b.Answered(person) {
		return "", bot.Errorf(bot.EConflict, "you already answered %s", b.Subject)
	}
	if len(held) == 0 {
		return "", bot.Errorf(bot.EForbidden, "only holders of %s may answer %s", strings.Join(b.Roles, " or "), b.Subject)
	}
	if b.Segregate && strings.EqualFold(person, b.Submitter) {
		return "", bot.Errorf(bot.EForbidden, "you submitted %s: segregation of duties means someone else must answer it", b.Subject)
	}
	covered := b.Covered()
	for _, r := range held {
		if !covered[r] {
			return r, nil
		}
	}
	return held[0], nil
}

// Covered returns the roles that at least one approval counts for.
func (b Ballot) Covered() map[string]bool {
	covered := map[string]bool{}
	for _, a := range b.Answers {
		if a.Approve {
			covered[a.Role] = true
		}
	}
	return covered
}

// With returns the ballot with one more answer.
func (b Ballot) With(a Answer) Ballot {
	b.Answers = append(slices.Clone(b.Answers), a)
	return b
}

// Approvals is how many distinct roles approved so far.
func (b Ballot) Approvals() int { return len(b.Covered()) }

// Met reports whether the quorum of distinct roles has approved.
func (b Ballot) Met() bool { return b.Approvals() >= b.Quorum }

// HeldRoles returns which of roles person holds for brand (or for all
// brands, or any brand when brand is ""), as holder or backup.
func HeldRoles(ctx context.Context, s store.Roles, person string, roles []string, brand string) ([]string, error) {
	var held []string
	for _, role := range roles {
		as, err := s.RoleAssignments(ctx, role)
		if err != nil {
			return nil, fmt.Errorf("holders of %s: %w", role, err)
		}
		for _, a := range as {
			if strings.EqualFold(a.Person, person) && (a.Brand == "" || brand == "" || a.Brand == brand) {
				held = append(held, role)
				break
			}
		}
	}
	return held, nil
}

// Holders answers who acts for a role on a brand (commands.Roster does).
type Holders interface {
	Holders(ctx context.Context, role, brand string) (people []string, fromBackup bool, err error)
}

// Approvers lists everyone who acts for one of roles on brand, each once:
// the people an approval request goes to.
func Approvers(ctx context.Context, r Holders, roles []string, brand string) ([]string, error) {
	var out []string
	for _, role := range roles {
		people, _, err := r.Holders(ctx, role, brand)
		if err != nil {
			return nil, err
		}
		for _, p := range people {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out, nil
}
