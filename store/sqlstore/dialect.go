package sqlstore

import (
	"strconv"
	"strings"
)

// Dialect names a flavour of SQL. It is also the folder of the dialect's
// migrations under migrations/.
type Dialect string

// The supported dialects.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// rebind rewrites the ? placeholders of portable SQL into the dialect's
// form: $1, $2, … for PostgreSQL. Question marks inside quoted literals and
// identifiers are left alone.
func (d Dialect) rebind(query string) string {
	if d != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	var quote byte // the open quote character, or 0 outside quotes
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// skipLocked returns the clause that makes a SELECT skip rows another
// transaction has locked, or "" for SQLite, which serialises writers anyway.
func (d Dialect) skipLocked() string {
	if d == Postgres {
		return "FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// migrationLockKey is the PostgreSQL advisory lock that serialises the
// migrations of replicas starting at the same time.
const migrationLockKey = 0x696e746c6f636b // "intlock"

// migrationLock returns the statement that a migration's transaction runs
// first, or "" when the database needs none.
func (d Dialect) migrationLock() string {
	if d == Postgres {
		return "SELECT pg_advisory_xact_lock(" + strconv.FormatInt(migrationLockKey, 10) + ")"
	}
	return ""
}

// bookkeepingDDL creates the table that records applied migrations.
func (d Dialect) bookkeepingDDL() string {
	if d == Postgres {
		return `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`
	}
	return `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)`
}
