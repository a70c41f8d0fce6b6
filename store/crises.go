package store

import (
	"context"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// Crisis statuses.
const (
	CrisisOpen     = "open"
	CrisisResolved = "resolved"
)

// Crisis is one incident and its room. Zero times mean "not yet".
type Crisis struct {
	ID              int64
	Brand           string // "" = all brands
	Title           string
	Severity        string // sev1..sev4
	Status          string
	OpenedBy        string
	OpenedAt        time.Time
	RoomID          string
	RoomName        string
	BriefChannel    string // where the pinned brief is
	BriefID         string
	AssembledAt     time.Time // every invitation delivered
	FirstStatusAt   time.Time
	FirstApprovedAt time.Time
	LastCheckInAt   time.Time
	ResolvedAt      time.Time
	ResolvedBy      string
	Summary         string
	Missing         string // roles without a holder, comma-separated
	// Version is bumped by every write; a write must name the version it
	// read (see UpdateCrisis).
	Version int64
	// Confidential hides the title from people outside the room too. It is
	// set when the crisis is created; SaveCrisis leaves it as it is.
	Confidential bool
}

// CrisisUpdate is one version-checked change to a crisis, written in one
// transaction with everything that goes with it, so that a change that
// loses a race leaves no timeline entry, decision or timer behind.
type CrisisUpdate struct {
	// Crisis is the new state; its Version must be the one that was read.
	Crisis    Crisis
	Timeline  []TimelineEntry // appended (CrisisID is filled in)
	Decisions []Decision      // appended to the decision log
	Schedule  []bot.Timer     // armed; a pending timer with the same key is moved
	Cancel    []string        // keys of pending timers to remove
}

// CrisisStep is one step of opening a crisis room.
type CrisisStep struct {
	Name      string // room, invite, topic, brief, pin, checkin
	Done      bool
	Attempts  int
	LastError string
	UpdatedAt time.Time
}

// CrisisMember is a person in a crisis room.
type CrisisMember struct {
	Person    string
	Role      string // the role they were invited for; "" if opener or added by hand
	InvitedAt time.Time
}

// TimelineEntry is one line of a crisis timeline.
type TimelineEntry struct {
	ID       int64
	CrisisID int64
	At       time.Time
	Actor    string
	Kind     string // opened, status, sev, decision, proposal, approved, rejected, checkin, resolved, step
	Text     string
}

// Proposal statuses.
const (
	ProposalPending  = "pending"
	ProposalApproved = "approved"
	ProposalRejected = "rejected"
)

// Proposal is a response awaiting the approvers' quorum.
type Proposal struct {
	ID            int64
	CrisisID      int64
	Text          string
	ProposedBy    string
	ProposedAt    time.Time
	ApproverRoles []string
	Quorum        int
	Status        string
	DecidedAt     time.Time
}

// ProposalVotes is a proposal with the votes cast on it.
type ProposalVotes struct {
	Proposal
	Votes []Vote
}

// Vote is one approver's answer to a proposal.
type Vote struct {
	ProposalID int64
	Person     string
	Role       string // the approver role the vote counts for
	Approve    bool
	Reason     string
	At         time.Time
}

// Crises keeps crises, their opening steps, members, timelines and
// proposals.
type Crises interface {
	// CreateCrisis stores a new open crisis with its steps pending. If an
	// open crisis with the same brand and title (case-insensitive) exists,
	// it returns that one and created=false.
	CreateCrisis(ctx context.Context, c Crisis, steps []string) (got Crisis, created bool, err error)
	Crisis(ctx context.Context, id int64) (Crisis, error) // ENotFound
	CrisisByRoom(ctx context.Context, roomID string) (Crisis, error)
	// ListCrises lists open crises, or all when all is true, newest first.
	ListCrises(ctx context.Context, all bool) ([]Crisis, error)
	// UpdateCrisis writes u if the crisis is still at u.Crisis.Version and
	// returns it as written, with its new version. ErrStale (code
	// EConflict) when another write got there first: read it again, check
	// the change still applies and retry. ENotFound when there is no such
	// crisis; EConflict when reopening it would make two open crises with
	// one title.
	UpdateCrisis(ctx context.Context, u CrisisUpdate) (Crisis, error)
	// SaveCrisis is UpdateCrisis with nothing but the crisis.
	SaveCrisis(ctx context.Context, c Crisis) error

	// Steps lists a crisis's opening steps in creation order.
	CrisisSteps(ctx context.Context, crisisID int64) ([]CrisisStep, error)
	// MarkStep records an attempt at a step: done, or failed with errText.
	MarkStep(ctx context.Context, crisisID int64, step string, done bool, errText string, at time.Time) error

	// AddCrisisMembers adds people (ignoring those already members).
	AddCrisisMembers(ctx context.Context, crisisID int64, ms []CrisisMember) error
	CrisisMembers(ctx context.Context, crisisID int64) ([]CrisisMember, error)

	AddTimeline(ctx context.Context, e TimelineEntry) (TimelineEntry, error)
	Timeline(ctx context.Context, crisisID int64) ([]TimelineEntry, error) // oldest first

	CreateProposal(ctx context.Context, p Proposal) (Proposal, error)
	Proposal(ctx context.Context, id int64) (Proposal, error)
	ListProposals(ctx context.Context, crisisID int64) ([]Proposal, error)
	// PendingProposals lists the pending proposals of the given crises,
	// ordered by crisis then oldest first, each with its votes in the order
	// they were cast: a page showing many crises reads them all at once.
	PendingProposals(ctx context.Context, crisisIDs []int64) ([]ProposalVotes, error)
	// AddVote records a vote; EConflict if the person already voted on it.
	AddVote(ctx context.Context, v Vote) error
	Votes(ctx context.Context, proposalID int64) ([]Vote, error)
	// SetProposalStatus moves a pending proposal to approved or rejected;
	// changed is false if it was no longer pending.
	SetProposalStatus(ctx context.Context, id int64, status string, at time.Time) (changed bool, err error)
}
