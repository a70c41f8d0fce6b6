package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

func buttonTests() []test {
	return []test{
		{"ButtonSaveAndLoad", testButtonSaveAndLoad},
		{"ButtonExpiry", testButtonExpiry},
		{"ButtonPrunedOnSave", testButtonPruned},
	}
}

func saveButton(t *testing.T, s store.Store, key, action string, now, expires time.Time) {
	t.Helper()
	if err := s.SaveButton(t.Context(), key, action, now, expires); err != nil {
		t.Fatalf("SaveButton(%s): %v", key, err)
	}
}

// checkButton fails unless key holds want at now ("" = none).
func checkButton(t *testing.T, s store.Store, key string, now time.Time, want string) {
	t.Helper()
	got, err := s.ButtonAction(t.Context(), key, now)
	switch {
	case want == "" && !bot.IsCode(err, bot.ENotFound):
		t.Errorf("ButtonAction(%s) at %s = %q, %v; want not found", key, now.Format(time.TimeOnly), got, err)
	case want != "" && (err != nil || got != want):
		t.Errorf("ButtonAction(%s) at %s = %q, %v; want %q", key, now.Format(time.TimeOnly), got, err, want)
	}
}

func testButtonSaveAndLoad(t *testing.T, s store.Store) {
	now := base()
	long := "/crisis propose " + strings.Repeat("We are aware and fixing it. ", 20) + "✓"
	saveButton(t, s, "h:one", long, now, now.Add(time.Hour))
	checkButton(t, s, "h:one", now, long)
	checkButton(t, s, "h:two", now, "")
	// Saving a key again replaces its action and expiry.
	saveButton(t, s, "h:one", "/crisis approve 1", now, now.Add(2*time.Hour))
	checkButton(t, s, "h:one", now.Add(90*time.Minute), "/crisis approve 1")
	if err := s.SaveButton(t.Context(), "h:bad", "/x", now, now); err == nil {
		t.Error("SaveButton accepted a button that expires at once")
	}
}

func testButtonExpiry(t *testing.T, s store.Store) {
	now := base()
	saveButton(t, s, "h:soon", "/crisis approve 2", now, now.Add(time.Minute))
	checkButton(t, s, "h:soon", now.Add(time.Minute), "/crisis approve 2")
	checkButton(t, s, "h:soon", now.Add(time.Minute+time.Second), "")
}

func testButtonPruned(t *testing.T, s store.Store) {
	now := base()
	saveButton(t, s, "h:old", "/crisis approve 3", now, now.Add(time.Minute))
	saveButton(t, s, "h:new", "/crisis approve 4", now.Add(time.Hour), now.Add(2*time.Hour))
	// Read as of the first save, a pruned row would still be valid.
	checkButton(t, s, "h:old", now, "")
	checkButton(t, s, "h:new", now, "/crisis approve 4")
}
