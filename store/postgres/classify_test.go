package postgres

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store/sqlstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestClassify(t *testing.T) {
	syntax := &pgconn.PgError{Code: "42601", Message: "syntax error"}
	tests := []struct {
		name string
		err  error
		code bot.Code // "" = returned unchanged
	}{
		{"unique violation", &pgconn.PgError{Code: "23505"}, bot.EConflict},
		{"wrapped unique violation", fmt.Errorf("insert: %w", &pgconn.PgError{Code: "23505"}), bot.EConflict},
		{"admin shutdown", &pgconn.PgError{Code: "57P01"}, bot.EUnavailable},
		{"connection failure", &pgconn.PgError{Code: "08006"}, bot.EUnavailable},
		{"too many connections", &pgconn.PgError{Code: "53300"}, bot.EUnavailable},
		{"connection closed", fmt.Errorf("query: %w", pgconn.ErrConnClosed), bot.EUnavailable},
		{"cut off", io.ErrUnexpectedEOF, bot.EUnavailable},
		{"syntax error", syntax, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := classify(tc.err)
			if tc.code == "" {
				if got != tc.err {
					t.Errorf("classify(%v) = %v, want it unchanged", tc.err, got)
				}
				return
			}
			if !bot.IsCode(got, tc.code) || !errors.Is(got, tc.err) {
				t.Errorf("classify(%v) = %v (code %s), want code %s wrapping the cause", tc.err, got, bot.ErrorCode(got), tc.code)
			}
		})
	}
	if got := classify(pgx.ErrNoRows); got != sqlstore.ErrNoRows {
		t.Errorf("classify(pgx.ErrNoRows) = %v, want sqlstore.ErrNoRows", got)
	}
	if classify(nil) != nil {
		t.Error("classify(nil) is not nil")
	}
}
