package sqlite_test

import (
	"database/sql"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/store"
	"github.com/interlock-coe/interlock/store/sqlite"
	"github.com/interlock-coe/interlock/store/storetest"
)

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := sqlite.Open(t.Context(), t.TempDir(), quiet())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestConformanceInMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := sqlite.OpenMemory(t.Context(), quiet())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestOpenCreatesDirectoryAndKeepsData(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "interlock")
	s, err := sqlite.Open(t.Context(), dir, quiet())
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	if _, err := s.AppendDecision(t.Context(), store.Decision{Text: "survives a restart", Actor: "lee", At: at}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, sqlite.FileName)); err != nil {
		t.Fatalf("database file: %v", err)
	}

	// Opening again applies no migration twice and finds the data.
	s, err = sqlite.Open(t.Context(), dir, quiet())
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	got, err := s.ListDecisions(t.Context(), store.DecisionQuery{})
	if err != nil || len(got) != 1 || got[0].Text != "survives a restart" {
		t.Fatalf("after reopening: %+v, %v; want the decision", got, err)
	}
}

func TestOpenNeedsADirectory(t *testing.T) {
	if _, err := sqlite.Open(t.Context(), "", quiet()); err == nil {
		t.Fatal("Open with no directory succeeded")
	}
}

// TestTimesAreFixedWidthUTCText pins the stored form of times, which makes
// text order time order in SQL comparisons.
func TestTimesAreFixedWidthUTCText(t *testing.T) {
	dir := t.TempDir()
	s, err := sqlite.Open(t.Context(), dir, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 3, 2, 10, 30, 0, 5000, time.FixedZone("CET", 3600))
	if _, err := s.AppendDecision(t.Context(), store.Decision{Text: "x", Actor: "lee", At: at}); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var kind, text string
	if err := db.QueryRow(`SELECT typeof(decided_at), CAST(decided_at AS TEXT) FROM decisions`).Scan(&kind, &text); err != nil {
		t.Fatal(err)
	}
	if kind != "text" || text != "2026-03-02T09:30:00.000005Z" {
		t.Errorf("decided_at stored as %s %q, want text \"2026-03-02T09:30:00.000005Z\"", kind, text)
	}
}
