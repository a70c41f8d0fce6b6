package alerts

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"github.com/interlock-coe/interlock/store"
)

// baselines keeps each series' recent points in memory, so that judging a
// point needs no read of its history. The store stays the source of
// truth: every save returns the series' change count, and a copy is used
// only while it has seen every change (its own saves); a count it did not
// expect — another replica wrote — drops the copy, and the next judgement
// reads the series again.
type baselines struct {
	mu     sync.Mutex
	series map[store.SeriesKey]*seriesCopy
}

// maxCachedSeries bounds the memory: past it the copies are dropped and
// rebuilt as needed (a few hundred bytes a series).
const maxCachedSeries = 200_000

type seriesCopy struct {
	changes int64                  // the store's change count this copy has seen
	since   time.Time              // it holds every point whose window ends after since
	points  []store.ListeningPoint // oldest window first
}

func newBaselines() *baselines { return &baselines{series: map[store.SeriesKey]*seriesCopy{}} }

// saved records points this replica saved (new or revised) that brought
// the series' change count to changes.
func (b *baselines) saved(k store.SeriesKey, changes int64, ps []store.ListeningPoint, horizon time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, ok := b.series[k]
	switch {
	case ok && c.changes+int64(len(ps)) == changes:
	case !ok && int64(len(ps)) == changes:
		// The series was empty: these points are all of it.
		c = &seriesCopy{}
		b.add(k, c)
	default:
		delete(b.series, k)
		return
	}
	c.changes = changes
	for _, p := range ps {
		c.upsert(p)
	}
	c.prune(horizon)
}

// rebuilt stores a copy read from the store.
func (b *baselines) rebuilt(k store.SeriesKey, changes int64, since time.Time, ps []store.ListeningPoint) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.add(k, &seriesCopy{changes: changes, since: since, points: ps})
}

func (b *baselines) add(k store.SeriesKey, c *seriesCopy) {
	if len(b.series) >= maxCachedSeries {
		clear(b.series)
	}
	b.series[k] = c
}

// view returns a copy of the series' points if it holds every point whose
// window ends after since.
func (b *baselines) view(k store.SeriesKey, since time.Time) ([]store.ListeningPoint, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, ok := b.series[k]
	if !ok || c.since.After(since) {
		return nil, false
	}
	return slices.Clone(c.points), true
}

// judged marks points judged at their revision.
func (b *baselines) judged(k store.SeriesKey, ids, revisions []int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, ok := b.series[k]
	if !ok {
		return
	}
	for i := range c.points {
		if j := slices.Index(ids, c.points[i].ID); j >= 0 && revisions[j] == c.points[i].Revision {
			c.points[i].Evaluated = true
		}
	}
}

// drop forgets a series, so the next judgement reads it again.
func (b *baselines) drop(k store.SeriesKey) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.series, k)
}

// upsert adds p, or replaces the point with its id (a revised window).
func (c *seriesCopy) upsert(p store.ListeningPoint) {
	if i := slices.IndexFunc(c.points, func(q store.ListeningPoint) bool { return q.ID == p.ID }); i >= 0 {
		c.points[i] = p
		return
	}
	i, _ := slices.BinarySearchFunc(c.points, p, comparePoints)
	c.points = slices.Insert(c.points, i, p)
}

// prune drops windows that ended before horizon.
func (c *seriesCopy) prune(horizon time.Time) {
	i := 0
	for i < len(c.points) && !c.points[i].WindowEnd.After(horizon) {
		i++
	}
	if i > 0 {
		c.points = slices.Delete(c.points, 0, i)
		c.since = horizon
	}
}

// comparePoints orders points as the store lists them.
func comparePoints(a, b store.ListeningPoint) int {
	return cmp.Or(a.WindowEnd.Compare(b.WindowEnd), a.WindowStart.Compare(b.WindowStart), cmp.Compare(a.ID, b.ID))
}
