package coordtest

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// add calls WindowAdd and fails the test on error.
func add(t *testing.T, c bot.Coordinator, key, member string, at time.Time, value float64, keep time.Duration) {
	t.Helper()
	if err := c.WindowAdd(t.Context(), key, member, at, value, keep); err != nil {
		t.Fatalf("WindowAdd(%q, %q): %v", key, member, err)
	}
}

// checkRange fails the test unless WindowRange(key, from, to) returns want.
func checkRange(t *testing.T, c bot.Coordinator, key string, from, to time.Time, want []bot.WindowPoint) {
	t.Helper()
	got, err := c.WindowRange(t.Context(), key, from, to)
	if err != nil {
		t.Fatalf("WindowRange(%q): %v", key, err)
	}
	same := slices.EqualFunc(got, want, func(a, b bot.WindowPoint) bool {
		return a.Member == b.Member && a.At.Equal(b.At) && (a.Value == b.Value || math.IsNaN(a.Value) && math.IsNaN(b.Value))
	})
	if !same {
		t.Fatalf("WindowRange(%q, %s, %s)\n got %v\nwant %v", key, from, to, got, want)
	}
}

// point is shorthand for a window point offset from base.
func point(member string, offset time.Duration, value float64) bot.WindowPoint {
	return bot.WindowPoint{Member: member, At: base.Add(offset), Value: value}
}

func testWindowAddRange(t *testing.T, c bot.Coordinator, _ Wait) {
	checkRange(t, c, "w", base, base.Add(time.Hour), nil)
	add(t, c, "w", "c", base.Add(2*time.Second), 3, longTTL)
	add(t, c, "w", "a", base, 1, longTTL)
	add(t, c, "w", "b", base.Add(time.Second), 2, longTTL)
	// Points at the same millisecond come in member order; the
	// sub-millisecond part of a time is dropped.
	add(t, c, "w", "a2", base.Add(1500*time.Microsecond), 4, longTTL)
	add(t, c, "w", "a1", base.Add(time.Millisecond), 5, longTTL)
	add(t, c, "other", "x", base, 9, longTTL)
	checkRange(t, c, "w", base, base.Add(time.Hour), []bot.WindowPoint{
		point("a", 0, 1),
		point("a1", time.Millisecond, 5),
		point("a2", time.Millisecond, 4),
		point("b", time.Second, 2),
		point("c", 2*time.Second, 3),
	})
}

func testWindowReplace(t *testing.T, c bot.Coordinator, _ Wait) {
	add(t, c, "w", "m1", base, 1, longTTL)
	add(t, c, "w", "m2", base.Add(time.Second), 2, longTTL)
	add(t, c, "w", "m1", base.Add(2*time.Second), 3, longTTL)
	checkRange(t, c, "w", base, base.Add(time.Hour), []bot.WindowPoint{
		point("m2", time.Second, 2),
		point("m1", 2*time.Second, 3),
	})
	// Replacing with an older time moves the point back.
	add(t, c, "w", "m1", base.Add(-time.Second), 4, longTTL)
	checkRange(t, c, "w", base.Add(-time.Minute), base.Add(time.Hour), []bot.WindowPoint{
		point("m1", -time.Second, 4),
		point("m2", time.Second, 2),
	})
}

func testWindowRangeBounds(t *testing.T, c bot.Coordinator, _ Wait) {
	for i, m := range []string{"p0", "p1", "p2"} {
		add(t, c, "w", m, base.Add(time.Duration(i)*time.Second), float64(i), longTTL)
	}
	tests := []struct {
		name     string
		from, to time.Duration
		want     []bot.WindowPoint
	}{
		{"from is inclusive, to exclusive", time.Second, 2 * time.Second, []bot.WindowPoint{point("p1", time.Second, 1)}},
		{"one millisecond more takes the last", time.Second, 2*time.Second + time.Millisecond, []bot.WindowPoint{point("p1", time.Second, 1), point("p2", 2*time.Second, 2)}},
		{"empty when from equals to", time.Second, time.Second, nil},
		{"empty when reversed", 2 * time.Second, 0, nil},
		{"before everything", -time.Hour, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkRange(t, c, "w", base.Add(tt.from), base.Add(tt.to), tt.want)
		})
	}
}

func testWindowTrim(t *testing.T, c bot.Coordinator, _ Wait) {
	add(t, c, "w", "old", base, 1, longTTL)
	add(t, c, "w", "edge", base.Add(time.Hour), 2, longTTL)
	add(t, c, "w", "mid", base.Add(90*time.Minute), 3, longTTL)
	// keep is one hour: "old" is two hours before the new point and goes;
	// "edge" is exactly one hour before it and stays.
	add(t, c, "w", "new", base.Add(2*time.Hour), 4, longTTL)
	checkRange(t, c, "w", base.Add(-time.Hour), base.Add(3*time.Hour), []bot.WindowPoint{
		point("edge", time.Hour, 2),
		point("mid", 90*time.Minute, 3),
		point("new", 2*time.Hour, 4),
	})
	// A trimmed member added again is a new point, not the old value.
	add(t, c, "w", "old", base.Add(2*time.Hour), 5, longTTL)
	checkRange(t, c, "w", base.Add(2*time.Hour), base.Add(3*time.Hour), []bot.WindowPoint{
		point("new", 2*time.Hour, 4),
		point("old", 2*time.Hour, 5),
	})
}

func testWindowExpires(t *testing.T, c bot.Coordinator, wait Wait) {
	add(t, c, "short", "a", base, 1, shortTTL)
	add(t, c, "kept", "a", base, 1, 0)
	wait(pastShort)
	checkRange(t, c, "short", base.Add(-time.Hour), base.Add(time.Hour), nil)
	checkRange(t, c, "kept", base.Add(-time.Hour), base.Add(time.Hour), []bot.WindowPoint{point("a", 0, 1)})
}

func testWindowValues(t *testing.T, c bot.Coordinator, _ Wait) {
	values := []float64{0, -1.5, 1e-300, math.MaxFloat64, math.Inf(-1), math.NaN(), 0.1 + 0.2}
	members := []string{"plain", "with space", "colon:sep", "ünïcode", "", "new\nline", "quote'\""}
	var want []bot.WindowPoint
	for i, v := range values {
		add(t, c, "w", members[i], base.Add(time.Duration(i)*time.Second), v, longTTL)
		want = append(want, point(members[i], time.Duration(i)*time.Second, v))
	}
	checkRange(t, c, "w", base, base.Add(time.Hour), want)
}
