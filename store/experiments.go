package store

import (
	"context"
	"time"
)

// Experiment statuses: proposed → picked → running → done, or dropped.
const (
	ExperimentProposed = "proposed"
	ExperimentPicked   = "picked"
	ExperimentRunning  = "running"
	ExperimentDone     = "done"
	ExperimentDropped  = "dropped"
)

// Experiment is one row of the shared testing sheet (a /test). Zero times
// mean "not yet".
type Experiment struct {
	ID         int64
	Title      string
	Hypothesis string
	Metric     string
	Brand      string // the proposing brand; "" = all brands
	Channel    string // the social channel it runs on, e.g. "instagram"
	Proposer   string
	ProposedAt time.Time
	Votes      int // filled in by the store
	Status     string
	Owner      string // who runs it, assigned at the pick
	OwnerBrand string // the brand whose turn it was
	PickedBy   string // a person, or "schedule" for the monthly pick
	PickedAt   time.Time
	StartedAt  time.Time
	DroppedAt  time.Time
	Result     *ExperimentResult // nil until a result is recorded
	// Replications are the brands that adopted the winning variant, in the
	// order they did.
	Replications []string
}

// Arm is one variant's outcome: successes out of trials.
type Arm struct {
	Successes int64
	Trials    int64
}

// ExperimentResult is the read-out of an A/B test.
type ExperimentResult struct {
	A, B    Arm
	Lift    float64 // relative lift of B over A (0.375 = +37.5%); NaN when A's rate is 0
	PValue  float64 // two-sided: pooled two-proportion z-test, or Fisher's exact test for small counts
	Winner  string  // "a", "b", or "" when no variant won at 95%
	Verdict string  // the plain-language verdict shown to people
	Notes   string
	By      string
	At      time.Time
}

// ExperimentPick assigns a proposed experiment to its owner.
type ExperimentPick struct {
	ID         int64
	Owner      string
	OwnerBrand string
	By         string
	At         time.Time
	// Turn is the brand-rotation position the owner was chosen with (see
	// SheetState.PickTurn). The pick advances the rotation to Turn+1 and
	// fails with EConflict if another pick advanced it meanwhile. A negative
	// Turn leaves the rotation alone.
	Turn int64
}

// SheetState is the testing sheet's own bookkeeping.
type SheetState struct {
	// PickTurn is the position of the owner rotation over brands: the
	// number of picks that took a turn.
	PickTurn int64
	// NextPickAt is when the monthly pick timer was last armed for; zero
	// when it never was.
	NextPickAt time.Time
}

// Experiments keeps the shared testing sheet.
type Experiments interface {
	// CreateExperiment stores a new proposed experiment and returns it with
	// its id.
	CreateExperiment(ctx context.Context, e Experiment) (Experiment, error)
	// Experiment returns one experiment; ENotFound when there is none.
	Experiment(ctx context.Context, id int64) (Experiment, error)
	// ListExperiments lists experiments with status ("" = all) by id.
	ListExperiments(ctx context.Context, status string) ([]Experiment, error)
	// VoteExperiment records person's vote on a proposed experiment:
	// EConflict when they already voted or it is no longer proposed.
	VoteExperiment(ctx context.Context, id int64, person string, at time.Time) (Experiment, error)
	// PickExperiment moves a proposed experiment to picked with its owner;
	// EConflict when it is not proposed (or the rotation moved, see Turn).
	PickExperiment(ctx context.Context, p ExperimentPick) (Experiment, error)
	// StartExperiment moves a picked experiment to running; EConflict
	// otherwise.
	StartExperiment(ctx context.Context, id int64, at time.Time) (Experiment, error)
	// DropExperiment moves an experiment that is not done to dropped;
	// EConflict otherwise.
	DropExperiment(ctx context.Context, id int64, at time.Time) (Experiment, error)
	// RecordExperimentResult stores the result of a picked or running
	// experiment, moves it to done and appends d to the decision log, in one
	// transaction; EConflict when it is in another status.
	RecordExperimentResult(ctx context.Context, id int64, r ExperimentResult, d Decision) (Experiment, Decision, error)
	// AddReplication records that brand adopted a done experiment's winning
	// variant: EConflict when there is no winner or the brand already did.
	AddReplication(ctx context.Context, id int64, brand, by string, at time.Time) (Experiment, error)
	// SheetState returns the sheet's rotation and monthly-pick bookkeeping.
	SheetState(ctx context.Context) (SheetState, error)
	// SetNextPick records when the monthly pick timer is armed for.
	SetNextPick(ctx context.Context, at time.Time) error
}
