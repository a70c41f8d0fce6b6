package memory

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// WindowAdd records value at at (to the millisecond) under member in the
// window at key, replacing the member's previous point. When keep > 0,
// points older than at-keep are dropped and the whole window expires keep
// from now unless added to again.
func (c *Coordinator) WindowAdd(ctx context.Context, key, member string, at time.Time, value float64, keep time.Duration) error {
	now := c.begin()
	defer c.mu.Unlock()
	e, ok := c.windows.lookup(key, now)
	if !ok {
		e.val = map[string]bot.WindowPoint{}
	}
	at = toMillis(at)
	e.val[member] = bot.WindowPoint{Member: member, At: at, Value: value}
	if keep > 0 {
		cutoff := at.Add(-keep)
		maps.DeleteFunc(e.val, func(_ string, p bot.WindowPoint) bool { return p.At.Before(cutoff) })
		e.expires = now.Add(keep)
	}
	c.windows[key] = e
	return nil
}

// WindowRange returns the points of the window at key with from <= At < to
// (to the millisecond), oldest first and, at the same time, by member.
func (c *Coordinator) WindowRange(ctx context.Context, key string, from, to time.Time) ([]bot.WindowPoint, error) {
	now := c.begin()
	defer c.mu.Unlock()
	e, ok := c.windows.lookup(key, now)
	if !ok {
		return nil, nil
	}
	from, to = toMillis(from), toMillis(to)
	var points []bot.WindowPoint
	for _, p := range e.val {
		if !p.At.Before(from) && p.At.Before(to) {
			points = append(points, p)
		}
	}
	slices.SortFunc(points, func(a, b bot.WindowPoint) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Member, b.Member))
	})
	return points, nil
}

// toMillis drops t's sub-millisecond part, as Redis scores do, and returns
// it in the same form store/redis returns.
func toMillis(t time.Time) time.Time { return time.UnixMilli(t.UnixMilli()) }
