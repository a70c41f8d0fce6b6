package accounts

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// Flag kinds.
const (
	FlagUntrained     = "untrained"          // someone lacks the course their level requires
	FlagTwoFactorOff  = "2fa-off"            // two-factor login is off
	FlagAbandoned     = "abandoned"          // no post for accounts.abandoned_after
	FlagOwnerNoRole   = "owner-without-role" // the owner holds no role any more
	FlagReviewOverdue = "review-overdue"     // the access review is late
)

// Flag is one problem with an account.
type Flag struct {
	Kind string
	Text string
}

// Flagged is an account and its flags.
type Flagged struct {
	Account store.Account
	Flags   []Flag
}

// Has reports whether the account has a flag of kind.
func (f Flagged) Has(kind string) bool {
	return slices.ContainsFunc(f.Flags, func(fl Flag) bool { return fl.Kind == kind })
}

// facts are what the flags are computed from besides the account.
type facts struct {
	cfg     config.Accounts
	now     time.Time
	trained map[string]map[string]bool // person -> course
	roles   map[string]bool            // people holding any role
	day     func(time.Time) string
}

// facts reads the trainings and the role roster once for many accounts.
func (s *Service) facts(ctx context.Context) (facts, error) {
	f := facts{cfg: s.Config.Accounts, now: s.Clock.Now(), trained: map[string]map[string]bool{}, roles: map[string]bool{}, day: s.day}
	ts, err := s.Store.Trainings(ctx, "")
	if err != nil {
		return f, err
	}
	for _, t := range ts {
		if f.trained[t.Person] == nil {
			f.trained[t.Person] = map[string]bool{}
		}
		f.trained[t.Person][t.Course] = true
	}
	as, err := s.Store.RoleAssignments(ctx, "")
	if err != nil {
		return f, fmt.Errorf("read roles: %w", err)
	}
	for _, a := range as {
		f.roles[a.Person] = true
	}
	return f, nil
}

// flags computes an account's flags; a removed account has none.
func (f facts) flags(a store.Account) []Flag {
	if a.Removed() {
		return nil
	}
	var out []Flag
	for _, x := range a.Access {
		if course := f.cfg.Training[x.Level]; course != "" && !f.trained[x.Person][course] {
			out = append(out, Flag{FlagUntrained, fmt.Sprintf("@%s (%s) has not done %s", x.Person, x.Level, course)})
		}
	}
	if !a.TwoFactor {
		out = append(out, Flag{FlagTwoFactorOff, "two-factor login is off"})
	}
	since := a.LastPostAt
	if since.IsZero() {
		since = a.CreatedAt // never posted: counted from when it was added
	}
	if f.now.Sub(since) >= f.cfg.AbandonedAfter {
		out = append(out, Flag{FlagAbandoned, "no post since " + f.day(a.LastPostAt)})
	}
	if !f.roles[a.Owner] {
		out = append(out, Flag{FlagOwnerNoRole, fmt.Sprintf("owner @%s holds no role", a.Owner)})
	}
	if due, late := f.reviewLate(a); late {
		out = append(out, Flag{FlagReviewOverdue, "access review due " + f.day(due)})
	}
	return out
}

// reviewLate tells when the account's review was due and whether it is
// late: an open review unconfirmed past the reminder, or none sent when
// one was due.
func (f facts) reviewLate(a store.Account) (time.Time, bool) {
	if a.Reviewing() {
		return a.ReviewStartedAt, !f.now.Before(a.ReviewStartedAt.Add(f.cfg.Remind))
	}
	last := a.LastReviewAt
	if last.IsZero() {
		last = a.CreatedAt
	}
	due := last.Add(f.cfg.ReviewEvery)
	return due, f.now.After(due)
}

// flagged lists the accounts of q with their flags.
func (s *Service) flagged(ctx context.Context, q store.AccountQuery) ([]Flagged, error) {
	as, err := s.Store.ListAccounts(ctx, q)
	if err != nil {
		return nil, err
	}
	f, err := s.facts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Flagged, len(as))
	for i, a := range as {
		out[i] = Flagged{Account: a, Flags: f.flags(a)}
	}
	return out, nil
}

// Flagged lists every account in the inventory that has at least one flag,
// for the command center and the digests.
func (s *Service) Flagged(ctx context.Context) ([]Flagged, error) {
	all, err := s.flagged(ctx, store.AccountQuery{})
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(f Flagged) bool { return len(f.Flags) == 0 }), nil
}
