package alerts

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/interlock-coe/interlock/store"
)

// Judging a webhook's points in bulk. Each series is judged from the
// in-memory copy of its recent points (baselines.go), several series at
// once by a bounded pool of workers; points that change no alert — nearly
// all of them — are marked judged together with one statement. A series
// whose judgement changes an alert, whose copy is incomplete, or whose
// points another replica judged meanwhile takes the path of one series at
// a time (judgeSeries), which reads the store and applies the change with
// its version check, exactly as before.

// judgeWorkers bounds the series judged at once: each may hold a database
// connection.
const judgeWorkers = 8

// historySlack is how much history beyond the baseline window a copy keeps,
// so that windows up to this long are judged from memory.
const historySlack = 24 * time.Hour

// judged is a series' unjudged points whose judgement changes nothing.
type judged struct {
	series    store.SeriesKey
	ids, revs []int64
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
	now := l.Clock.Now()
	active, complete := l.activeAlerts(ctx)
	var (
		mu    sync.Mutex
		quick []judged
		slow  []store.SeriesKey
	)
	eachAtOnce(series, func(k store.SeriesKey) {
		j, ok := l.judgeFromCopy(ctx, k, now, active, complete)
		mu.Lock()
		defer mu.Unlock()
		switch {
		case !ok:
			slow = append(slow, k)
		case len(j.ids) > 0:
			quick = append(quick, j)
		}
	})
	slow = append(slow, l.markJudged(ctx, quick)...)
	slices.SortFunc(slow, compareSeries)
	slow = slices.Compact(slow)
	eachAtOnce(slow, func(k store.SeriesKey) {
		l.baselines.drop(k)
		if err := l.judgeSeries(ctx, k); err != nil {
			l.Log.Warn("judging listening series failed; the evaluate timer will retry", "series", k, "err", err)
		}
	})
}

// eachAtOnce runs f for every series, judgeWorkers at a time.
func eachAtOnce(series []store.SeriesKey, f func(k store.SeriesKey)) {
	if len(series) == 1 {
		f(series[0])
		return
	}
	work := make(chan store.SeriesKey)
	var wg sync.WaitGroup
	for range min(judgeWorkers, len(series)) {
		wg.Go(func() {
			for k := range work {
				f(k)
			}
		})
	}
	for _, k := range series {
		work <- k
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
// from the store if this replica has none. ok is false when the series
// must take the path of one series at a time.
func (l *Listener) judgeFromCopy(ctx context.Context, k store.SeriesKey, now time.Time, active map[string]*store.ListeningAlert, complete bool) (judged, bool) {
	since := l.horizon(now)
	ps, ok := l.baselines.view(k, since)
	if !ok {
		var changes int64
		var err error
		if ps, changes, err = l.Store.SeriesSince(ctx, k, since); err != nil {
			return judged{}, false
		}
		l.baselines.rebuilt(k, changes, since, slices.Clone(ps))
	}
	j := judged{series: k}
	latest := -1
	for i, p := range ps {
		if !p.Evaluated {
			j.ids, j.revs, latest = append(j.ids, p.ID), append(j.revs, p.Revision), i
		}
	}
	switch {
	case latest < 0:
		return j, true
	case !l.current(ps[latest], now) || latest < len(ps)-1 && ps[len(ps)-1].WindowEnd.After(ps[latest].WindowEnd):
		// History only, as in judgeOnce.
		return j, true
	case ps[latest].WindowStart.Add(-l.Config.Listening.BaselineWindow).Before(since) || !complete:
		return j, false
	}
	p := ps[latest]
	ch := l.decide(active[groupKey(p.Brand, p.Topic)], l.judgeWith(p, history(ps, p, l.Config.Listening.BaselineWindow), now), now)
	return j, ch.Alert == nil && len(ch.Deliveries) == 0
}

// markJudged marks the quick judgements in one statement. A point it could
// not mark was judged, revised or held meanwhile by another request or
// replica, which judges it (and the sweep timer stored with every batch
// backs that up): its series' copy is stale and is dropped, and nothing
// more is done here. Only a failed statement sends the series the slow
// way.
func (l *Listener) markJudged(ctx context.Context, js []judged) []store.SeriesKey {
	var ids, revs []int64
	for _, j := range js {
		ids, revs = append(ids, j.ids...), append(revs, j.revs...)
	}
	if len(ids) == 0 {
		return nil
	}
	missed, err := l.Store.MarkPointsJudged(ctx, ids, revs)
	var again []store.SeriesKey
	for _, j := range js {
		if err != nil {
			again = append(again, j.series)
			continue
		}
		if slices.ContainsFunc(j.ids, func(id int64) bool { return slices.Contains(missed, id) }) {
			l.baselines.drop(j.series)
			continue
		}
		l.baselines.judged(j.series, j.ids, j.revs)
	}
	return again
}

func compareSeries(a, b store.SeriesKey) int {
	return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Brand, b.Brand), cmp.Compare(a.Topic, b.Topic))
}
