package alerts

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/alerts/spike"
	"github.com/interlock-coe/interlock/store"
)

// Receipt tells a webhook sender what happened to its points.
type Receipt struct {
	Stored     int `json:"stored"`     // new points
	Duplicates int `json:"duplicates"` // windows stored before: nothing changed
}

// Ingest stores validated points, then judges their series; points that
// change no alert are judged before they are stored (prejudge.go), so most
// of a live batch costs one statement. Only a failure
// to store them fails the call: if judging fails, a safety timer stored
// with the points judges them later, so nothing accepted is lost. A point
// whose window is stored already changes nothing.
func (l *Listener) Ingest(ctx context.Context, points []store.ListeningPoint) (Receipt, error) {
	now := l.Clock.Now()
	points = slices.Clone(points)
	var series []store.SeriesKey
	seen := map[store.SeriesKey]bool{}
	for i := range points {
		points[i].ReceivedAt = now
		if k := points[i].Series(); !seen[k] {
			seen[k] = true
			series = append(series, k)
		}
	}
	active, complete := l.activeAlerts(ctx)
	l.prejudge(points, now, active, complete)
	timers := l.timers.missing(sweepTimer(now))
	receipts, err := l.savePoints(ctx, points, timers)
	if err != nil {
		return Receipt{}, fmt.Errorf("store listening points: %w", err)
	}
	l.timers.stored(timers)
	l.noteSaved(points, receipts, now)
	var r Receipt
	pending := map[store.SeriesKey]bool{}
	for i, rc := range receipts {
		if rc.Duplicate {
			r.Duplicates++
		} else {
			r.Stored++
		}
		if !rc.Evaluated {
			pending[points[i].Series()] = true
		}
	}
	// The sender is told "accepted" from here on, so judging must not stop
	// when it hangs up.
	var todo []store.SeriesKey
	for _, k := range series {
		if pending[k] {
			todo = append(todo, k)
		}
	}
	l.judgeBatchWith(context.WithoutCancel(ctx), todo, active, complete)
	return r, nil
}

// sweepLimit bounds the series one sweep judges; the next sweep goes on.
const sweepLimit = 10_000

// sweepTimer is the safety net behind Ingest: it judges the series whose
// points are still unjudged a minute after they arrived (judging them at
// once failed, or the process stopped).
func (l *Listener) sweepTimer(ctx context.Context, t bot.Timer) error {
	series, err := l.Store.UnjudgedSeries(ctx, l.Clock.Now().Add(-evaluateGrace), sweepLimit)
	if err != nil {
		return err
	}
	for _, k := range series {
		l.baselines.drop(k)
		if err := l.judgeSeries(ctx, k); err != nil {
			return err
		}
	}
	if len(series) == sweepLimit {
		next := sweepTimer(l.Clock.Now())
		return l.Scheduler.Schedule(ctx, next.Kind, next.Key, next.Due, struct{}{})
	}
	return nil
}

// evaluateTimer judges whatever points of one series are still unjudged
// (the safety net of earlier versions, one timer per series; still
// handled for timers stored by them).
func (l *Listener) evaluateTimer(ctx context.Context, t bot.Timer) error {
	var k store.SeriesKey
	if err := decode(t, &k); err != nil {
		return err
	}
	return l.judgeSeries(ctx, k)
}

// judgeSeries judges the series' unjudged points, starting over when
// another replica changed the alert or judged the points meanwhile.
func (l *Listener) judgeSeries(ctx context.Context, k store.SeriesKey) error {
	var err error
	for range changeAttempts {
		var alertID int64
		alertID, err = l.judgeOnce(ctx, k)
		if bot.IsCode(err, bot.EConflict) {
			continue
		}
		if err != nil {
			return err
		}
		if alertID != 0 {
			l.deliverNow(ctx, alertID)
		}
		return nil
	}
	return fmt.Errorf("judge %s/%s/%s: still conflicting after %d attempts: %w", k.Source, k.Brand, k.Topic, changeAttempts, err)
}

// judgeOnce judges the newest unjudged point of the series and sets the
// older ones aside as history (a batch of backfilled windows raises no
// alerts for the past). It returns the alert that has messages to deliver.
func (l *Listener) judgeOnce(ctx context.Context, k store.SeriesKey) (int64, error) {
	points, err := l.Store.UnevaluatedPoints(ctx, k)
	if err != nil || len(points) == 0 {
		return 0, err
	}
	ids := make([]int64, len(points))
	for i, p := range points {
		ids[i] = p.ID
	}
	latest := points[len(points)-1]
	current, err := l.isCurrent(ctx, latest)
	if err != nil {
		return 0, err
	}
	ch := store.AlertChange{Points: ids, Revisions: revisions(points)}
	if current {
		j, err := l.judge(ctx, latest)
		if err != nil {
			return 0, err
		}
		active, err := l.activeAlert(ctx, latest.Brand, latest.Topic)
		if err != nil {
			return 0, err
		}
		ch = l.decide(active, j, l.Clock.Now())
		if ch.Alert != nil && j.verdict.State == spike.Spike {
			l.attachEvidence(ctx, ch.Alert, latest)
		}
		ch.Points = ids
		watchSilence(&ch, latest)
	}
	a, err := l.Store.ApplyAlertChange(ctx, ch)
	if err != nil {
		return 0, err
	}
	l.baselines.judged(k, ids, revisions(points))
	if len(ch.Deliveries) == 0 {
		return 0, nil
	}
	return a.ID, nil
}

// isCurrent reports whether p is the newest window of its series and
// recent enough to alert on.
func (l *Listener) isCurrent(ctx context.Context, p store.ListeningPoint) (bool, error) {
	if !l.current(p, l.Clock.Now()) {
		return false, nil
	}
	newer, err := l.Store.ListeningSeries(ctx, p.Series(), p.WindowEnd, time.Time{})
	if err != nil {
		return false, err
	}
	return len(newer) == 0, nil
}

func (l *Listener) activeAlert(ctx context.Context, brand, topic string) (*store.ListeningAlert, error) {
	a, err := l.Store.ActiveAlert(ctx, brand, topic)
	if bot.IsCode(err, bot.ENotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// current reports whether p ended recently enough to alert on.
func (l *Listener) current(p store.ListeningPoint, now time.Time) bool {
	return !p.WindowEnd.Before(now.Add(-maxLag))
}

func revisions(ps []store.ListeningPoint) []int64 {
	out := make([]int64, len(ps))
	for i, p := range ps {
		out[i] = p.Revision
	}
	return out
}
