package store

import (
	"context"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// Routed issue statuses, in the order an issue normally moves through them.
const (
	IssueOpen     = "open"     // waiting for a first response
	IssueClaimed  = "claimed"  // a liaison has taken it
	IssueAnswered = "answered" // a reply is recorded
	IssueResolved = "resolved"
)

// Delivery states of an answer sent back to the social inbox.
const (
	DeliveryNone    = ""        // nothing to send (typed issue, no outbound inbox)
	DeliveryPending = "pending" // queued or retrying; DeliveryError holds the last failure
	DeliverySent    = "sent"
)

// RoutedIssue is a customer message routed to a department, with every time
// the response-time KPIs need. Zero times mean "not yet".
type RoutedIssue struct {
	ID         int64
	Source     string // the inbox that sent it; "" when typed in chat
	ExternalID string // its id in that inbox; unique per source
	Brand      string // "" = not known / all brands
	Platform   string // the social platform it was written on
	Author     string // the customer's handle there
	Text       string // the customer's message, or the typed summary
	URL        string
	Department string
	Rule       string // the routing rule that matched; "" when no rule matched
	Keyword    string // the keyword that matched
	// Confidence is the routing classifier's when it chose the department
	// (no rule matched); 0 when it did not.
	Confidence float64
	ChosenBy   string // who named the department (typed or reassigned); "" = the rules chose
	RoutedBy   string // who routed it; "" = the inbox webhook
	Status     string

	ReceivedAt  time.Time // when the customer wrote (or when it was typed)
	RoutedAt    time.Time
	DueAt       time.Time // first-response deadline
	PostChannel string    // where the issue was posted
	PostID      string
	PostedAt    time.Time
	RemindedAt  time.Time
	EscalatedAt time.Time
	ClaimedBy   string
	ClaimedAt   time.Time
	AnsweredBy  string
	AnsweredAt  time.Time
	Reply       string
	// Template and TemplateVersion name the reply template the answer
	// was filled from ("" and 0 when typed).
	Template        string
	TemplateVersion int
	ResolvedBy      string
	ResolvedAt      time.Time

	Delivery         string // DeliveryNone, DeliveryPending or DeliverySent
	DeliveryAttempts int
	DeliveryError    string // the last failure
	DeliveredAt      time.Time
}

// IssueMark is a time a timer records on an open routed issue.
type IssueMark string

// The marks of MarkRoutedIssues.
const (
	IssueReminded  IssueMark = "reminded"  // RemindedAt
	IssueEscalated IssueMark = "escalated" // EscalatedAt
)

// RoutedIssueQuery filters routed issues. Zero values match everything.
type RoutedIssueQuery struct {
	Unresolved bool   // only issues not yet resolved
	Department string // only this department
	Limit      int    // newest first; 0 = 50
}

// Routes keeps routed customer issues.
type Routes interface {
	// CreateRoutedIssue stores a new issue and schedules the timers that
	// timers (which may be nil) returns for it, given its id, in the same
	// transaction. An issue with a source is unique by source and external
	// id: if one exists already, it is returned with created=false and
	// nothing changes.
	CreateRoutedIssue(ctx context.Context, is RoutedIssue, timers func(RoutedIssue) []bot.Timer) (got RoutedIssue, created bool, err error)
	// RoutedIssue returns the issue with id, or an ENotFound error.
	RoutedIssue(ctx context.Context, id int64) (RoutedIssue, error)
	// RoutedIssuesWithRoster returns the issues among ids that exist, by
	// id, and the current assignments of every role that roles (no I/O)
	// names for any of them: the read of a group of timer handlers firing
	// at once, in one call. A missing id is simply absent.
	RoutedIssuesWithRoster(ctx context.Context, ids []int64, roles func(RoutedIssue) []string) ([]RoutedIssue, []RoleAssignment, error)
	// MarkRoutedIssues sets the time of mark to at on each of the issues
	// with ids that is still open (awaiting its first response), and
	// returns the ids it marked, by id: what a group of timers records, in
	// one statement.
	MarkRoutedIssues(ctx context.Context, mark IssueMark, at time.Time, ids ...int64) (marked []int64, err error)
	// UpdateRoutedIssue loads the issue with id, lets change modify it and
	// writes every mutable field back, all in one transaction, so two people
	// claiming at once cannot both win. timers are scheduled in the same
	// transaction (as ScheduleTimer does), so work that the change calls for
	// is armed exactly when the change commits. change must only modify the
	// issue (no I/O); an error from it is returned unchanged and nothing is
	// written. ENotFound when there is no such issue.
	UpdateRoutedIssue(ctx context.Context, id int64, change func(*RoutedIssue) error, timers ...bot.Timer) (RoutedIssue, error)
	// ListRoutedIssues lists issues newest first.
	ListRoutedIssues(ctx context.Context, q RoutedIssueQuery) ([]RoutedIssue, error)
	// RoutingExamples returns what the routing classifier learns from: the
	// text of up to limit answered issues, most recently answered first,
	// with the department that has them now (after any reassignment).
	RoutingExamples(ctx context.Context, limit int) ([]RoutingExample, error)
	// RoutingExamplesStamp changes whenever RoutingExamples would return
	// something else, so a replica can tell cheaply that its model is stale.
	RoutingExamplesStamp(ctx context.Context) (RoutingStamp, error)
	// RoutedIssuesBetween lists the issues received in [from, to), for brand
	// ("" = every brand), oldest first: the response-time KPIs' input.
	RoutedIssuesBetween(ctx context.Context, from, to time.Time, brand string) ([]RoutedIssue, error)
}

// RoutingExample is an answered issue as the routing classifier sees it.
type RoutingExample struct {
	IssueID    int64
	Text       string
	Department string
}

// RoutingStamp identifies a state of the answered issues: their number and
// the sum of their revisions (every change of an issue bumps its revision).
type RoutingStamp struct {
	Answered  int64
	Revisions int64
}
