package alerts

import (
	"cmp"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/interlock-coe/interlock/store"
)

// baselines keeps each series' recent points in memory, so that judging a
// point needs no read of its history. The store stays the source of
// truth: every save returns the series' change count, so a save of n
// points covers the changes (count-n, count]. A copy is used only while
// the changes it has seen run without a gap from the count it was built
// at. This replica's concurrent saves of one series may be noted out of
// order: their ranges wait until the gap before them closes. A gap that
// stays open — another replica wrote — keeps the copy from being used, and
// the next judgement reads the series again.
type baselines struct {
	mu     sync.Mutex
	series map[store.SeriesKey]*seriesCopy
}

// maxCachedSeries bounds the memory: past it the copies are dropped and
// rebuilt as needed (a few hundred bytes a series).
const maxCachedSeries = 200_000

// maxAhead bounds the ranges a copy keeps beyond a gap; a copy with more
// has missed another writer's change and is dropped.
const maxAhead = 16

// seriesCopy is one series' copy. Its points are copied on write: views
// share the slice (judging a live batch reads every series' copy, and
// copying each would cost more than the judging), so a point already in
// it is never changed in place — a change copies the slice first — and a
// new newest window is appended beyond every view's length.
type seriesCopy struct {
	changes int64                  // every change up to this count is in the copy
	ahead   []changeRange          // changes seen beyond a gap
	since   time.Time              // it holds every point whose window ends after since
	points  []store.ListeningPoint // oldest window first
}

// changeRange is the changes (from, to] of one save.
type changeRange struct{ from, to int64 }

func newBaselines() *baselines { return &baselines{series: map[store.SeriesKey]*seriesCopy{}} }

// saved records points this replica saved (new or revised) that brought
// the series' change count to changes.
func (b *baselines) saved(k store.SeriesKey, changes int64, ps []store.ListeningPoint, horizon time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, ok := b.series[k]
	from := changes - int64(len(ps))
	switch {
	case ok:
	case from == 0:
		// The series was empty: these points are all of it.
		c = &seriesCopy{}
		b.add(k, c)
	default:
		return
	}
	if !c.cover(changeRange{from, changes}) {
		delete(b.series, k)
		return
	}
	for _, p := range ps {
		c.upsert(p)
	}
	c.prune(horizon)
}

// cover adds the changes r to those the copy has seen; false when the
// copy has waited too long for a gap to close.
func (c *seriesCopy) cover(r changeRange) bool {
	if r.to <= c.changes {
		return true // a rebuild read these already
	}
	c.ahead = append(c.ahead, r)
	for closed := true; closed; {
		closed = false
		for i, a := range c.ahead {
			if a.from <= c.changes {
				c.changes = max(c.changes, a.to)
				c.ahead = slices.Delete(c.ahead, i, i+1)
				closed = true
				break
			}
		}
	}
	return len(c.ahead) <= maxAhead
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

// view returns the series' points, and the count of changes they hold, if
// it holds every point whose window ends after since. The slice is shared,
// not copied: the copy never changes a point a view may hold (see
// seriesCopy), so callers may read it freely but must not write to it.
func (b *baselines) view(k store.SeriesKey, since time.Time) ([]store.ListeningPoint, int64, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, ok := b.series[k]
	if !ok || len(c.ahead) > 0 || c.since.After(since) {
		return nil, 0, false
	}
	return slices.Clip(c.points), c.changes, true
}

// known reports whether the replica keeps a copy of the series, complete
// or not.
func (b *baselines) known(k store.SeriesKey) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	_, ok := b.series[k]
	return ok
}

// judged marks points judged at their revision.
func (b *baselines) judged(k store.SeriesKey, ids, revisions []int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, ok := b.series[k]
	if !ok {
		return
	}
	copied := false
	for i := range c.points {
		if j := slices.Index(ids, c.points[i].ID); j >= 0 && revisions[j] == c.points[i].Revision && !c.points[i].Evaluated {
			if !copied {
				c.points, copied = slices.Clone(c.points), true
			}
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

// upsert adds p, or replaces an older revision of the point with its id
// (a revised window). Saves are noted out of order, so an older revision
// never replaces a newer one, and a point judged at its revision stays so.
func (c *seriesCopy) upsert(p store.ListeningPoint) {
	// A point's id names its window, so a stored revision sorts where p
	// does (or beside it, when p's times are finer than the store keeps);
	// only a point that is not the newest needs the full search.
	i, found := searchPoints(c.points, &p)
	if !found && i > 0 && c.points[i-1].ID == p.ID {
		i, found = i-1, true
	}
	if !found && i < len(c.points) {
		if j := slices.IndexFunc(c.points, func(q store.ListeningPoint) bool { return q.ID == p.ID }); j >= 0 {
			i, found = j, true
		}
	}
	if found {
		q := c.points[i]
		switch {
		case p.Revision > q.Revision:
			q = p
		case p.Revision == q.Revision && p.Evaluated && !q.Evaluated:
			q.Evaluated = true
		default:
			return
		}
		c.points = slices.Clone(c.points)
		c.points[i] = q
		return
	}
	if i == len(c.points) {
		c.points = append(c.points, p) // beyond every view's length
		return
	}
	c.points = slices.Insert(slices.Clip(c.points), i, p) // a new array
}

// prune drops windows that ended before horizon (by slicing: views keep
// theirs).
func (c *seriesCopy) prune(horizon time.Time) {
	i := 0
	for i < len(c.points) && !c.points[i].WindowEnd.After(horizon) {
		i++
	}
	if i > 0 {
		c.points = c.points[i:]
		c.since = horizon
	}
}

// comparePoints orders points as the store lists them. It takes pointers:
// a point is a large struct, and judging a batch compares many.
func comparePoints(a, b *store.ListeningPoint) int {
	return cmp.Or(a.WindowEnd.Compare(b.WindowEnd), a.WindowStart.Compare(b.WindowStart), cmp.Compare(a.ID, b.ID))
}

// searchPoints is where p sorts in ps and whether it is there: as
// slices.BinarySearchFunc, without copying a point per comparison.
func searchPoints(ps []store.ListeningPoint, p *store.ListeningPoint) (int, bool) {
	i := sort.Search(len(ps), func(i int) bool { return comparePoints(&ps[i], p) >= 0 })
	return i, i < len(ps) && comparePoints(&ps[i], p) == 0
}
