package store

import (
	"context"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// Service request statuses. An open request is claimed when ClaimedBy is
// set.
const (
	RequestOpen      = "open"
	RequestDone      = "done"
	RequestCancelled = "cancelled"
)

// ServiceRequest is one request placed against the service catalogue.
// Zero times mean "not yet".
type ServiceRequest struct {
	ID          int64
	Service     string
	Details     string
	Fields      map[string]string // --field values, by field name
	RequestedBy string
	RequestedAt time.Time
	// Week is the Monday (YYYY-MM-DD, in the team's time zone) of the week
	// whose capacity the request takes; Queued tells that it is later than
	// the week it was placed in.
	Week       string
	Queued     bool
	DueAt      time.Time
	Status     string
	ClaimedBy  string
	ClaimedAt  time.Time
	Note       string // the latest /request update
	NoteAt     time.Time
	DoneAt     time.Time // done or cancelled
	Link       string    // the deliverable, from done --link
	Reason     string    // why it was cancelled
	RemindedAt time.Time
	LateAt     time.Time // when the social lead was told it is late
}

// Open reports whether the request still waits for delivery.
func (r ServiceRequest) Open() bool { return r.Status == RequestOpen }

// RequestQuery filters service requests. Zero values match everything.
type RequestQuery struct {
	Open        bool
	RequestedBy string
	ClaimedBy   string
	Service     string
	DueBefore   time.Time // due strictly before (with Open: late)
	// Requested in [RequestedFrom, RequestedTo).
	RequestedFrom time.Time
	RequestedTo   time.Time
	Limit         int // newest first; 0 = 50, at most 10000
}

// Workload is what one person has on their plate.
type Workload struct {
	Person   string
	Requests int // open service requests they claimed
	Issues   int // routed issues they claimed that are not resolved
	Crises   int // open crises whose room they are in
	Content  int // content stages waiting on a role they hold, unanswered by them
}

// Total is the sum of every kind of work.
func (w Workload) Total() int { return w.Requests + w.Issues + w.Crises + w.Content }

// Requests keeps service requests and the capacity their weeks have taken.
type Requests interface {
	// PlaceRequest stores the first of candidates whose week has room for
	// one more request of its service (capacity a week), and the timers arm
	// returns for it once it has its id; candidates are the same request in
	// later and later weeks. EConflict when every candidate's week is full.
	PlaceRequest(ctx context.Context, candidates []ServiceRequest, capacity int, arm func(ServiceRequest) []bot.Timer) (ServiceRequest, error)
	ServiceRequest(ctx context.Context, id int64) (ServiceRequest, error) // ENotFound
	ListRequests(ctx context.Context, q RequestQuery) ([]ServiceRequest, error)
	// UpdateRequest runs change on the request's current state while
	// holding its row, then writes it back; an error from change is
	// returned as is and nothing is written. Cancelling an open request
	// gives its week's slot back.
	UpdateRequest(ctx context.Context, id int64, change func(*ServiceRequest) error) (ServiceRequest, error)
	// Workload counts each person's open work, one query per kind; people
	// with none are left out. Content counts the stages a person holds a
	// role of (for the item's brand or every brand, not as backup), minus
	// those they answered and the items they submitted.
	Workload(ctx context.Context) ([]Workload, error)
}
