// Package postgres is Interlock's production store: PostgreSQL through
// pgx/v5's connection pool. The store logic lives in store/sqlstore; this
// package only adapts pgx to it.
package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/store/sqlstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Open connects to the database at databaseURL and applies the migrations
// (safe with several replicas starting at once). A database that cannot be
// reached gives a bot.EUnavailable error.
func Open(ctx context.Context, databaseURL string, log *slog.Logger) (*sqlstore.Store, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("parse database URL: %w", err)
	}
	cfg.AfterConnect = scanTimesInUTC
	if !strings.Contains(databaseURL, "pool_max_conns") {
		// pgxpool's default (the CPU count, at least 4) would leave most of
		// the scheduler's timer workers waiting for a connection (their
		// grouped reads and marks need far fewer than one each).
		cfg.MaxConns = max(cfg.MaxConns, minPoolConns)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("create connection pool: %w", classify(err))
	}
	s := sqlstore.New(backend{pool: pool}, log)
	if err := s.Migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("migrate PostgreSQL store: %w", err)
	}
	return s, nil
}

// minPoolConns is the least pool size unless DATABASE_URL sets
// pool_max_conns: enough for the timer workers and requests at once.
const minPoolConns = 20

// scanTimesInUTC makes timestamptz values scan in UTC, as the embedded store
// returns them, rather than in the process's local zone.
func scanTimesInUTC(_ context.Context, conn *pgx.Conn) error {
	conn.TypeMap().RegisterType(&pgtype.Type{
		Name:  "timestamptz",
		OID:   pgtype.TimestamptzOID,
		Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC},
	})
	return nil
}

// backend adapts a pgx pool to sqlstore.Driver.
type backend struct{ pool *pgxpool.Pool }

func (b backend) Dialect() sqlstore.Dialect { return sqlstore.Postgres }

func (b backend) Begin(ctx context.Context) (sqlstore.Tx, error) {
	tx, err := b.pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	return pgxTx{tx: tx}, nil
}

func (b backend) Classify(err error) error       { return classify(err) }
func (b backend) Ping(ctx context.Context) error { return b.pool.Ping(ctx) }

func (b backend) Close() error {
	b.pool.Close()
	return nil
}

// parallelWrites is how many merged writes of one kind a replica runs at
// once: PostgreSQL spreads them over its backends (and CPUs), where one
// at a time leaves all but one idle while the replica waits on it.
const parallelWrites = 4

// ParallelWrites implements store.ParallelWriter for the sqlstore.Store
// over this backend.
func (b backend) ParallelWrites() int { return parallelWrites }

// Autocommit implements sqlstore.Autocommitter: each statement runs on a
// pool connection by itself, one round trip.
func (b backend) Autocommit() sqlstore.Tx { return pgxTx{tx: autocommitTx{b.pool}} }

// autocommitTx is the part of pgx.Tx that pgxTx uses, over the pool, with
// no transaction to end.
type autocommitTx struct{ *pgxpool.Pool }

func (autocommitTx) Commit(context.Context) error   { return nil }
func (autocommitTx) Rollback(context.Context) error { return nil }

// txRunner is the part of pgx.Tx that pgxTx uses.
type txRunner interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
}

type pgxTx struct{ tx txRunner }

func (t pgxTx) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	tag, err := t.tx.Exec(ctx, sql, args...)
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

func (t pgxTx) Query(ctx context.Context, sql string, args ...any) (sqlstore.Rows, error) {
	return t.tx.Query(ctx, sql, args...)
}

func (t pgxTx) QueryRow(ctx context.Context, sql string, args ...any) sqlstore.Row {
	return t.tx.QueryRow(ctx, sql, args...)
}

func (t pgxTx) Commit(ctx context.Context) error   { return t.tx.Commit(ctx) }
func (t pgxTx) Rollback(ctx context.Context) error { return t.tx.Rollback(ctx) }

// Listen implements sqlstore.Listener on a connection of its own, outside
// the pool, so that waiting for notifications never holds a pool slot.
func (b backend) Listen(ctx context.Context, channel string, ready func(), f func(payload string)) error {
	conn, err := pgx.ConnectConfig(ctx, b.pool.Config().ConnConfig)
	if err != nil {
		return fmt.Errorf("connect to listen: %w", err)
	}
	defer func() {
		closing, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = conn.Close(closing)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return fmt.Errorf("listen on %s: %w", channel, err)
	}
	ready()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("wait for notification on %s: %w", channel, err)
		}
		f(n.Payload)
	}
}
