// Package storetest is the conformance suite every store.Store backend
// passes, and a harness that gives each test a fresh PostgreSQL database.
// A backend's test calls Run with a function opening a fresh, empty store:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store {
//			s, err := sqlite.Open(t.Context(), t.TempDir(), slog.New(slog.DiscardHandler))
//			if err != nil {
//				t.Fatal(err)
//			}
//			t.Cleanup(func() { s.Close() })
//			return s
//		})
//	}
package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// RawExecer is implemented by stores that can run raw SQL (sqlstore.Store
// does). The suite uses it to check what the database itself refuses.
type RawExecer interface {
	ExecRaw(ctx context.Context, sql string) error
}

// test is one conformance check, run on a store of its own.
type test struct {
	name string
	run  func(t *testing.T, s store.Store)
}

// Run runs the conformance suite. open must return a fresh, empty, migrated
// store for the test it is given and close it when that test ends. The
// checks run in parallel, each on its own store.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	var tests []test
	tests = append(tests, roleTests()...)
	tests = append(tests, decisionTests()...)
	tests = append(tests, crisisTests()...)
	tests = append(tests, confidentialTests()...)
	tests = append(tests, timerTests()...)
	tests = append(tests, buttonTests()...)
	tests = append(tests, routeTests()...)
	tests = append(tests, listeningTests()...)
	tests = append(tests, batchTests()...)
	tests = append(tests, experimentTests()...)
	tests = append(tests, syncTests()...)
	tests = append(tests, kpiTests()...)
	tests = append(tests, versionTests()...)
	tests = append(tests, contentTests()...)
	tests = append(tests, accountTests()...)
	tests = append(tests, requestTests()...)
	tests = append(tests, templateTests()...)
	tests = append(tests, digestTests()...)
	tests = append(tests, test{"Ping", testPing}, test{"UniqueViolationIsConflict", testUniqueViolation})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, open(t))
		})
	}
}

func testPing(t *testing.T, s store.Store) {
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

// testUniqueViolation checks that the backend reports a unique violation as
// a conflict, which features turn into a clear answer.
func testUniqueViolation(t *testing.T, s store.Store) {
	raw := rawExecer(t, s)
	const dup = `INSERT INTO schema_migrations (version, name) VALUES (1, 'duplicate')`
	err := raw.ExecRaw(t.Context(), dup)
	if !bot.IsCode(err, bot.EConflict) {
		t.Fatalf("inserting a duplicate key: got %v (code %s), want a %s error", err, bot.ErrorCode(err), bot.EConflict)
	}
}

func rawExecer(t *testing.T, s store.Store) RawExecer {
	t.Helper()
	raw, ok := s.(RawExecer)
	if !ok {
		t.Fatalf("%T does not implement storetest.RawExecer, which this check needs", s)
	}
	return raw
}

// base is the suite's reference time: not UTC and with nanoseconds, so that
// the checks see the store normalise times to UTC microseconds.
func base() time.Time {
	return time.Date(2026, 3, 2, 9, 30, 0, 123456789, time.FixedZone("CET", 3600))
}

// stored is what a store gives back for t.
func stored(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// checkTime fails unless got is want as stored, in UTC.
func checkTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(stored(want)) || got.Location() != time.UTC {
		t.Errorf("%s = %v, want %v (UTC)", what, got, stored(want))
	}
}

// must(v, err)(t) returns v, or fails t when err is not nil.
func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
