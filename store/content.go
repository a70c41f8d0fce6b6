package store

import (
	"context"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// Content item statuses.
const (
	ContentInReview  = "in-review"
	ContentChanges   = "changes-requested" // back with the submitter
	ContentApproved  = "approved"
	ContentRejected  = "rejected"
	ContentWithdrawn = "withdrawn"
)

// Content stage statuses.
const (
	StageWaiting  = "waiting" // an earlier stage has not passed yet
	StagePending  = "pending" // its approvers are asked
	StageApproved = "approved"
	StageRejected = "rejected"
)

// Content answer verdicts.
const (
	VerdictApprove = "approve"
	VerdictChanges = "changes"
	VerdictReject  = "reject"
)

// ContentItem is a piece of content going through its approval chain.
// Zero times mean "not yet" (or "none" for PublishAt).
type ContentItem struct {
	ID               int64
	Title            string
	Link             string // "" when the content is Body
	Body             string // text to approve as written (a reply template), "" for a link
	Brand            string // "" = all brands
	Channel          string // where it will be published, free text
	Sensitivity      string
	SubmittedBy      string
	SubmittedAt      time.Time
	PublishAt        time.Time
	FastTrack        bool
	FastTrackReason  string
	Version          int // 1, then one more each resubmission
	Status           string
	DecidedAt        time.Time // approved, rejected or withdrawn
	DeadlineWarnedAt time.Time
	Stages           []ContentStage // in chain order
}

// ContentStage is one stage of an item's chain, copied from the
// configuration when the item was submitted.
type ContentStage struct {
	Position    int // 0-based order in the chain
	Name        string
	Roles       []string
	Quorum      int
	Target      time.Duration
	Status      string
	StartedAt   time.Time // when its approvers were last asked (restarts on resubmit)
	DecidedAt   time.Time
	RemindedAt  time.Time
	EscalatedAt time.Time
}

// ContentAnswer is one approver's answer to a stage at one version.
type ContentAnswer struct {
	ItemID   int64
	Position int
	Version  int
	Person   string
	Role     string
	Verdict  string // approve, changes, reject
	Comment  string
	At       time.Time
}

// ContentEntry is one line of an item's append-only trail.
type ContentEntry struct {
	ID      int64
	ItemID  int64
	At      time.Time
	Actor   string
	Action  string // submitted, approved, changes, resubmitted, rejected, withdrawn, stage-passed, final, reminded, escalated, deadline
	Stage   string // "" when about the whole item
	Version int
	Text    string
}

// ContentUpdate is an item's state handed to an update, and what the
// update adds; everything is written in the same transaction.
type ContentUpdate struct {
	Item    ContentItem     // change Item and Item.Stages in place
	Answers []ContentAnswer // every answer so far, all versions
	// Added by the update:
	NewAnswers []ContentAnswer // EConflict when a person already answered that stage at that version
	Trail      []ContentEntry
	Decisions  []Decision
	Timers     []bot.Timer
}

// ContentQuery filters content items. Zero values match everything.
type ContentQuery struct {
	Open        bool // in review or back with the submitter
	SubmittedBy string
	Brand       string
	DecidedFrom time.Time // decided in [DecidedFrom, DecidedTo)
	DecidedTo   time.Time
	// Submitted in [SubmittedFrom, SubmittedTo).
	SubmittedFrom time.Time
	SubmittedTo   time.Time
	Limit         int // newest first; 0 = 50, at most 10000
}

// Contents keeps content items, their stages, answers and trail. The trail
// is append-only: the database refuses UPDATE and DELETE on it.
type Contents interface {
	// SubmitContent stores a new item with its stages, the trail entry
	// that submits it and the timers arm returns for it once it has its id
	// (arm may be nil), and returns the item.
	SubmitContent(ctx context.Context, item ContentItem, entry ContentEntry, arm func(ContentItem) []bot.Timer) (ContentItem, error)
	ContentItem(ctx context.Context, id int64) (ContentItem, error) // ENotFound
	ListContent(ctx context.Context, q ContentQuery) ([]ContentItem, error)
	ContentAnswers(ctx context.Context, id int64) ([]ContentAnswer, error)
	ContentTrail(ctx context.Context, id int64) ([]ContentEntry, error) // oldest first
	// UpdateContent runs change on the item's current state while holding
	// its row, then writes the item and stages back with whatever change
	// added. An error from change is returned as is and nothing is written.
	UpdateContent(ctx context.Context, id int64, change func(*ContentUpdate) error) (ContentUpdate, error)
}
