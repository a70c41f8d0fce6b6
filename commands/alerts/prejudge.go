package alerts

import (
	"slices"
	"time"

	"github.com/interlock-coe/interlock/store"
)

// Judging before storing. Nearly every point of a live batch changes no
// alert; judged from this replica's copy of its series before the save, it
// is stored judged at once, so the batch needs no second statement to mark
// it (nor a second version of each row). The judgement holds only if the
// copy was complete: the store keeps such points judged only when the
// series' change count before the save is the one the copy held, and
// stores them unjudged otherwise (another writer got in between), to be
// judged after the save as before.

// prejudge sets Prejudged on the points of each series whose judgement
// from the copy, with the batch's points added, changes no alert.
func (l *Listener) prejudge(points []store.ListeningPoint, now time.Time, active map[string]*store.ListeningAlert, complete bool) {
	since := l.horizon(now)
	bySeries := map[store.SeriesKey][]int{}
	for i, p := range points {
		bySeries[p.Series()] = append(bySeries[p.Series()], i)
	}
	for k, idx := range bySeries {
		ps, changes, ok := l.baselines.view(k, since)
		if !ok && !l.baselines.known(k) {
			// A series this replica has not seen: judged as if empty, which
			// the store confirms (a change count of 0) or refutes.
			ps, changes, ok = nil, 0, true
		}
		if !ok || !l.quietWith(ps, points, idx, since, now, active, complete) {
			continue
		}
		for _, i := range idx {
			points[i].Prejudged, points[i].PriorChanges = true, changes
		}
	}
}

// quietWith reports whether the series' copy ps, with the new points
// points[idx] added, judges to no alert change. A copy that holds unjudged
// points of its own, or a window the batch sends again, is left to the
// judgement after the save.
func (l *Listener) quietWith(ps, points []store.ListeningPoint, idx []int, since, now time.Time, active map[string]*store.ListeningAlert, complete bool) bool {
	for i := range ps {
		if !ps[i].Evaluated {
			return false
		}
	}
	merged := ps
	for _, i := range idx {
		p := &points[i]
		if p.Evaluated || !p.WindowEnd.After(since) {
			return false
		}
		at, found := searchPoints(merged, p)
		if found {
			return false
		}
		if len(idx) == 1 && at == len(ps) {
			// The usual live point: one new newest window (no stored window
			// equals it, or it would sort before that one), judged against
			// the copy as it is, with no merged slice to build.
			if !l.current(*p, now) {
				return true // history only
			}
			j, ok := l.judgeLatest(judged{}, ps, *p, since, now, active, complete)
			return ok && j.change == nil
		}
		if slices.ContainsFunc(merged, func(q store.ListeningPoint) bool { return sameWindow(p, &q) }) {
			return false
		}
		merged = slices.Insert(slices.Clip(merged), at, *p)
	}
	j, ok := l.judgeCopy(merged, since, now, active, complete)
	return ok && j.change == nil
}

func sameWindow(a, b *store.ListeningPoint) bool {
	return a.WindowStart.Equal(b.WindowStart) && a.WindowEnd.Equal(b.WindowEnd)
}
