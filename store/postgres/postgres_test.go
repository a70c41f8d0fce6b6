package postgres_test

import (
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
	"github.com/interlock-coe/interlock/store/postgres"
	"github.com/interlock-coe/interlock/store/sqlstore"
	"github.com/interlock-coe/interlock/store/storetest"
)

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

func open(t *testing.T, url string) *sqlstore.Store {
	t.Helper()
	s, err := postgres.Open(t.Context(), url, quiet())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return open(t, storetest.PostgresURL(t))
	})
}

// TestReplicasMigrateAtOnce starts several stores on one empty database at
// the same time, as replicas of a deployment do.
func TestReplicasMigrateAtOnce(t *testing.T) {
	url := storetest.PostgresURL(t)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			s, err := postgres.Open(t.Context(), url, quiet())
			if err != nil {
				t.Errorf("Open: %v", err)
				return
			}
			s.Close()
		})
	}
	wg.Wait()
	s := open(t, url)
	if _, err := s.AppendDecision(t.Context(), store.Decision{Text: "migrated once", Actor: "lee", At: time.Now()}); err != nil {
		t.Fatal(err)
	}
}

func TestTruncateOfDecisionsRefused(t *testing.T) {
	s := open(t, storetest.PostgresURL(t))
	if _, err := s.AppendDecision(t.Context(), store.Decision{Text: "keep", Actor: "lee", At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := s.ExecRaw(t.Context(), "TRUNCATE decisions"); err == nil {
		t.Fatal("TRUNCATE decisions succeeded")
	}
}

func TestUnreachableDatabaseIsUnavailable(t *testing.T) {
	// Port 1 on the loopback interface refuses connections at once.
	_, err := postgres.Open(t.Context(), "postgres://postgres@127.0.0.1:1/interlock?sslmode=disable", quiet())
	if !bot.IsCode(err, bot.EUnavailable) {
		t.Fatalf("Open of an unreachable database = %v (code %s), want %s", err, bot.ErrorCode(err), bot.EUnavailable)
	}
	if msg := bot.ErrorMessage(err); msg != "database is unavailable right now; nothing was changed, please try again" {
		t.Errorf("message shown = %q", msg)
	}
}

// TestWritesInParallel: features that merge concurrent writes (listening
// saves) run several merged writes at once only where the store says so.
func TestWritesInParallel(t *testing.T) {
	var s store.Store = open(t, storetest.PostgresURL(t))
	w, ok := s.(store.ParallelWriter)
	if !ok {
		t.Fatal("a PostgreSQL store does not report its parallel writes")
	}
	if n := w.ParallelWrites(); n < 2 {
		t.Errorf("a PostgreSQL store reports %d parallel writes, want several", n)
	}
}
