// Package store defines Interlock's persistent records and the interfaces
// the features use to keep them. Implementations: store/postgres (pgx/v5)
// and store/sqlite (embedded, pure Go); both share store/sqlstore and pass
// the conformance suite in store/storetest.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// ErrStale is the cause of the EConflict error a version-checked write
// returns when the row changed since it was read. The caller reads it again,
// checks that its change still applies, and retries a bounded number of
// times; test for it with errors.Is.
var ErrStale = errors.New("changed since it was read")

// ErrPointsTaken is the cause of the EConflict error of an alert change
// whose listening points another writer judged, revised or holds: that
// writer judges them (a revision is judged by the request that stored it).
var ErrPointsTaken = errors.New("listening points judged, revised or held by another writer")

// Stale returns the coded error of a version-checked write that lost a race
// for what, e.g. "crisis #4".
func Stale(what string) error {
	return &bot.Error{Code: bot.EConflict, Message: what + " changed meanwhile; please try again", Err: ErrStale}
}

// ParallelWriter is a store ability: how many write transactions it runs
// at once to good effect. A store without it writes one at a time (the
// embedded store's single connection), so merging concurrent writes into
// one transaction is all there is to gain.
type ParallelWriter interface {
	ParallelWrites() int
}

// Store is everything the features persist.
type Store interface {
	Roles
	Decisions
	Crises
	Listening
	Mentions
	Routes
	Experiments
	Syncs
	KPIs
	Contents
	Accounts
	Requests
	Templates
	Digests
	bot.TimerStore
	bot.ButtonStore
	Ping(ctx context.Context) error
	Close() error
}

// RoleAssignment is one person holding one role, for one brand ("" = all
// brands), as holder or backup.
type RoleAssignment struct {
	Role       string
	Person     string
	Brand      string
	Backup     bool
	AssignedBy string
	AssignedAt time.Time
}

// ErrWouldDemote is AssignRole's answer to a backup assignment of a person
// who holds the role: the holder stays the holder.
var ErrWouldDemote = bot.Errorf(bot.EConflict, "the holder of a role is never made a backup by an assignment")

// Roles keeps role assignments. Every change is also appended to the
// decision log (kind "role") in the same transaction.
type Roles interface {
	// AssignRole adds or updates an assignment; changed is false when the
	// same assignment already held. It never turns a holder into a backup:
	// assigning a backup to the role's holder (same brand) changes nothing
	// and returns ErrWouldDemote.
	AssignRole(ctx context.Context, a RoleAssignment) (changed bool, err error)
	// RemoveRole removes person from role (all brands when brand is "*");
	// removed is false when there was nothing to remove.
	RemoveRole(ctx context.Context, role, person, brand, by string, at time.Time) (removed bool, err error)
	// RoleAssignments lists current assignments of role ("" = every role),
	// ordered by role, brand, backup, person.
	RoleAssignments(ctx context.Context, role string) ([]RoleAssignment, error)
	// SeedRoles adds the configuration's holders that were never assigned or
	// removed before, so a removal survives restarts.
	SeedRoles(ctx context.Context, as []RoleAssignment) error
}

// Decision kinds.
const (
	KindDecision = "decision"
	KindApproval = "approval"
	KindRole     = "role"
	KindResult   = "test-result"
	KindSyncNote = "sync-note"
	KindCrisis   = "crisis"
)

// Decision is one entry of the append-only decision log.
type Decision struct {
	ID       int64
	Kind     string
	Text     string
	Context  string
	Actor    string
	Brand    string
	CrisisID int64  // 0 when not about a crisis
	Ref      string // what it is about, e.g. "test:3", "sync:2"
	At       time.Time
}

// MaxSearchLen is the longest search text, in characters, that a listing
// accepts: longer ones are refused with EInvalid rather than handed to the
// database as a huge LIKE pattern (SQLite refuses those as too complex).
const MaxSearchLen = 200

// DecisionQuery filters the decision log. Zero values match everything.
type DecisionQuery struct {
	Search   string // case-insensitive substring of text or context, wildcards literal; at most MaxSearchLen
	Since    time.Time
	Kind     string
	CrisisID int64
	Ref      string
	Limit    int // newest first; 0 = 50
}

// Decisions is the append-only decision log: the database refuses UPDATE and
// DELETE on it.
type Decisions interface {
	AppendDecision(ctx context.Context, d Decision) (Decision, error)
	ListDecisions(ctx context.Context, q DecisionQuery) ([]Decision, error)
}
