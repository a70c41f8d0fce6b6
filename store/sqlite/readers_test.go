package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/store"
	"github.com/interlock-coe/interlock/store/sqlite"
)

// TestReadsGoBesideTheWriter holds the database's write lock from another
// connection, so that a save through the store waits on the store's one
// writer connection: a read through the store still answers (from a reader
// connection) while that save waits, and once the lock is released the
// save lands and the next read sees it.
func TestReadsGoBesideTheWriter(t *testing.T) {
	dir := t.TempDir()
	s, err := sqlite.Open(t.Context(), dir, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	k := store.SeriesKey{Source: "meltwater", Brand: "acme", Topic: "recall"}
	at := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	point := func(h int) store.ListeningPoint {
		return store.ListeningPoint{Source: k.Source, Brand: k.Brand, Topic: k.Topic, Mentions: 10,
			WindowStart: at.Add(time.Duration(h) * time.Hour), WindowEnd: at.Add(time.Duration(h+1) * time.Hour), ReceivedAt: at}
	}
	if _, err := s.SaveListeningPoints(t.Context(), []store.ListeningPoint{point(0)}, nil); err != nil {
		t.Fatal(err)
	}
	if ps, err := s.ListeningSeries(t.Context(), k, time.Time{}, time.Time{}); err != nil || len(ps) != 1 {
		t.Fatalf("right after a save a read sees %d points (%v), want 1", len(ps), err)
	}

	other, err := sql.Open("sqlite", filepath.Join(dir, sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(t.Context(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	saved := make(chan error, 1)
	go func() {
		_, err := s.SaveListeningPoints(context.WithoutCancel(t.Context()), []store.ListeningPoint{point(1)}, nil)
		saved <- err
	}()
	// Give the save time to take the writer connection and start waiting
	// (were it later, the read below would pass without proving much; it
	// can never fail for it).
	time.Sleep(300 * time.Millisecond)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	ps, err := s.ListeningSeries(ctx, k, time.Time{}, time.Time{})
	if err != nil || len(ps) != 1 {
		t.Fatalf("while a save waits for the write lock a read gives %d points (%v), want the 1 committed", len(ps), err)
	}
	select {
	case err := <-saved:
		t.Fatalf("the save finished (%v) while another connection held the write lock", err)
	default:
	}
	if _, err := conn.ExecContext(t.Context(), "COMMIT"); err != nil {
		t.Fatal(err)
	}
	if err := <-saved; err != nil {
		t.Fatalf("the waiting save: %v", err)
	}
	if ps, err := s.ListeningSeries(t.Context(), k, time.Time{}, time.Time{}); err != nil || len(ps) != 2 {
		t.Errorf("after the save a read sees %d points (%v), want 2", len(ps), err)
	}
}

// TestWritesOneAtATime: the embedded store has one writer connection, so
// features merging concurrent writes run one merged write at a time.
func TestWritesOneAtATime(t *testing.T) {
	s, err := sqlite.Open(t.Context(), t.TempDir(), quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := s.ParallelWrites(); n != 1 {
		t.Errorf("the embedded store reports %d parallel writes, want 1", n)
	}
}
