package sqlstore

import (
	"context"
	"errors"

	"github.com/interlock-coe/interlock/bot"
)

// ErrNoRows is what Row.Scan returns, after Driver.Classify, when a query
// matched nothing.
var ErrNoRows = errors.New("sqlstore: no rows")

// Driver is one database backend. store/sqlite and store/postgres implement
// it; everything else about the store is written once in this package.
type Driver interface {
	// Dialect tells how the backend's SQL differs from the portable SQL
	// written here.
	Dialect() Dialect
	// Begin starts a transaction.
	Begin(ctx context.Context) (Tx, error)
	// Classify maps a backend error to the shared vocabulary: the backend's
	// "no rows" error to ErrNoRows, a unique violation to a bot.EConflict
	// error, a lost or refused connection to bot.Unavailable("database", …).
	// Any other error is returned unchanged; nil stays nil.
	Classify(err error) error
	Ping(ctx context.Context) error
	Close() error
}

// Autocommitter is a Driver ability: statements that each commit on their
// own, in the database's implicit transaction, without the round trips of
// BEGIN and COMMIT (two of a one-statement transaction's three on
// PostgreSQL). SQLite, in process, has no round trips to save.
type Autocommitter interface {
	// Autocommit returns a Tx whose statements each commit on their own;
	// its Commit and Rollback do nothing.
	Autocommit() Tx
}

// Reader is a Driver ability: statements on connections beside the
// writer's, each reading the latest commit on its own (SQLite in WAL mode
// serves readers while its one writer connection writes, so reads need
// not queue behind writes).
type Reader interface {
	Reads() Tx
}

// Tx is one backend transaction. The SQL it receives already uses the
// backend's placeholders, and time.Time arguments are UTC with microsecond
// precision.
type Tx interface {
	Exec(ctx context.Context, sql string, args ...any) (rowsAffected int64, err error)
	Query(ctx context.Context, sql string, args ...any) (Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) Row
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
}

// Rows iterates over a query's result. Scan accepts the basic Go types,
// *time.Time (returned in UTC) and the database/sql Null types.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// Row is the first row of a query's result; Scan reports the backend's
// "no rows" error when there was none.
type Row interface {
	Scan(dest ...any) error
}

// Conflict wraps a unique violation as a bot.EConflict error. Drivers use it
// in Classify; a method that expects a conflict may replace the message
// with a more precise one.
func Conflict(err error) error {
	return &bot.Error{Code: bot.EConflict, Message: "that already exists", Err: err}
}
