package coordtest

import (
	"bytes"
	"testing"

	"github.com/interlock-coe/interlock/bot"
)

func testIncr(t *testing.T, c bot.Coordinator, _ Wait) {
	steps := []struct {
		delta, want int64
	}{{1, 1}, {5, 6}, {-10, -4}, {0, -4}}
	for _, s := range steps {
		if got := incr(t, c, "n", s.delta, longTTL); got != s.want {
			t.Fatalf("Incr(%d) = %d, want %d", s.delta, got, s.want)
		}
	}
	if got := incr(t, c, "m", 1, 0); got != 1 {
		t.Fatalf("Incr of another counter = %d, want 1", got)
	}
}

func testIncrTTLFromFirst(t *testing.T, c bot.Coordinator, wait Wait) {
	incr(t, c, "n", 1, shortTTL)
	// A later increment's ttl does not extend the counter's life.
	if got := incr(t, c, "n", 1, longTTL); got != 2 {
		t.Fatalf("second Incr = %d, want 2", got)
	}
	wait(pastShort)
	if got := incr(t, c, "n", 1, longTTL); got != 1 {
		t.Fatalf("Incr after expiry = %d, want 1", got)
	}
	incr(t, c, "forever", 1, 0)
	wait(pastShort)
	if got := incr(t, c, "forever", 1, 0); got != 2 {
		t.Fatalf("Incr of a counter without ttl after a wait = %d, want 2", got)
	}
}

// get calls Get and fails the test on error.
func get(t *testing.T, c bot.Coordinator, key string) ([]byte, bool) {
	t.Helper()
	v, ok, err := c.Get(t.Context(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	return v, ok
}

func testGetSet(t *testing.T, c bot.Coordinator, _ Wait) {
	if _, ok := get(t, c, "missing"); ok {
		t.Fatal("Get of a missing key found a value")
	}
	buf := []byte("v1")
	if err := c.Set(t.Context(), "k", buf, longTTL); err != nil {
		t.Fatalf("Set: %v", err)
	}
	buf[0] = 'X' // the stored value must not share the caller's slice
	if v, ok := get(t, c, "k"); !ok || !bytes.Equal(v, []byte("v1")) {
		t.Fatalf("Get = %q, %v; want v1", v, ok)
	}
	if err := c.Set(t.Context(), "k", []byte("v2"), longTTL); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if v, _ := get(t, c, "k"); !bytes.Equal(v, []byte("v2")) {
		t.Fatalf("Get after overwrite = %q, want v2", v)
	}
	if err := c.Set(t.Context(), "empty", nil, longTTL); err != nil {
		t.Fatalf("Set empty: %v", err)
	}
	if v, ok := get(t, c, "empty"); !ok || len(v) != 0 {
		t.Fatalf("Get of an empty value = %q, %v; want empty, true", v, ok)
	}
}

func testSetExpires(t *testing.T, c bot.Coordinator, wait Wait) {
	if err := c.Set(t.Context(), "short", []byte("x"), shortTTL); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if err := c.Set(t.Context(), "forever", []byte("y"), 0); err != nil {
		t.Fatalf("Set: %v", err)
	}
	wait(pastShort)
	if _, ok := get(t, c, "short"); ok {
		t.Fatal("value still there after its ttl")
	}
	if v, ok := get(t, c, "forever"); !ok || string(v) != "y" {
		t.Fatalf("value set with ttl 0 = %q, %v; want y, true", v, ok)
	}
}

func testKindsAreSeparate(t *testing.T, c bot.Coordinator, _ Wait) {
	claim(t, c, "k", longTTL)
	if _, ok := get(t, c, "k"); ok {
		t.Fatal("a claim is visible as a cached value")
	}
	lock(t, c, "k", longTTL)
	if got := incr(t, c, "k", 1, longTTL); got != 1 {
		t.Fatalf("Incr of a claimed and locked key = %d, want 1", got)
	}
	if err := c.Set(t.Context(), "k", []byte("v"), longTTL); err != nil {
		t.Fatalf("Set: %v", err)
	}
	points, err := c.WindowRange(t.Context(), "k", base.Add(-longTTL), base.Add(longTTL))
	if err != nil || len(points) != 0 {
		t.Fatalf("WindowRange of a key used by other kinds = %v, %v; want none", points, err)
	}
}
