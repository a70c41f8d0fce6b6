package postgres

import (
	"errors"
	"io"
	"net"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store/sqlstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// classify maps pgx errors onto the shared vocabulary: no rows, unique
// violations as bot.EConflict, and a database that cannot be reached or
// went away as bot.EUnavailable, so people read "database is unavailable
// right now" rather than "internal error".
func classify(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, pgx.ErrNoRows):
		return sqlstore.ErrNoRows
	case unreachable(err):
		return bot.Unavailable("database", err)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "23505": // unique_violation
			return sqlstore.Conflict(err)
		case serverUnavailable(pgErr.Code):
			return bot.Unavailable("database", err)
		}
	}
	return err
}

// unreachable reports an error of the connection itself: refused, timed
// out, reset or closed.
func unreachable(err error) bool {
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connectErr) ||
		errors.As(err, &netErr) ||
		pgconn.Timeout(err) ||
		errors.Is(err, pgconn.ErrConnClosed) ||
		errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF)
}

// serverUnavailable reports SQLSTATEs of a server that cannot serve now:
// connection exceptions (08), insufficient resources (53) and shutdowns or
// start-ups in progress (57P01–57P03).
func serverUnavailable(code string) bool {
	return strings.HasPrefix(code, "08") || strings.HasPrefix(code, "53") ||
		code == "57P01" || code == "57P02" || code == "57P03"
}
