package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
)

// scratchDB opens a file database through keeping connections, one
// connection at most (as the store's writer), with a table t.
func scratchDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := openDB(fileDSN(filepath.Join(t.TempDir(), "kept.db"), dsnParams()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)`); err != nil {
		t.Fatal(err)
	}
	return db
}

// keptStatements is how many statements db's one connection keeps.
func keptStatements(t *testing.T, db *sql.DB) int {
	t.Helper()
	conn, err := db.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*cachingConn)
		if !ok {
			return fmt.Errorf("connection is a %T, not a keeping one", dc)
		}
		c.stmts.mu.Lock()
		defer c.stmts.mu.Unlock()
		n = c.stmts.order.Len()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func names(t *testing.T, rows *sql.Rows) []string {
	t.Helper()
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestKeptStatementsRunAgain: the same texts, run again in transactions
// and outside them with new arguments, give each run's own results, and
// are prepared once.
func TestKeptStatementsRunAgain(t *testing.T) {
	db := scratchDB(t)
	const insert, count = `INSERT INTO t (name) VALUES (?) RETURNING id`, `SELECT COUNT(*) FROM t WHERE name >= ?`
	before := keptStatements(t, db)
	for i := range 5 {
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		var id int64
		if err := tx.QueryRow(insert, fmt.Sprintf("n%d", i)).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if id != int64(i+1) {
			t.Errorf("run %d: inserted id %d, want %d", i, id, i+1)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.QueryRow(count, "n0").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != i+1 {
			t.Errorf("run %d: counted %d rows, want %d", i, n, i+1)
		}
	}
	if got := keptStatements(t, db) - before; got != 2 {
		t.Errorf("the connection keeps %d more statements, want 2 (one per text)", got)
	}
}

// TestKeptStatementAfterAnError: a statement that fails (a unique key
// taken) runs again cleanly.
func TestKeptStatementAfterAnError(t *testing.T) {
	db := scratchDB(t)
	const insert = `INSERT INTO t (name) VALUES (?)`
	if _, err := db.Exec(insert, "a"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(insert, "a"); err == nil {
		t.Fatal("a second row named a was inserted")
	}
	if _, err := db.Exec(insert, "b"); err != nil {
		t.Fatalf("after a failed run the statement fails again: %v", err)
	}
	if got := names(t, mustQuery(t, db, `SELECT name FROM t ORDER BY name`)); fmt.Sprint(got) != "[a b]" {
		t.Errorf("rows %v, want [a b]", got)
	}
}

func mustQuery(t *testing.T, db interface {
	Query(string, ...any) (*sql.Rows, error)
}, q string, args ...any) *sql.Rows {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestSameTextInsideItsOwnRows: a text run again while its first run's rows
// are open (on the same connection, in one transaction) runs apart from
// them, and both read every row.
func TestSameTextInsideItsOwnRows(t *testing.T) {
	db := scratchDB(t)
	for _, n := range []string{"a", "b", "c"} {
		if _, err := db.Exec(`INSERT INTO t (name) VALUES (?)`, n); err != nil {
			t.Fatal(err)
		}
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const q = `SELECT name FROM t WHERE name >= ? ORDER BY name`
	outer := mustQuery(t, tx, q, "a")
	var seen []string
	for outer.Next() {
		var s string
		if err := outer.Scan(&s); err != nil {
			t.Fatal(err)
		}
		seen = append(seen, s)
		if got := names(t, mustQuery(t, tx, q, s)); len(got) != 4-len(seen) {
			t.Errorf("inner run from %s read %v", s, got)
		}
	}
	outer.Close()
	if fmt.Sprint(seen) != "[a b c]" {
		t.Errorf("outer run read %v, want [a b c]", seen)
	}
	if got := names(t, mustQuery(t, tx, q, "b")); fmt.Sprint(got) != "[b c]" {
		t.Errorf("after both closed the text reads %v, want [b c]", got)
	}
}

// TestKeptStatementsAreBounded: past cachedStatements texts the least
// recently used go, one in use is closed only once its rows close, and
// every text still runs.
func TestKeptStatementsAreBounded(t *testing.T) {
	db := scratchDB(t)
	if _, err := db.Exec(`INSERT INTO t (name) VALUES ('a'), ('b')`); err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const first = `SELECT name FROM t ORDER BY name`
	open := mustQuery(t, tx, first)
	for i := range 2 * cachedStatements {
		var n int
		if err := tx.QueryRow(fmt.Sprintf(`SELECT COUNT(*) + %d FROM t`, i)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 2+i {
			t.Fatalf("statement %d counted %d, want %d", i, n, 2+i)
		}
	}
	// The first text was evicted while its rows were open: they still read.
	if got := names(t, open); fmt.Sprint(got) != "[a b]" {
		t.Errorf("rows of an evicted statement read %v, want [a b]", got)
	}
	if got := names(t, mustQuery(t, tx, first)); fmt.Sprint(got) != "[a b]" {
		t.Errorf("the evicted text run again reads %v, want [a b]", got)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if n := keptStatements(t, db); n > cachedStatements {
		t.Errorf("the connection keeps %d statements, more than %d", n, cachedStatements)
	}
}

// TestScriptsRunUnkept: a text of several statements (a migration) runs
// whole.
func TestScriptsRunUnkept(t *testing.T) {
	db := scratchDB(t)
	if _, err := db.Exec(`INSERT INTO t (name) VALUES ('x'); INSERT INTO t (name) VALUES ('y');`); err != nil {
		t.Fatal(err)
	}
	if got := names(t, mustQuery(t, db, `SELECT name FROM t ORDER BY name`)); fmt.Sprint(got) != "[x y]" {
		t.Errorf("after a two-statement script the table holds %v, want [x y]", got)
	}
}

// TestKeptStatementHonoursCancel: a run whose context has ended fails
// with the context's error, and the statement runs again afterwards.
func TestKeptStatementHonoursCancel(t *testing.T) {
	db := scratchDB(t)
	const q = `SELECT COUNT(*) FROM t`
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := db.QueryRowContext(ctx, q).Scan(&n); err == nil {
		t.Error("a run with an ended context succeeded")
	}
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Errorf("after a cancelled run: %v", err)
	}
}
