package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/interlock-coe/interlock/store"
)

var _ store.Store = (*Store)(nil)

// Store implements store.Store over any Driver.
type Store struct {
	db      Driver
	dialect Dialect
	log     *slog.Logger
	// local signals timers to this process's watchers when the driver
	// cannot listen (SQLite).
	local *localSignal
}

// New returns a store over db. It does not migrate: call Migrate (the
// backends' Open functions do).
func New(db Driver, log *slog.Logger) *Store {
	return &Store{db: db, dialect: db.Dialect(), log: log, local: &localSignal{}}
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.Ping(ctx); err != nil {
		return fmt.Errorf("ping database: %w", s.db.Classify(err))
	}
	return nil
}

// Close releases the database.
func (s *Store) Close() error { return s.db.Close() }

// ExecRaw runs sql exactly as written (no placeholder rewriting, no
// arguments) in a transaction of its own. It is for operator tools and the
// conformance suite; features use the typed methods.
func (s *Store) ExecRaw(ctx context.Context, sql string) error {
	return s.inTx(ctx, func(q *querier) error {
		_, err := q.execRaw(ctx, sql)
		return err
	})
}

// ParallelWrites implements store.ParallelWriter: the driver's (a Driver
// may have the ability too), or 1.
func (s *Store) ParallelWrites() int {
	if w, ok := s.db.(store.ParallelWriter); ok {
		return w.ParallelWrites()
	}
	return 1
}

// inTx runs fn in one transaction, committing when fn returns nil and
// rolling back otherwise (or when fn panics). fn must not call the Store's
// exported methods: the embedded store has a single connection, which the
// transaction already holds.
func (s *Store) inTx(ctx context.Context, fn func(q *querier) error) (err error) {
	tx, err := s.db.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", s.db.Classify(err))
	}
	// The rollback must run even when ctx is what failed the transaction.
	rollback := func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }
	defer func() {
		if p := recover(); p != nil {
			rollback()
			panic(p)
		}
	}()
	q := &querier{tx: tx, dialect: s.dialect, classify: s.db.Classify}
	if err := fn(q); err != nil {
		rollback()
		return err
	}
	if err := q.announceTimers(ctx); err != nil {
		rollback()
		return fmt.Errorf("announce timers: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit transaction: %w", s.db.Classify(err))
	}
	if _, listens := s.db.(Listener); !q.wake.IsZero() && !listens {
		s.local.signal(q.wake)
	}
	return nil
}

// autocommit runs fn with each of its statements committing on its own
// where the driver can (see Autocommitter), else in one transaction. fn
// must run a single statement, or reads that need no common snapshot, and
// must not schedule timers: there is no commit to announce them at.
func (s *Store) autocommit(ctx context.Context, fn func(q *querier) error) error {
	a, ok := s.db.(Autocommitter)
	if !ok {
		return s.inTx(ctx, fn)
	}
	q := &querier{tx: a.Autocommit(), dialect: s.dialect, classify: s.db.Classify}
	if err := fn(q); err != nil {
		return err
	}
	if !q.wake.IsZero() {
		return errors.New("internal error: timers scheduled outside a transaction go unannounced")
	}
	return nil
}

// read runs fn, which only reads and needs no common snapshot, on the
// driver's readers where it has them (see Reader), else as autocommit
// does.
func (s *Store) read(ctx context.Context, fn func(q *querier) error) error {
	r, ok := s.db.(Reader)
	if !ok {
		return s.autocommit(ctx, fn)
	}
	return fn(&querier{tx: r.Reads(), dialect: s.dialect, classify: s.db.Classify})
}

// querier runs portable SQL inside one transaction: it rewrites the ?
// placeholders for the dialect, normalises time arguments and classifies
// errors.
type querier struct {
	tx       Tx
	dialect  Dialect
	classify func(error) error
	// wake is the earliest due time of the timers this transaction
	// scheduled, announced when it commits; zero when none.
	wake time.Time
	// announced is the earliest due time its statements announced
	// themselves (PostgreSQL); zero when none.
	announced time.Time
}

func (q *querier) exec(ctx context.Context, sql string, args ...any) (int64, error) {
	n, err := q.tx.Exec(ctx, q.dialect.rebind(sql), normalizeArgs(args)...)
	return n, q.classify(err)
}

// execRaw runs sql as written, for migrations whose function bodies may
// contain question marks.
func (q *querier) execRaw(ctx context.Context, sql string) (int64, error) {
	n, err := q.tx.Exec(ctx, sql)
	return n, q.classify(err)
}

func (q *querier) query(ctx context.Context, sql string, args ...any) (Rows, error) {
	rows, err := q.tx.Query(ctx, q.dialect.rebind(sql), normalizeArgs(args)...)
	if err != nil {
		return nil, q.classify(err)
	}
	return classifiedRows{Rows: rows, classify: q.classify}, nil
}

func (q *querier) queryRow(ctx context.Context, sql string, args ...any) Row {
	return classifiedRow{row: q.tx.QueryRow(ctx, q.dialect.rebind(sql), normalizeArgs(args)...), classify: q.classify}
}

type classifiedRows struct {
	Rows
	classify func(error) error
}

func (r classifiedRows) Scan(dest ...any) error { return r.classify(r.Rows.Scan(dest...)) }
func (r classifiedRows) Err() error             { return r.classify(r.Rows.Err()) }

type classifiedRow struct {
	row      Row
	classify func(error) error
}

func (r classifiedRow) Scan(dest ...any) error { return r.classify(r.row.Scan(dest...)) }
