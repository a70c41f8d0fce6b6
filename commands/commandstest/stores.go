package commandstest

import (
	"context"
	"log/slog"
	"testing"

	"github.com/interlock-coe/interlock/store"
	"github.com/interlock-coe/interlock/store/postgres"
	"github.com/interlock-coe/interlock/store/sqlite"
	"github.com/interlock-coe/interlock/store/storetest"
)

// WithPostgres runs the harness on a fresh PostgreSQL database of its own
// instead of the embedded store.
func WithPostgres() Option {
	return func(o *options) {
		o.open = func(t testing.TB, log *slog.Logger) (store.Store, error) {
			return postgres.Open(context.Background(), storetest.PostgresURL(t), log)
		}
	}
}

// WithDatabase runs the harness on the PostgreSQL database at url, which
// another harness may share: a second replica of the same deployment.
func WithDatabase(url string) Option {
	return func(o *options) {
		o.open = func(_ testing.TB, log *slog.Logger) (store.Store, error) {
			return postgres.Open(context.Background(), url, log)
		}
	}
}

// Stores are the harness options of each backend, for a conversation run on
// both: "sqlite" (the default) and "postgres".
func Stores() map[string][]Option {
	return map[string][]Option{"sqlite": nil, "postgres": {WithPostgres()}}
}

func openStore(t testing.TB, o options, log *slog.Logger) (store.Store, error) {
	if o.open != nil {
		return o.open(t, log)
	}
	return sqlite.Open(context.Background(), o.dir, log)
}

// EachStore runs f as two subtests: on the embedded store and on
// PostgreSQL, with the option that selects each for New.
func EachStore(t *testing.T, f func(t *testing.T, store Option)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { f(t, func(*options) {}) })
	t.Run("postgres", func(t *testing.T) { f(t, WithPostgres()) })
}
