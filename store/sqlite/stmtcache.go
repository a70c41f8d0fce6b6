package sqlite

import (
	"container/list"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"

	"modernc.org/sqlite"
)

// Prepared statements, kept. database/sql prepares and finalizes a
// statement for every query run outside a *sql.Stmt, and a *sql.Stmt
// cannot be prepared while a transaction holds the store's one writer
// connection. Parsing was a fifth of the writer's time under listening
// load: a batch's multi-row INSERT alone has thousands of placeholders.
// So each connection keeps its recent statements, by text, and runs them
// again with new arguments, as SQLite intends prepared statements to be
// used; database/sql sees an ordinary driver connection.

const (
	// cachedStatements bounds the statements a connection keeps.
	cachedStatements = 32
	// maxCachedText is the longest statement text kept: a multi-row
	// statement of rowsPerStatement rows is about 25 KB, and one of
	// 100 KB would be a script or a one-off.
	maxCachedText = 64 << 10
)

// connector opens modernc.org/sqlite connections that keep their
// statements.
type connector struct {
	inner driver.Connector
}

// newConnector returns a connector to the database at dsn.
func newConnector(dsn string) (driver.Connector, error) {
	inner, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return connector{inner: inner}, nil
}

func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	in, ok := conn.(innerConn)
	if !ok {
		conn.Close()
		return nil, fmt.Errorf("sqlite driver connection %T lacks the context methods", conn)
	}
	return &cachingConn{innerConn: in, stmts: newStmtCache()}, nil
}

func (c connector) Driver() driver.Driver { return c.inner.Driver() }

// innerConn is what the driver's connection offers and database/sql uses.
type innerConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// preparedStmt is what the driver's prepared statement offers.
type preparedStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

// cachingConn runs queries through its kept statements.
type cachingConn struct {
	innerConn
	stmts *stmtCache
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	s, err := c.stmts.take(ctx, c.innerConn, query)
	switch {
	case err != nil:
		return nil, err
	case s == nil:
		return c.innerConn.ExecContext(ctx, query, args)
	}
	defer c.stmts.give(s)
	return s.stmt.ExecContext(ctx, args)
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s, err := c.stmts.take(ctx, c.innerConn, query)
	switch {
	case err != nil:
		return nil, err
	case s == nil:
		return c.innerConn.QueryContext(ctx, query, args)
	}
	rows, err := s.stmt.QueryContext(ctx, args)
	if err != nil {
		c.stmts.give(s)
		return nil, err
	}
	return &keptRows{Rows: rows, done: func() { c.stmts.give(s) }}, nil
}

func (c *cachingConn) Close() error {
	return errors.Join(c.stmts.close(), c.innerConn.Close())
}

// keptRows gives its statement back when closed.
type keptRows struct {
	driver.Rows
	once sync.Once
	done func()
}

func (r *keptRows) Close() error {
	err := r.Rows.Close()
	r.once.Do(r.done)
	return err
}

// stmtCache is a connection's kept statements, least recently used first
// out. A statement whose rows are still open is in use: the same text run
// meanwhile (a query inside another's loop) is prepared afresh, not kept.
type stmtCache struct {
	mu     sync.Mutex
	byText map[string]*list.Element // of *keptStmt
	order  *list.List               // most recently used at the front
}

type keptStmt struct {
	text    string
	stmt    preparedStmt
	inUse   bool
	evicted bool // dropped from the cache while in use: close when given back
}

func newStmtCache() *stmtCache {
	return &stmtCache{byText: map[string]*list.Element{}, order: list.New()}
}

// take returns query's kept statement, marked in use, preparing it when
// missing; nil (and no error) when query should run unkept.
func (c *stmtCache) take(ctx context.Context, conn driver.ConnPrepareContext, query string) (*keptStmt, error) {
	if len(query) > maxCachedText {
		return nil, nil
	}
	c.mu.Lock()
	if e, ok := c.byText[query]; ok {
		s := e.Value.(*keptStmt)
		if s.inUse {
			c.mu.Unlock()
			return nil, nil
		}
		s.inUse = true
		c.order.MoveToFront(e)
		c.mu.Unlock()
		return s, nil
	}
	c.mu.Unlock()
	ds, err := conn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	ps, ok := ds.(preparedStmt)
	if !ok {
		ds.Close()
		return nil, nil
	}
	s := &keptStmt{text: query, stmt: ps, inUse: true}
	var evicted []*keptStmt
	c.mu.Lock()
	if _, dup := c.byText[query]; dup {
		// Prepared meanwhile by another use of the connection: run
		// this one once, unkept.
		s.evicted = true
		c.mu.Unlock()
		return s, nil
	}
	c.byText[query] = c.order.PushFront(s)
	for c.order.Len() > cachedStatements {
		old := c.order.Remove(c.order.Back()).(*keptStmt)
		delete(c.byText, old.text)
		if old.inUse {
			old.evicted = true
		} else {
			evicted = append(evicted, old)
		}
	}
	c.mu.Unlock()
	for _, old := range evicted {
		old.stmt.Close()
	}
	return s, nil
}

// give returns s after use.
func (c *stmtCache) give(s *keptStmt) {
	c.mu.Lock()
	s.inUse = false
	closeIt := s.evicted
	c.mu.Unlock()
	if closeIt {
		s.stmt.Close()
	}
}

// close finalizes the kept statements; the connection is closing.
func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for e := c.order.Front(); e != nil; e = e.Next() {
		errs = append(errs, e.Value.(*keptStmt).stmt.Close())
	}
	c.byText, c.order = map[string]*list.Element{}, list.New()
	return errors.Join(errs...)
}

// openDB opens the database at dsn through connections that keep their
// statements.
func openDB(dsn string) (*sql.DB, error) {
	c, err := newConnector(dsn)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(c), nil
}
