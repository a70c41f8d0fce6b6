package alerts

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/alerts/spike"
	"github.com/interlock-coe/interlock/store"
)

// Judging a webhook's points in bulk. Each series is judged from the
// in-memory copy of its recent points (baselines.go), several series at
// once by a bounded pool of workers; points that change no alert — nearly
// all of them — are marked judged together with one statement. A series
// whose judgement changes an alert, whose copy is incomplete, or whose
// points another replica judged meanwhile takes the path of one series at
// a time (judgeSeries), which reads the store and applies the change with
// its version check, exactly as before, and marks what it judged in the
// copy.

// judgeWorkers bounds the series judged at once: each may hold a database
// connection.
const judgeWorkers = 8

// historySlack is how much history beyond the baseline window a copy keeps,
// so that windows up to this long are judged from memory.
const historySlack = 24 * time.Hour

// judged is a series' unjudged points and, when their judgement changes
// the alert, the change decided from the copy.
type judged struct {
	series    store.SeriesKey
	ids, revs []int64
	change    *store.AlertChange
	latest    judgement
}

// noteSaved brings the in-memory copies up to date with a save.
func (l *Listener) noteSaved(ps []store.ListeningPoint, receipts []store.PointReceipt, now time.Time) {
	type change struct {
		count  int64
		points []store.ListeningPoint
	}
	bySeries := map[store.SeriesKey]*change{}
	for i, r := range receipts {
		if r.Duplicate {
			continue
		}
		p := ps[i]
		p.ID, p.Evaluated = r.ID, r.Evaluated
		if p.Revision == 0 {
			p.Revision = 1
		}
		c := bySeries[p.Series()]
		if c == nil {
			c = &change{}
			bySeries[p.Series()] = c
		}
		c.count = max(c.count, r.SeriesChanges)
		c.points = append(c.points, p)
	}
	for k, c := range bySeries {
		l.baselines.saved(k, c.count, c.points, l.horizon(now))
	}
}

// horizon is how far back a series' copy reaches.
func (l *Listener) horizon(now time.Time) time.Time {
	return now.Add(-maxLag - l.Config.Listening.BaselineWindow - historySlack)
}

// judgeBatch judges the series that have unjudged points.
func (l *Listener) judgeBatch(ctx context.Context, series []store.SeriesKey) {
	active, complete := l.activeAlerts(ctx)
	l.judgeBatchWith(ctx, series, active, complete)
}

// judgeBatchWith judges the series against the active alerts read for the
// batch (complete is false when they could not all be read).
func (l *Listener) judgeBatchWith(ctx context.Context, series []store.SeriesKey, active map[string]*store.ListeningAlert, complete bool) {
	now := l.Clock.Now()
	var (
		mu              sync.Mutex
		quick, changing []judged
		slow            []store.SeriesKey
	)
	eachAtOnce(series, func(k store.SeriesKey) {
		j, ok := l.judgeFromCopy(ctx, k, now, active, complete)
		mu.Lock()
		defer mu.Unlock()
		switch {
		case !ok:
			slow = append(slow, k)
		case j.change != nil:
			changing = append(changing, j)
		case len(j.ids) > 0:
			quick = append(quick, j)
		}
	})
	slow = append(slow, l.markJudged(ctx, quick)...)
	eachAtOnce(changing, func(j judged) {
		if !l.settleFromCopy(ctx, j, now) {
			mu.Lock()
			defer mu.Unlock()
			slow = append(slow, j.series)
		}
	})
	slices.SortFunc(slow, compareSeries)
	slow = slices.Compact(slow)
	eachAtOnce(slow, func(k store.SeriesKey) {
		if err := l.judgeSeries(ctx, k); err != nil {
			l.Log.Warn("judging listening series failed; the evaluate timer will retry", "series", k, "err", err)
		}
	})
}

// eachAtOnce runs f for every item, judgeWorkers at a time.
func eachAtOnce[T any](items []T, f func(T)) {
	if len(items) <= 1 {
		for _, x := range items {
			f(x)
		}
		return
	}
	work := make(chan T)
	var wg sync.WaitGroup
	for range min(judgeWorkers, len(items)) {
		wg.Go(func() {
			for x := range work {
				f(x)
			}
		})
	}
	for _, x := range items {
		work <- x
	}
	close(work)
	wg.Wait()
}

// activeAlerts reads the active alerts once for a batch; complete is false
// when there are too many to read at once (each series then reads its own).
func (l *Listener) activeAlerts(ctx context.Context) (map[string]*store.ListeningAlert, bool) {
	const limit = 500
	as, err := l.Store.ListListeningAlerts(ctx, false, limit)
	if err != nil || len(as) >= limit {
		return nil, false
	}
	out := make(map[string]*store.ListeningAlert, len(as))
	for i := range as {
		out[groupKey(as[i].Brand, as[i].Topic)] = &as[i]
	}
	return out, true
}

func groupKey(brand, topic string) string { return brand + "\x00" + topic }

// judgeFromCopy judges the series' unjudged points from its copy, read
// from the store if this replica has none, and decides the alert's change
// against the active alerts read for the batch. ok is false when the
// series must take the path of one series at a time.
func (l *Listener) judgeFromCopy(ctx context.Context, k store.SeriesKey, now time.Time, active map[string]*store.ListeningAlert, complete bool) (judged, bool) {
	since := l.horizon(now)
	ps, _, ok := l.baselines.view(k, since)
	if !ok {
		var changes int64
		var err error
		ps, changes, err = l.Store.SeriesSince(ctx, k, since)
		if err != nil {
			return judged{}, false
		}
		l.baselines.rebuilt(k, changes, since, slices.Clone(ps))
	}
	j, ok := l.judgeCopy(ps, since, now, active, complete)
	j.series = k
	return j, ok
}

// judgeCopy judges the unjudged points of ps, a series' points whose
// window ends after since (oldest first), as judgeOnce would: the newest
// against its baseline if current, the others as history. ok is false
// when the copy does not reach far enough back or the active alerts
// are unknown.
func (l *Listener) judgeCopy(ps []store.ListeningPoint, since, now time.Time, active map[string]*store.ListeningAlert, complete bool) (judged, bool) {
	var j judged
	latest := -1
	for i := range ps {
		if p := &ps[i]; !p.Evaluated {
			j.ids, j.revs, latest = append(j.ids, p.ID), append(j.revs, p.Revision), i
		}
	}
	switch {
	case latest < 0:
		return j, true
	case !l.current(ps[latest], now) || latest < len(ps)-1 && ps[len(ps)-1].WindowEnd.After(ps[latest].WindowEnd):
		// History only, as in judgeOnce.
		return j, true
	}
	return l.judgeLatest(j, ps, ps[latest], since, now, active, complete)
}

// judgeLatest judges p, the newest window of ps and current, against its
// baseline from ps, and decides the alert's change into j. ok is false
// when ps does not reach far enough back or the active alerts are unknown.
func (l *Listener) judgeLatest(j judged, ps []store.ListeningPoint, p store.ListeningPoint, since, now time.Time, active map[string]*store.ListeningAlert, complete bool) (judged, bool) {
	if p.WindowStart.Add(-l.Config.Listening.BaselineWindow).Before(since) || !complete {
		return j, false
	}
	j.latest = l.judgeWith(p, history(ps, p, l.Config.Listening.BaselineWindow), now)
	if ch := l.decide(active[groupKey(p.Brand, p.Topic)], j.latest, now); ch.Alert != nil || len(ch.Deliveries) > 0 {
		j.change = &ch
	}
	return j, true
}

// settleFromCopy applies a change decided from the copy. Points another
// request or replica judged, revised or holds are left to it, as in
// markJudged. When the alert changed meanwhile, it reads the alert again
// and judges from the copy again, a few times, before sending the series
// the slow way.
func (l *Listener) settleFromCopy(ctx context.Context, j judged, now time.Time) bool {
	for range changeAttempts {
		if j.change == nil {
			return len(l.markJudged(ctx, []judged{j})) == 0
		}
		applied, err := l.applyFromCopy(ctx, j)
		if errors.Is(err, store.ErrPointsTaken) {
			l.baselines.judged(j.series, j.ids, j.revs)
			return true
		}
		if applied || !bot.IsCode(err, bot.EConflict) {
			return applied
		}
		p := j.latest.point
		fresh, err := l.activeAlert(ctx, p.Brand, p.Topic)
		if err != nil {
			return false
		}
		var ok bool
		if j, ok = l.judgeFromCopy(ctx, j.series, now, map[string]*store.ListeningAlert{groupKey(p.Brand, p.Topic): fresh}, true); !ok {
			return false
		}
	}
	return false
}

// applyFromCopy applies a change decided from the copy, as judgeOnce does
// without reading the series: the points must still be unjudged at the
// revisions the copy holds and the alert at the version read (or still
// absent), else it fails with bot.EConflict.
func (l *Listener) applyFromCopy(ctx context.Context, j judged) (bool, error) {
	ch := *j.change
	if ch.Alert != nil {
		a := *ch.Alert
		ch.Alert = &a
		if j.latest.verdict.State == spike.Spike {
			l.attachEvidence(ctx, ch.Alert, j.latest.point)
		}
	}
	ch.Points, ch.Revisions = j.ids, j.revs
	watchSilence(&ch, j.latest.point)
	// The change's messages are claimed as it is written, and sent from
	// the alert as written: no second transaction, no read.
	a, queued, busy, err := l.Store.ApplyAlertChangeAndClaim(ctx, ch, l.Clock.Now(), deliveryLease)
	if err != nil {
		if !bot.IsCode(err, bot.EConflict) {
			l.Log.Warn("applying a listening alert change failed; judging the series again", "series", j.series, "err", err)
		}
		return false, err
	}
	l.baselines.judged(j.series, j.ids, j.revs)
	if len(queued) > 0 {
		if err := l.deliverClaimed(ctx, a, queued, busy); err != nil {
			l.Log.Warn("alert delivery failed; it stays in the outbox and will be retried", "alert", a.ID, "err", err)
		}
	}
	return true, nil
}

// markJudged marks the quick judgements in one statement. A point it could
// not mark was judged, revised or held meanwhile by another request or
// replica, which judges it (and the sweep timer stored with every batch
// backs that up): at the revision this copy holds it needs no judging, so
// it is marked in the copy too, and a newer revision reaches the copy with
// its save. Only a failed statement sends the series the slow way.
func (l *Listener) markJudged(ctx context.Context, js []judged) []store.SeriesKey {
	var ids, revs []int64
	for _, j := range js {
		ids, revs = append(ids, j.ids...), append(revs, j.revs...)
	}
	if len(ids) == 0 {
		return nil
	}
	if _, err := l.Store.MarkPointsJudged(ctx, ids, revs); err != nil {
		again := make([]store.SeriesKey, len(js))
		for i, j := range js {
			again[i] = j.series
		}
		return again
	}
	for _, j := range js {
		l.baselines.judged(j.series, j.ids, j.revs)
	}
	return nil
}

func compareSeries(a, b store.SeriesKey) int {
	return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Brand, b.Brand), cmp.Compare(a.Topic, b.Topic))
}
