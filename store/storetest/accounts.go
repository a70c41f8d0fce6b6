package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

func accountTests() []test {
	return []test{
		{"AccountAddAndLoad", testAccountAddAndLoad},
		{"AccountDuplicateRefused", testAccountDuplicateRefused},
		{"AccountUpdate", testAccountUpdate},
		{"AccountRemoveKeepsHistory", testAccountRemoveKeepsHistory},
		{"AccountList", testAccountList},
		{"AccountHistoryAppendOnly", testAccountHistoryAppendOnly},
		{"Trainings", testTrainings},
	}
}

func addAccount(t *testing.T, s store.Store, network, handle, brand, owner string, timers ...bot.Timer) store.Account {
	t.Helper()
	a := store.Account{
		Network: network, Handle: handle, Brand: brand, Owner: owner, Dept: "marketing", URL: "https://example.com/" + handle,
		CreatedBy: "alex", CreatedAt: base(), LastPostAt: base().Add(-time.Hour),
		Access: []store.AccountAccess{{Person: "sam", Level: store.LevelPublisher, GrantedBy: "alex", GrantedAt: base()}},
	}
	got, err := s.AddAccount(t.Context(), a, store.AccountEvent{At: base(), Actor: "alex", Action: "added"},
		func(store.Account) []bot.Timer { return timers })
	if err != nil {
		t.Fatalf("AddAccount: %v", err)
	}
	return got
}

func testAccountAddAndLoad(t *testing.T, s store.Store) {
	due := base().Add(90 * 24 * time.Hour)
	a := addAccount(t, s, "instagram", "AcmeHQ", "acme", "dana", bot.Timer{Kind: "accounts.review", Key: "accounts:1:review", Due: due, Payload: "{}"})
	got, err := s.Account(t.Context(), a.ID)
	if err != nil {
		t.Fatalf("Account: %v", err)
	}
	if got.ID == 0 || got.Handle != "AcmeHQ" || got.Owner != "dana" || got.Dept != "marketing" || got.TwoFactor ||
		!got.CreatedAt.Equal(stored(base())) || !got.LastPostAt.Equal(stored(base().Add(-time.Hour))) || !got.LastReviewAt.IsZero() {
		t.Errorf("loaded %+v", got)
	}
	if len(got.Access) != 1 || got.Access[0].Person != "sam" || got.Access[0].Level != store.LevelPublisher {
		t.Errorf("access = %+v", got.Access)
	}
	if next, ok, err := s.NextTimerDue(t.Context()); err != nil || !ok || !next.Equal(stored(due)) {
		t.Errorf("timer armed with the account: %v %v %v", next, ok, err)
	}
	if _, err := s.Account(t.Context(), 999); !bot.IsCode(err, bot.ENotFound) {
		t.Errorf("missing account: %v, want ENotFound", err)
	}
}

func testAccountDuplicateRefused(t *testing.T, s store.Store) {
	addAccount(t, s, "instagram", "acmehq", "acme", "dana")
	_, err := s.AddAccount(t.Context(), store.Account{Network: "instagram", Handle: "AcmeHQ", Brand: "globex", Owner: "sam", CreatedBy: "alex", CreatedAt: base()},
		store.AccountEvent{At: base(), Action: "added"}, nil)
	if !bot.IsCode(err, bot.EConflict) {
		t.Fatalf("duplicate network+handle: %v, want EConflict", err)
	}
	// The same handle on another network is another account.
	addAccount(t, s, "x", "acmehq", "acme", "dana")
}

func testAccountUpdate(t *testing.T, s store.Store) {
	a := addAccount(t, s, "linkedin", "acme", "acme", "dana")
	got, err := s.UpdateAccount(t.Context(), a.ID, func(u *store.AccountUpdate) error {
		u.Account.TwoFactor = true
		u.Account.Access = append(u.Account.Access, store.AccountAccess{Person: "lee", Level: store.LevelAdmin, GrantedBy: "alex", GrantedAt: base(), Mark: store.MarkKeep})
		u.Account.ReviewStartedAt = base().Add(time.Hour)
		u.Events = append(u.Events, store.AccountEvent{At: base(), Actor: "alex", Action: "granted", Text: "@lee admin"})
		u.Decision = &store.Decision{Kind: store.KindAccount, Text: "review confirmed", Actor: "dana", At: base(), Ref: "account:1"}
		u.Timers = append(u.Timers, bot.Timer{Kind: "accounts.remind", Key: "accounts:x:remind", Due: base(), Payload: "{}"})
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateAccount: %v", err)
	}
	if !got.TwoFactor || len(got.Access) != 2 || got.Access[0].Person != "lee" || got.Access[0].Mark != store.MarkKeep ||
		!got.ReviewStartedAt.Equal(stored(base().Add(time.Hour))) {
		t.Errorf("updated %+v", got)
	}
	ds, err := s.ListDecisions(t.Context(), store.DecisionQuery{Kind: store.KindAccount})
	if err != nil || len(ds) != 1 {
		t.Errorf("decision logged with the update: %+v %v", ds, err)
	}
	// Cancelling in an update removes the pending timer.
	if _, err := s.UpdateAccount(t.Context(), a.ID, func(u *store.AccountUpdate) error {
		u.Cancel = []string{"accounts:x:remind"}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.NextTimerDue(t.Context()); ok {
		t.Error("timer still pending after Cancel")
	}
	// An error from change writes nothing.
	boom := errors.New("boom")
	if _, err := s.UpdateAccount(t.Context(), a.ID, func(u *store.AccountUpdate) error {
		u.Account.Owner = "mallory"
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("change error: %v", err)
	}
	if got, _ := s.Account(t.Context(), a.ID); got.Owner != "dana" {
		t.Errorf("owner = %q after a failed change", got.Owner)
	}
	if _, err := s.UpdateAccount(t.Context(), 999, func(*store.AccountUpdate) error { return nil }); !bot.IsCode(err, bot.ENotFound) {
		t.Errorf("missing account: %v", err)
	}
}

func testAccountRemoveKeepsHistory(t *testing.T, s store.Store) {
	a := addAccount(t, s, "tiktok", "acme", "acme", "dana")
	if _, err := s.UpdateAccount(t.Context(), a.ID, func(u *store.AccountUpdate) error {
		u.Account.RemovedAt, u.Account.RemovedBy = base(), "alex"
		u.Events = append(u.Events, store.AccountEvent{At: base(), Actor: "alex", Action: "removed"})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Account(t.Context(), a.ID)
	if err != nil || !got.Removed() || got.RemovedBy != "alex" {
		t.Fatalf("removed account: %+v %v", got, err)
	}
	hist, err := s.AccountHistory(t.Context(), a.ID)
	if err != nil || len(hist) != 2 || hist[0].Action != "added" || hist[1].Action != "removed" {
		t.Fatalf("history = %+v %v", hist, err)
	}
	// A removed handle may be added again.
	addAccount(t, s, "tiktok", "acme", "acme", "sam")
	if list, _ := s.ListAccounts(t.Context(), store.AccountQuery{}); len(list) != 1 || list[0].Owner != "sam" {
		t.Errorf("listed %+v, want the new account only", list)
	}
	if list, _ := s.ListAccounts(t.Context(), store.AccountQuery{Removed: true}); len(list) != 2 {
		t.Errorf("listed %d with removed, want 2", len(list))
	}
}

func testAccountList(t *testing.T, s store.Store) {
	addAccount(t, s, "x", "globex", "globex", "lee")
	addAccount(t, s, "instagram", "acme", "acme", "dana")
	addAccount(t, s, "facebook", "acme", "acme", "maria")
	all, err := s.ListAccounts(t.Context(), store.AccountQuery{})
	if err != nil || len(all) != 3 || all[0].Network != "facebook" || all[2].Network != "x" {
		t.Fatalf("list = %+v %v", all, err)
	}
	if len(all[1].Access) != 1 {
		t.Errorf("listed access = %+v", all[1].Access)
	}
	if acme, _ := s.ListAccounts(t.Context(), store.AccountQuery{Brand: "acme"}); len(acme) != 2 {
		t.Errorf("acme accounts = %d, want 2", len(acme))
	}
	if lee, _ := s.ListAccounts(t.Context(), store.AccountQuery{Person: "lee"}); len(lee) != 1 {
		t.Errorf("lee's accounts = %d, want 1", len(lee))
	}
	if sam, _ := s.ListAccounts(t.Context(), store.AccountQuery{Person: "sam"}); len(sam) != 3 {
		t.Errorf("accounts sam can access = %d, want 3", len(sam))
	}
}

func testAccountHistoryAppendOnly(t *testing.T, s store.Store) {
	raw := rawExecer(t, s)
	addAccount(t, s, "x", "acme", "acme", "dana")
	for _, sql := range []string{`UPDATE account_history SET text = 'changed'`, `DELETE FROM account_history`} {
		if err := raw.ExecRaw(t.Context(), sql); err == nil {
			t.Errorf("%s: accepted, want refused", sql)
		}
	}
}

func testTrainings(t *testing.T, s store.Store) {
	day := base()
	for _, tr := range []store.Training{
		{Person: "sam", Course: "brand-voice-101", On: day, RecordedBy: "alex"},
		{Person: "sam", Course: "brand-voice-101", On: day.AddDate(0, 0, -5), RecordedBy: "alex"}, // older: ignored
		{Person: "lee", Course: "security-basics", On: day, RecordedBy: "alex"},
	} {
		if err := s.RecordTraining(t.Context(), tr); err != nil {
			t.Fatal(err)
		}
	}
	sam, err := s.Trainings(t.Context(), "sam")
	if err != nil || len(sam) != 1 || !sam[0].On.Equal(stored(day)) {
		t.Fatalf("sam's trainings = %+v %v", sam, err)
	}
	if all, _ := s.Trainings(t.Context(), ""); len(all) != 2 {
		t.Errorf("all trainings = %+v", all)
	}
	if err := s.RecordTraining(t.Context(), store.Training{Person: "sam"}); !bot.IsCode(err, bot.EInvalid) {
		t.Errorf("empty training: %v", err)
	}
}
