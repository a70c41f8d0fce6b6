package store

import (
	"context"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// Access levels on a social account, from most to least power.
const (
	LevelAdmin     = "admin"
	LevelPublisher = "publisher"
	LevelViewer    = "viewer"
)

// AccountLevels are the access levels in order of power.
var AccountLevels = []string{LevelAdmin, LevelPublisher, LevelViewer}

// Review marks an owner puts on a person's access during a review.
const (
	MarkKeep   = "keep"
	MarkRevoke = "revoke"
)

// KindAccount is the decision-log kind of access-review outcomes.
const KindAccount = "account"

// Account is one social account of the inventory. Zero times mean "never"
// (or "not now" for the review fields). A removed account stays, with
// RemovedAt set, so its history can still be read.
type Account struct {
	ID        int64
	Network   string // lower case: instagram, x, linkedin, …
	Handle    string // as written, without a leading @
	Brand     string
	Owner     string
	Backup    string
	Dept      string
	URL       string
	TwoFactor bool
	// LastPostAt is the last time the account published, set by hand.
	LastPostAt time.Time
	// LastReviewAt is when the owner last confirmed an access review.
	LastReviewAt time.Time
	// The open access review, if any: when it was sent, reminded and
	// escalated to it-security.
	ReviewStartedAt   time.Time
	ReviewRemindedAt  time.Time
	ReviewEscalatedAt time.Time
	CreatedBy         string
	CreatedAt         time.Time
	RemovedBy         string
	RemovedAt         time.Time
	Access            []AccountAccess // ordered by person
}

// Removed reports whether the account was removed from the inventory.
func (a Account) Removed() bool { return !a.RemovedAt.IsZero() }

// Reviewing reports whether an access review is open.
func (a Account) Reviewing() bool { return !a.ReviewStartedAt.IsZero() }

// AccessOf returns the access person holds, if any.
func (a Account) AccessOf(person string) (AccountAccess, bool) {
	for _, x := range a.Access {
		if x.Person == person {
			return x, true
		}
	}
	return AccountAccess{}, false
}

// AccountAccess is one person's access to an account.
type AccountAccess struct {
	Person    string
	Level     string
	GrantedBy string
	GrantedAt time.Time
	Mark      string // MarkKeep or MarkRevoke during an open review, else ""
}

// AccountEvent is one entry of an account's append-only history.
type AccountEvent struct {
	AccountID int64
	At        time.Time
	Actor     string // "" for the bot itself
	Action    string // added, edited, granted, revoked, review, confirmed, removed, …
	Text      string
}

// AccountUpdate is what UpdateAccount's change may write: the account's new
// state (access included), history entries, a decision-log entry and
// timers to arm or cancel, all in the same transaction.
type AccountUpdate struct {
	Account  Account
	Events   []AccountEvent
	Decision *Decision
	Timers   []bot.Timer
	Cancel   []string // keys of pending timers to cancel
}

// AccountQuery filters ListAccounts. Zero values match every account that
// is not removed.
type AccountQuery struct {
	Brand   string
	Person  string // owner, backup or anyone with access
	Removed bool   // list removed accounts too
}

// Training is a course a person has completed.
type Training struct {
	Person     string
	Course     string
	On         time.Time
	RecordedBy string
}

// Accounts keeps the social account inventory, who has access, the
// training people have done and each account's history.
type Accounts interface {
	// AddAccount stores a new account and its first history entry, and arms
	// arm's timers, in one transaction. A network and handle already in the
	// inventory (and not removed) is an EConflict error.
	AddAccount(ctx context.Context, a Account, e AccountEvent, arm func(Account) []bot.Timer) (Account, error)
	// Account loads one account, removed or not (ENotFound when none).
	Account(ctx context.Context, id int64) (Account, error)
	// UpdateAccount runs change on the account with its row held, then
	// writes what change left in the update, in one transaction. An error
	// from change is returned as it is and nothing is written.
	UpdateAccount(ctx context.Context, id int64, change func(*AccountUpdate) error) (Account, error)
	// ListAccounts lists accounts by network and handle.
	ListAccounts(ctx context.Context, q AccountQuery) ([]Account, error)
	// AccountHistory lists an account's history, oldest first.
	AccountHistory(ctx context.Context, id int64) ([]AccountEvent, error)
	// RecordTraining records that a person completed a course on a day; a
	// course recorded again keeps the latest day.
	RecordTraining(ctx context.Context, t Training) error
	// Trainings lists the courses person completed ("" = everybody's).
	Trainings(ctx context.Context, person string) ([]Training, error)
}
