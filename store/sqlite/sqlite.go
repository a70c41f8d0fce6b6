// Package sqlite is Interlock's embedded store: a SQLite database file in
// the data directory, through the pure-Go driver modernc.org/sqlite (no cgo).
// The store logic lives in store/sqlstore; this package only adapts the
// driver to it.
package sqlite

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"

	"github.com/interlock-coe/interlock/store/sqlstore"
)

// FileName is the database file created in the data directory.
const FileName = "interlock.db"

// Open opens the store in dir/interlock.db, creating dir and the file when
// missing, and applies the migrations.
func Open(ctx context.Context, dir string, log *slog.Logger) (*sqlstore.Store, error) {
	if dir == "" {
		return nil, fmt.Errorf("open embedded store: no data directory given")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open embedded store: %w", err)
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(abs, FileName)
	s, b, err := open(ctx, fileDSN(path, dsnParams()), log)
	if err != nil {
		return nil, err
	}
	// The writer's file made and migrated, readers and the checkpointer
	// may open it.
	if err := b.addReaders(fileDSN(path, readerParams()), log); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// OpenMemory opens a private in-memory store, migrated, that vanishes on
// Close: for tests and drills that need no file.
func OpenMemory(ctx context.Context, log *slog.Logger) (*sqlstore.Store, error) {
	s, _, err := open(ctx, "file::memory:?"+dsnParams().Encode(), log)
	return s, err
}

// open opens the writer's connection and migrates the database.
func open(ctx context.Context, dsn string, log *slog.Logger) (*sqlstore.Store, *backend, error) {
	db, err := openDB(dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("open embedded store: %w", err)
	}
	// One connection: SQLite has one writer at a time anyway, so queueing in
	// Go is quicker than SQLite's busy retries, and an in-memory database
	// lives exactly as long as its connection.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	b := &backend{db: db}
	s := sqlstore.New(b, log)
	if err := s.Migrate(ctx); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("migrate embedded store: %w", err)
	}
	return s, b, nil
}

// fileDSN is the URI of the database file at path with the connection
// settings params.
func fileDSN(path string, params url.Values) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: params.Encode()}
	return u.String()
}

// readerParams are the settings of the reader connections: the writer's,
// with SQLite's default page cache (the file's pages are in the
// operating system's cache anyway; the writer's cache is for its writes).
func readerParams() url.Values {
	p := dsnParams()
	delete(p, "_pragma")
	return p
}

// busyTimeoutMillis is how long a connection waits for a lock another
// process holds.
const busyTimeoutMillis = "10000"

// dsnParams are the settings of every connection: WAL so readers of other
// processes do not block the writer, a busy timeout for those processes
// (say `interlock migrate` while the bot runs), enforced foreign keys,
// transactions that take the write lock at BEGIN so that two never deadlock
// upgrading from read to write, and a page cache sized for listening.
func dsnParams() url.Values {
	return url.Values{
		"_busy_timeout": {busyTimeoutMillis},
		"_journal_mode": {"WAL"},
		"_synchronous":  {"NORMAL"},
		"_foreign_keys": {"1"},
		"_txlock":       {"immediate"},
		// A 32 MiB page cache (SQLite's default is 2 MiB): listening
		// batches touch a page of the window index per series, and a
		// small cache reads them back from the file on every batch. The
		// writer checkpoints the log itself only once it passes 80 MiB, a
		// fallback: with a file, the checkpointer (readers.go) does it
		// beside the writer and keeps the log near 8 MiB. Statement
		// journals (a multi-row INSERT's undo within its transaction)
		// stay in memory rather than in temporary files.
		"_pragma": {"cache_size(-32768)", "wal_autocheckpoint(20000)", "temp_store(MEMORY)"},
	}
}
