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

// grownLog opens a file store whose log has grown past restartAfter pages
// while old, another connection, holds a snapshot from before the growth.
// The store has its readers but no background checkpointer: the tests run
// each checkpoint themselves.
func grownLog(t *testing.T) (b *backend, old *sql.Conn) {
	t.Helper()
	path := filepath.Join(t.TempDir(), FileName)
	s, b, err := open(t.Context(), fileDSN(path, dsnParams()), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
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
	t.Cleanup(func() { reader.Close() })
	// A deferred transaction (the DSN's BEGIN would take the write lock)
	// whose first read takes the snapshot.
	if old, err = reader.Conn(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { old.Close() })
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
	return b, old
}

// TestCheckpointStartsTheLogOver: a passive checkpoint alone cannot copy a
// log that a reader's old snapshot holds, so the log would never start
// over; checkpointOnce waits a little for that reader, copies the rest,
// and the next write starts the log from its beginning.
func TestCheckpointStartsTheLogOver(t *testing.T) {
	b, old := grownLog(t)
	// The old snapshot ends a little after the checkpoint starts waiting.
	go func() {
		time.Sleep(restartWait / 8)
		old.ExecContext(context.Background(), "ROLLBACK")
	}()
	logged, held, err := b.checkpointOnce(t.Context(), true)
	if err != nil {
		t.Fatal(err)
	}
	if logged <= restartAfter || held {
		t.Fatalf("the log held %d pages (held by a reader: %v), want more than %d, not held, for the test to mean anything", logged, held, restartAfter)
	}
	if _, err := b.db.Exec(`INSERT INTO blobs (body) VALUES ('after')`); err != nil {
		t.Fatal(err)
	}
	if logged, _, err = b.checkpointOnce(t.Context(), true); err != nil {
		t.Fatal(err)
	}
	if logged > 10 {
		t.Errorf("after a write the log holds %d pages: it did not start over", logged)
	}
}

// TestCheckpointLetsGoOfAStuckReader: a reader that never ends its snapshot
// (an operator's sqlite3 left in a transaction) holds the log, and a
// RESTART checkpoint holds new writes back while it waits. It waits
// restartWait, not the busy timeout, says the reader held it, and the
// writer goes on.
func TestCheckpointLetsGoOfAStuckReader(t *testing.T) {
	b, _ := grownLog(t)
	start := time.Now()
	logged, held, err := b.checkpointOnce(t.Context(), true)
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > restartWait+time.Second {
		t.Errorf("the checkpoint waited %s for a stuck reader, want about %s", took, restartWait)
	}
	if !held || logged <= restartAfter {
		t.Errorf("checkpoint = %d pages, held %v; want the grown log, held by the reader", logged, held)
	}
	start = time.Now()
	if _, err := b.db.Exec(`INSERT INTO blobs (body) VALUES ('after')`); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("a write after the checkpoint took %s", took)
	}
}
