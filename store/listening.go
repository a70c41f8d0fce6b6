package store

import (
	"context"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// ListeningPoint is one window of social-listening data: what one source
// counted for a brand (and optionally a topic) between two times.
type ListeningPoint struct {
	ID          int64
	Source      string
	Brand       string
	Topic       string // "" = the brand as a whole
	WindowStart time.Time
	WindowEnd   time.Time
	Mentions    int64
	Negative    int64
	Neutral     int64
	Positive    int64
	Reach       int64
	Press       bool
	Samples     []ListeningSample
	ReceivedAt  time.Time
	Evaluated   bool // spike detection has judged it, or set it aside as history
	// FromMentions marks a window built from single mentions (SaveMentions):
	// it grows as mentions arrive, and each growth is a new Revision to judge.
	FromMentions bool
	Revision     int64
	// Prejudged asks SaveListeningPoints to store a new point judged
	// already: the caller judged it from a copy of its series that held
	// PriorChanges changes, and it changed no alert. The store keeps the
	// point judged only if the series' change count before this save is
	// exactly PriorChanges (nobody else wrote meanwhile); otherwise it
	// stores the point unjudged, to be judged as usual. Set only on input.
	Prejudged    bool
	PriorChanges int64
}

// Series names the series the point belongs to.
func (p ListeningPoint) Series() SeriesKey {
	return SeriesKey{Source: p.Source, Brand: p.Brand, Topic: p.Topic}
}

// ListeningSample is an example mention a source sends with a point.
type ListeningSample struct {
	URL       string `json:"url"`
	Text      string `json:"text"`
	Author    string `json:"author"`
	Followers int64  `json:"followers"`
}

// SeriesKey names one source's series of points for a brand and topic.
// Sources are never mixed: each is compared with its own history.
type SeriesKey struct {
	Source string
	Brand  string
	Topic  string
}

// PointReceipt tells what SaveListeningPoints did with one point.
type PointReceipt struct {
	ID        int64
	Duplicate bool // its (source, brand, topic, window) was stored already: nothing changed
	Evaluated bool // spike detection has judged it already
	// SeriesChanges is the series' count of inserted or revised points
	// after the save (0 for a duplicate): a replica whose in-memory copy of
	// the series counted every change but these knows it is complete.
	SeriesChanges int64
}

// Listening alert statuses.
const (
	AlertActive   = "active"
	AlertResolved = "resolved"
)

// ListeningAlert is one alert group: a spike of one brand and topic, from
// its first spiking window until volume returns to the baseline. At most
// one alert per brand and topic is active at a time (the database enforces
// it).
type ListeningAlert struct {
	ID              int64
	Brand           string
	Topic           string
	Status          string
	Severity        string   // suggested by the latest spiking window
	PeakSeverity    string   // the most severe suggested so far
	Reasons         []string // why Severity
	Source          string   // source of the latest spiking window
	Mentions        int64    // in the latest window judged
	Expected        float64  // what the baseline predicted for that window
	Multiple        float64  // Mentions ÷ Expected
	Negative        int64
	Reach           int64
	Press           bool
	PeakMentions    int64
	Samples         []ListeningSample // of the latest spiking window
	FirstWindow     time.Time         // start of the first spiking window
	LastWindow      time.Time         // end of the latest window judged
	OpenedAt        time.Time
	UpdatedAt       time.Time
	ResolvedAt      time.Time
	AckedBy         string
	AckedAt         time.Time
	SnoozedBy       string
	SnoozedUntil    time.Time
	CrisisRequested bool // the crisis room was requested automatically
	// SilentSince is the end of Source's last window once the card says
	// "no data since …"; zero while data flows.
	SilentSince   time.Time
	ResolveReason string // why it resolved, for the card and the alert's history
	// Evidence is what the spike is about, computed from the stored
	// mentions when the alert opened or escalated; nil without mentions.
	Evidence *Evidence

	// Written by delivery only (CompleteAlertDeliveries), never by
	// ApplyAlertChange.
	MessageChannel string
	MessageID      string

	Version int64 // bumped by every ApplyAlertChange
}

// Kinds of alert deliveries queued in the outbox.
const (
	DeliverNotify = "notify" // post the alert card: the first alert, a repeat
	DeliverUpdate = "update" // bring the posted card up to date
	DeliverCrisis = "crisis" // open the crisis room automatically
)

// AlertDelivery is one queued chat operation for an alert (the outbox). It
// stays queued until delivered, so an alert survives a chat outage.
type AlertDelivery struct {
	ID        int64
	AlertID   int64
	Kind      string
	CreatedAt time.Time
	Attempts  int
	LastError string
}

// AlertChange is one change to listening alerts, written in one
// transaction so that judging points, changing the alert, queueing its
// deliveries and arming their timers happen together or not at all.
type AlertChange struct {
	// Points are the points this change judges; they are marked evaluated.
	// If any was evaluated already the change fails with bot.EConflict.
	Points []int64
	// Revisions, when set, holds the revision judged of each of Points: a
	// point revised since (a window fed by mentions that grew) is a
	// conflict too.
	Revisions []int64
	// Alert is the alert's new state, or nil. ID 0 opens a new alert (an
	// active one for the same brand and topic fails with bot.EConflict);
	// otherwise Version must match the stored one (else bot.EConflict).
	Alert *ListeningAlert
	// Deliveries are the outbox kinds to queue for the alert, at At.
	Deliveries []string
	At         time.Time
	// Timers, if set, returns the durable timers to store with the change
	// (a pending timer with the same key is moved). It receives the alert
	// as written, id included; it must not use the store.
	Timers func(a ListeningAlert) []bot.Timer
}

// Listening keeps listening data points, alerts and the alert outbox.
type Listening interface {
	// SaveListeningPoints stores points in one transaction, with timers.
	// A point whose (source, brand, topic, window_start, window_end) is
	// stored already is left as it was and reported as a duplicate.
	SaveListeningPoints(ctx context.Context, ps []ListeningPoint, timers []bot.Timer) ([]PointReceipt, error)
	// ListeningSeries returns the series' points whose window ends after
	// after and at or before until (zero: no bound), oldest first.
	ListeningSeries(ctx context.Context, k SeriesKey, after, until time.Time) ([]ListeningPoint, error)
	// SeriesSince returns, as one snapshot, the series' points whose window
	// ends after after, oldest first, and the series' change count.
	SeriesSince(ctx context.Context, k SeriesKey, after time.Time) ([]ListeningPoint, int64, error)
	// UnjudgedSeries lists the series that have points not yet judged that
	// were received before before, at most limit.
	UnjudgedSeries(ctx context.Context, before time.Time, limit int) ([]SeriesKey, error)
	// MarkPointsJudged marks points judged that changed no alert, in one
	// statement: each only if still unjudged at the given revision.
	// It returns the ids it did not mark (judged or revised meanwhile).
	MarkPointsJudged(ctx context.Context, ids, revisions []int64) (missed []int64, err error)
	// UnevaluatedPoints returns the series' points not yet judged, oldest
	// window first.
	UnevaluatedPoints(ctx context.Context, k SeriesKey) ([]ListeningPoint, error)

	// ActiveAlert returns the active alert of a brand and topic (ENotFound).
	ActiveAlert(ctx context.Context, brand, topic string) (ListeningAlert, error)
	ListeningAlert(ctx context.Context, id int64) (ListeningAlert, error) // ENotFound
	// ListListeningAlerts lists active alerts (all alerts when all is
	// true), newest first, at most limit (0 = 50).
	ListListeningAlerts(ctx context.Context, all bool, limit int) ([]ListeningAlert, error)
	// ApplyAlertChange writes ch and returns the alert as written (zero
	// when ch.Alert is nil). A point of ch judged, revised or held by
	// another writer fails it with EConflict caused by ErrPointsTaken.
	ApplyAlertChange(ctx context.Context, ch AlertChange) (ListeningAlert, error)
	// ApplyAlertChangeAndClaim is ApplyAlertChange and, in the same
	// transaction when ch queues deliveries, ClaimAlertDeliveries of the
	// alert at now: a caller that delivers at once needs no second
	// transaction, nor a read of the alert it just wrote.
	ApplyAlertChangeAndClaim(ctx context.Context, ch AlertChange, now time.Time, lease time.Duration) (a ListeningAlert, claimed []AlertDelivery, busy bool, err error)

	// ClaimAlertDeliveries leases the alert's queued deliveries that no
	// one else holds, oldest first, until now+lease, counting the attempt.
	// busy reports queued deliveries held by someone else.
	ClaimAlertDeliveries(ctx context.Context, alertID int64, now time.Time, lease time.Duration) (claimed []AlertDelivery, busy bool, err error)
	// CompleteAlertDeliveries marks claimed deliveries done and, when ref
	// is set, records where the alert's card now is.
	CompleteAlertDeliveries(ctx context.Context, alertID int64, ids []int64, ref bot.MessageRef, at time.Time) error
	// FailAlertDeliveries returns claimed deliveries to the queue with the
	// error that stopped them.
	FailAlertDeliveries(ctx context.Context, ids []int64, reason string) error
}
