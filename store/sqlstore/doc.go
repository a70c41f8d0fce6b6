// Package sqlstore is the one implementation of store.Store, written once
// over a small driver abstraction so that each domain's SQL lives in one
// place. store/postgres (pgx/v5) and store/sqlite (modernc.org/sqlite) only
// adapt their driver to Driver and call New and Migrate; both pass the
// conformance suite in store/storetest.
//
// # How it works
//
// Every exported method opens one transaction with s.inTx and hands the
// *querier to small unexported helpers (ctx, q, …). A hot method that runs
// one statement, or reads needing no common snapshot, may use s.autocommit
// instead: on PostgreSQL its statements commit on their own, saving BEGIN
// and COMMIT (the timers' claim and completion, the reminder's reads). A querier takes
// portable SQL with ? placeholders, rewrites them for the dialect ($1, $2, …
// on PostgreSQL), stores time.Time arguments as UTC to the microsecond, and
// classifies errors through the driver: no rows becomes ErrNoRows, a unique
// violation a bot.EConflict error (see Conflict), a database that cannot be
// reached bot.Unavailable("database", …). The clock is not in the store:
// callers pass every time (RoleAssignment.AssignedAt, Decision.At, …).
//
// Tables: role_assignments (with a removed_at tombstone, so SeedRoles never
// brings back a removed holder; every change also appends a "role"
// decision in the same transaction), decisions (append-only: triggers in
// the database refuse UPDATE, DELETE and, on PostgreSQL, TRUNCATE) and
// timers (durable timers; one pending timer per key, claimed with a lease,
// FOR UPDATE SKIP LOCKED on PostgreSQL). Migrate keeps schema_migrations.
//
// # Adding a domain (crises, routes, …)
//
// 1. Records and interface. Add the records and a small interface (say
// Crises) to store/store.go and embed it in store.Store. The compile-time
// check in sqlstore/store.go (var _ store.Store = (*Store)(nil)) then lists
// what is missing.
//
// 2. Methods. Write store/sqlstore/<domain>.go (crises.go, routes.go, …)
// with the methods on *Store, in this shape:
//
//	// OpenCrisis stores c and returns it with its id.
//	func (s *Store) OpenCrisis(ctx context.Context, c store.Crisis) (store.Crisis, error) {
//		err := s.inTx(ctx, func(q *querier) error {
//			err := q.queryRow(ctx, `INSERT INTO crises (title, severity, opened_at)
//				VALUES (?, ?, ?) RETURNING id`, c.Title, c.Severity, c.OpenedAt).Scan(&c.ID)
//			if err != nil {
//				return err
//			}
//			_, err = appendDecision(ctx, q, store.Decision{Kind: store.KindCrisis, …})
//			return err
//		})
//		if err != nil {
//			return store.Crisis{}, fmt.Errorf("open crisis %q: %w", c.Title, err)
//		}
//		return c, nil
//	}
//
// Rules: one inTx per exported method; never call an exported method from
// inside inTx (the embedded store has a single connection, which the
// transaction holds: it would wait for itself); write SQL once with ?
// placeholders (both databases accept ON CONFLICT … DO UPDATE/NOTHING,
// RETURNING, partial indexes, CASE, COALESCE, LIMIT); use q.dialect only
// where they truly differ (q.dialect.skipLocked() for claim queries; SQLite
// has no ILIKE, GREATEST, now() or FOR UPDATE, and its LOWER folds ASCII
// only). Use q.exec (rows affected), q.query with collect(rows, scanX) for
// lists, and q.queryRow(…).Scan, checking errors.Is(err, ErrNoRows) and
// turning it into bot.Errorf(bot.ENotFound, "no crisis #%d", id). Build
// optional filters with where{}. Scan into basic types, *time.Time (NOT
// NULL columns; both backends give UTC) and sql.NullTime, sql.NullString,
// sql.NullInt64 for nullable ones; bind "none" as nil (nullInt binds 0 as
// NULL). A unique violation arrives as a bot.EConflict error; replace its
// message when you can say more ("crisis room #ops already exists"). Log
// changes that a feature makes in the decision log with appendDecision, in
// the same transaction. A row that features read, change and write back
// carries a version (crises, syncs, listening alerts): write it with
// "SET …, version = version + 1 WHERE id = ? AND version = ?" and, when no
// row changed but the row exists, return store.Stale(…), so that of two
// writers from one version one wins and the other reads again; or make the
// change one conditional UPDATE (experiments: "WHERE status IN (…)"), or
// lock the row for the transaction (routed issues: FOR UPDATE).
//
// 3. Migrations. Add the same migration to both dialects, under its
// reserved number:
//
//	migrations/postgres/NNNN_<name>.sql
//	migrations/sqlite/NNNN_<name>.sql
//
// Reserved: 0001 core (roles, decisions, timers), 0002 crises, 0003
// routing, 0004 listening, 0005 tests and syncs, 0006 kpis. A later change
// to any domain takes the next free number from 0007 on; never edit a
// migration once it is merged. Migrate applies each missing version in
// order, each in its own transaction (so a lower number added after a
// higher one still runs), under a PostgreSQL advisory lock. A file may hold
// several statements; it runs as written, without placeholder rewriting.
// Both folders must hold the same numbers and names (a test checks).
// Type mapping:
//
//	PostgreSQL                                 SQLite
//	BIGINT GENERATED ALWAYS AS IDENTITY        INTEGER PRIMARY KEY AUTOINCREMENT
//	  PRIMARY KEY
//	TIMESTAMPTZ                                TIMESTAMP (UTC text, fixed width)
//	BOOLEAN                                    BOOLEAN
//	TEXT, BIGINT, INTEGER, DOUBLE PRECISION    TEXT, INTEGER, INTEGER, REAL
//	JSON kept as TEXT                          TEXT
//
// Add the indexes your queries need (partial ones work on both). Short
// integer ids shown to people as #N come from the identity column.
//
// 4. Conformance tests. Add store/storetest/<domain>.go with a
// <domain>Tests() []test list (see roles.go there) and append it in Run, so
// that the same checks run against both backends. Then run, with the local
// PostgreSQL up:
//
//	go test -race ./store/...
package sqlstore
