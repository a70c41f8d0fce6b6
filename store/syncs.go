package store

import (
	"context"
	"time"
)

// Sync is a standing monthly cross-functional sync between the social team
// and one department.
type Sync struct {
	ID         int64
	Department string
	// Week is the week of the month: 1..4, or -1 for the last.
	Week     int
	Weekday  time.Weekday
	Clock    string // local start time, "15:00"
	TimeZone string // IANA zone the clock is read in
	Duration time.Duration
	// NextAt is the start of the next occurrence, the one the sync's timers
	// are armed for (a skipped occurrence is already passed over).
	NextAt time.Time
	// FacilitatorTurn is the position of the facilitator rotation: how many
	// agendas named a facilitator.
	FacilitatorTurn int64
	CreatedBy       string
	CreatedAt       time.Time
	// Version is bumped by every write of the progress; a write must name
	// the version it read.
	Version int64
}

// Syncs keeps the standing syncs. Their notes are decisions (KindSyncNote,
// Ref "sync:<id>").
type Syncs interface {
	// CreateSync stores a new sync and returns it with its id; EConflict
	// when the department already has one.
	CreateSync(ctx context.Context, s Sync) (Sync, error)
	// Sync returns one sync; ENotFound when there is none.
	Sync(ctx context.Context, id int64) (Sync, error)
	// ListSyncs lists every sync by id.
	ListSyncs(ctx context.Context) ([]Sync, error)
	// SaveSyncProgress writes sy's NextAt and FacilitatorTurn if the sync
	// is still at sy.Version, and returns it as written: ErrStale (code
	// EConflict) when another write got there first, ENotFound when it was
	// removed.
	SaveSyncProgress(ctx context.Context, sy Sync) (Sync, error)
	// DeleteSync removes a sync; ENotFound when there is none.
	DeleteSync(ctx context.Context, id int64) error
}
