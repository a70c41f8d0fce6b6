package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store/sqlstore"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// timeLayout is how times are stored: UTC text of fixed width, so that
// comparing the text compares the times. SQLite's date functions read it.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// backend adapts database/sql over modernc.org/sqlite to sqlstore.Driver.
type backend struct {
	db *sql.DB // the writer: one connection
	// readers, for a file store: connections beside the writer
	// (readers.go); nil for an in-memory one.
	readers         *sql.DB
	stopCheckpoints context.CancelFunc
	checkpointsDone chan struct{}
}

func (d *backend) Dialect() sqlstore.Dialect { return sqlstore.SQLite }

func (d *backend) Begin(ctx context.Context) (sqlstore.Tx, error) {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return sqlTx{q: tx, tx: tx}, nil
}

// Reads implements sqlstore.Reader: statements on the reader connections
// of a file store, each reading the latest commit on its own; on the
// writer's connection for an in-memory store, which has no others.
func (d *backend) Reads() sqlstore.Tx {
	if d.readers != nil {
		return sqlTx{q: d.readers}
	}
	return sqlTx{q: d.db}
}

func (d *backend) Ping(ctx context.Context) error { return d.db.PingContext(ctx) }

func (d *backend) Close() error {
	return errors.Join(d.closeReaders(), d.db.Close())
}

// Classify maps SQLite's errors onto the shared vocabulary.
func (d *backend) Classify(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return sqlstore.ErrNoRows
	}
	if errors.Is(err, sql.ErrConnDone) {
		return bot.Unavailable("database", err)
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return sqlstore.Conflict(err)
	}
	// The primary code is the low byte of an extended one.
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL, sqlite3.SQLITE_CANTOPEN:
		return bot.Unavailable("database", err)
	}
	return err
}

// sqlTx runs statements in a transaction (tx set), or each on its own.
type sqlTx struct {
	q  queryer
	tx *sql.Tx
}

// queryer is what *sql.Tx and *sql.DB have in common.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (t sqlTx) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := t.q.ExecContext(ctx, query, bindArgs(args)...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (t sqlTx) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	rows, err := t.q.QueryContext(ctx, query, bindArgs(args)...)
	if err != nil {
		return nil, err
	}
	return sqlRows{rows: rows}, nil
}

func (t sqlTx) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return sqlRow{row: t.q.QueryRowContext(ctx, query, bindArgs(args)...)}
}

func (t sqlTx) Commit(context.Context) error {
	if t.tx == nil {
		return nil
	}
	return t.tx.Commit()
}

func (t sqlTx) Rollback(context.Context) error {
	if t.tx == nil {
		return nil
	}
	return t.tx.Rollback()
}

type sqlRows struct{ rows *sql.Rows }

func (r sqlRows) Next() bool             { return r.rows.Next() }
func (r sqlRows) Scan(dest ...any) error { return r.rows.Scan(scanTargets(dest)...) }
func (r sqlRows) Err() error             { return r.rows.Err() }
func (r sqlRows) Close()                 { _ = r.rows.Close() }

type sqlRow struct{ row *sql.Row }

func (r sqlRow) Scan(dest ...any) error { return r.row.Scan(scanTargets(dest)...) }

// bindArgs stores times as timeLayout text; the driver's own format would
// carry the zone and Go's monotonic clock reading.
func bindArgs(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if v, ok := a.(driver.Valuer); ok {
			if val, err := v.Value(); err == nil {
				a = val
			}
		}
		if t, ok := a.(time.Time); ok {
			a = t.UTC().Format(timeLayout)
		}
		out[i] = a
	}
	return out
}

// scanTargets wraps time destinations so that they accept the stored text
// too: SQLite reports no declared type for expressions, so their times
// arrive as strings.
func scanTargets(dest []any) []any {
	out := make([]any, len(dest))
	for i, d := range dest {
		switch v := d.(type) {
		case *time.Time:
			out[i] = timeScanner{dst: v}
		case *sql.NullTime:
			out[i] = timeScanner{dst: &v.Time, valid: &v.Valid}
		default:
			out[i] = d
		}
	}
	return out
}

// timeScanner scans a stored time into dst, in UTC. valid is nil for a
// column that must not be NULL.
type timeScanner struct {
	dst   *time.Time
	valid *bool
}

func (s timeScanner) Scan(src any) error {
	if s.valid != nil {
		*s.valid = src != nil
	}
	switch v := src.(type) {
	case nil:
		if s.valid == nil {
			return errors.New("scan time: value is NULL")
		}
		*s.dst = time.Time{}
		return nil
	case time.Time:
		*s.dst = v.UTC()
		return nil
	case string:
		return s.parse(v)
	case []byte:
		return s.parse(string(v))
	}
	return fmt.Errorf("scan time: unsupported value of type %T", src)
}

// parse reads timeLayout text, or SQLite's CURRENT_TIMESTAMP form.
func (s timeScanner) parse(text string) error {
	for _, layout := range []string{time.RFC3339Nano, time.DateTime} {
		if t, err := time.Parse(layout, text); err == nil {
			*s.dst = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("scan time: cannot parse %q", text)
}
