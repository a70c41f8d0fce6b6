package sqlite

import (
	"context"
	"database/sql"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCheckpointStartsTheLogOver: with a reader holding an old snapshot
// while the log grows past restartAfter pages, a passive checkpoint alone
// cannot copy the log, so it would never start over; checkpointOnce waits
// for that reader, copies the rest, and the next write starts the log
// from its beginning.
func TestCheckpointStartsTheLogOver(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	s, b, err := open(t.Context(), fileDSN(path, dsnParams()), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// The readers without the background checkpointer: the test runs
	// each checkpoint itself.
	if b.readers, err = openDB(fileDSN(path, readerParams())); err != nil {
		t.Fatal(err)
	}
	b.stopCheckpoints, b.checkpointsDone = func() {}, make(chan struct{})
	close(b.checkpointsDone)

	if _, err := b.db.Exec(`CREATE TABLE blobs (body TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	reader, err := sql.Open("sqlite", fileDSN(path, readerParams()))
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	// A deferred transaction (the DSN's BEGIN would take the write lock)
	// whose first read takes the snapshot.
	old, err := reader.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	if _, err := old.ExecContext(t.Context(), "BEGIN DEFERRED"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := old.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM blobs`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	page := strings.Repeat("x", 4000) // a page a row
	for range restartAfter / 100 * 3 / 2 {
		tx, err := b.db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		for range 100 {
			if _, err := tx.Exec(`INSERT INTO blobs (body) VALUES (?)`, page); err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	// The old snapshot ends a little after the checkpoint starts waiting.
	go func() {
		time.Sleep(100 * time.Millisecond)
		old.ExecContext(context.Background(), "ROLLBACK")
	}()
	logged, err := b.checkpointOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if logged <= restartAfter {
		t.Fatalf("the log held %d pages, want more than %d for the test to mean anything", logged, restartAfter)
	}
	if _, err := b.db.Exec(`INSERT INTO blobs (body) VALUES ('after')`); err != nil {
		t.Fatal(err)
	}
	if logged, err = b.checkpointOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if logged > 10 {
		t.Errorf("after a write the log holds %d pages: it did not start over", logged)
	}
}
