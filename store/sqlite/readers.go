package sqlite

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Reads beside the writer. The store writes through one connection (see
// open), and until now read through it too, so every read queued behind
// every write. In WAL mode SQLite serves readers while a connection
// writes: a file store therefore also opens a few reader connections,
// which the store uses for reads that need no transaction of their own
// (sqlstore.Reader), and one of them checkpoints the log in the
// background, which the writer's commits would otherwise do in line.

const (
	// maxReaders bounds the reader connections.
	maxReaders = 4
	// checkpointEvery is how often the log is copied into the database
	// file, passively (a checkpoint that waits for nobody) until the log
	// grows long.
	checkpointEvery = 250 * time.Millisecond
	// restartAfter is the log's length, in pages (4 KiB), past which a
	// checkpoint makes the log start over (see checkpointOnce).
	restartAfter = 2000
	// restartWait bounds how long such a checkpoint waits for readers,
	// holding new writes back meanwhile; restartPause is how long the
	// checkpointer leaves the log alone after a reader outlasted it.
	restartWait  = 200 * time.Millisecond
	restartPause = 10 * time.Second
)

// addReaders opens the reader connections of the file store at dsn and
// starts the checkpointer.
func (d *backend) addReaders(dsn string, log *slog.Logger) error {
	db, err := openDB(dsn)
	if err != nil {
		return fmt.Errorf("open embedded store readers: %w", err)
	}
	db.SetMaxOpenConns(maxReaders)
	db.SetMaxIdleConns(maxReaders)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if err := db.Ping(); err != nil {
		db.Close()
		return fmt.Errorf("open embedded store readers: %w", err)
	}
	ctx, stop := context.WithCancel(context.Background())
	d.readers, d.stopCheckpoints, d.checkpointsDone = db, stop, make(chan struct{})
	go d.checkpoint(ctx, log)
	return nil
}

// checkpoint copies the log into the database file every checkpointEvery
// until ctx ends. A failure is logged once; the writer's own checkpoint
// (wal_autocheckpoint) is the fallback.
func (d *backend) checkpoint(ctx context.Context, log *slog.Logger) {
	defer close(d.checkpointsDone)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	warned := false
	var pauseUntil time.Time // no RESTART before then
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		_, held, err := d.checkpointOnce(ctx, time.Now().After(pauseUntil))
		if held {
			pauseUntil = time.Now().Add(restartPause)
		}
		if err != nil && ctx.Err() == nil && !warned {
			warned = true
			log.Warn("embedded store: background checkpoint failed; the writer checkpoints instead", "err", err)
		}
	}
}

// checkpointOnce copies what it can of the log into the database file and
// returns the log's length in pages; past restartAfter pages, when
// mayRestart, it also makes the log start over, and held reports a reader
// that kept it from doing so.
//
// A log only starts over from its beginning when a write begins while every
// page of it is copied and no reader still reads it. Under steady writes
// and reads that moment never comes, so the log grew until the writer's own
// checkpoint took over, in a commit, and then in every commit after it: a
// passive checkpoint cannot finish while readers hold older pages. Once the
// log passes restartAfter pages, a RESTART checkpoint therefore waits for
// the writer's current transaction and the readers to finish, copies the
// rest, and lets the next write start the log over. It holds new writes
// back while it waits, so it waits restartWait at most: a reader that
// outlasts that (an operator's sqlite3 left in a transaction) is reported,
// not waited for.
func (d *backend) checkpointOnce(ctx context.Context, mayRestart bool) (logPages int, held bool, err error) {
	var busy, copied int
	err = d.readers.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logPages, &copied)
	if err != nil || logPages <= restartAfter || !mayRestart {
		return logPages, false, err
	}
	conn, err := d.readers.Conn(ctx)
	if err != nil {
		return logPages, false, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", restartWait.Milliseconds())); err != nil {
		return logPages, false, err
	}
	// The connection goes back to the pool with the store's busy timeout.
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA busy_timeout = "+busyTimeoutMillis)
	err = conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(RESTART)").Scan(&busy, &logPages, &copied)
	return logPages, busy != 0, err
}

// closeReaders stops the checkpointer and closes the readers.
func (d *backend) closeReaders() error {
	if d.readers == nil {
		return nil
	}
	d.stopCheckpoints()
	<-d.checkpointsDone
	return d.readers.Close()
}
