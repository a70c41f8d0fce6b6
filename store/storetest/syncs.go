package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

func syncTests() []test {
	return []test{
		{"SyncCreateAndLoad", testSyncCreate},
		{"SyncOnePerDepartment", testSyncOnePerDepartment},
		{"SyncProgressAndDelete", testSyncProgress},
	}
}

func newSync(department string, at time.Time) store.Sync {
	return store.Sync{
		Department: department, Week: 1, Weekday: time.Tuesday, Clock: "15:00", TimeZone: "Europe/Berlin",
		Duration: 30 * time.Minute, NextAt: at.Add(7 * 24 * time.Hour), CreatedBy: "alex", CreatedAt: at,
	}
}

func testSyncCreate(t *testing.T, s store.Store) {
	at := base()
	want := newSync("customer-care", at)
	want.Week, want.Weekday = -1, time.Saturday
	got := must(s.CreateSync(t.Context(), want))(t)
	if got.ID <= 0 {
		t.Fatalf("CreateSync gave id %d", got.ID)
	}
	loaded := must(s.Sync(t.Context(), got.ID))(t)
	checkTime(t, "NextAt", loaded.NextAt, want.NextAt)
	checkTime(t, "CreatedAt", loaded.CreatedAt, want.CreatedAt)
	want.ID, want.NextAt, want.CreatedAt, want.Version = got.ID, loaded.NextAt, loaded.CreatedAt, 1
	if loaded != want {
		t.Errorf("Sync = %+v\nwant %+v", loaded, want)
	}
	second := must(s.CreateSync(t.Context(), newSync("sales", at)))(t)
	list := must(s.ListSyncs(t.Context()))(t)
	if len(list) != 2 || list[0].ID != got.ID || list[1].ID != second.ID {
		t.Errorf("ListSyncs = %+v, want both by id", list)
	}
	_, err := s.Sync(t.Context(), 999)
	checkCode(t, "Sync(999)", err, bot.ENotFound)
	bad := newSync("hr", at)
	bad.Week = 5
	_, err = s.CreateSync(t.Context(), bad)
	checkCode(t, "week 5", err, bot.EInvalid)
}

func testSyncOnePerDepartment(t *testing.T, s store.Store) {
	at := base()
	first := must(s.CreateSync(t.Context(), newSync("sales", at)))(t)
	_, err := s.CreateSync(t.Context(), newSync("sales", at))
	checkCode(t, "second sync for sales", err, bot.EConflict)
	if err != nil && !strings.Contains(bot.ErrorMessage(err), bot.FormatID(first.ID)) {
		t.Errorf("conflict message %q does not name sync %s", bot.ErrorMessage(err), bot.FormatID(first.ID))
	}
	// The store still works after the refused insert.
	must(s.CreateSync(t.Context(), newSync("hr", at)))(t)
}

func testSyncProgress(t *testing.T, s store.Store) {
	at := base()
	sy := must(s.CreateSync(t.Context(), newSync("legal", at)))(t)
	next := at.Add(35 * 24 * time.Hour)
	sy.NextAt, sy.FacilitatorTurn = next, 3
	must(s.SaveSyncProgress(t.Context(), sy))(t)
	got := must(s.Sync(t.Context(), sy.ID))(t)
	checkTime(t, "NextAt", got.NextAt, next)
	if got.FacilitatorTurn != 3 {
		t.Errorf("FacilitatorTurn = %d, want 3", got.FacilitatorTurn)
	}
	must(0, s.DeleteSync(t.Context(), sy.ID))(t)
	_, err := s.Sync(t.Context(), sy.ID)
	checkCode(t, "Sync after delete", err, bot.ENotFound)
	checkCode(t, "delete twice", s.DeleteSync(t.Context(), sy.ID), bot.ENotFound)
	_, err = s.SaveSyncProgress(t.Context(), sy)
	checkCode(t, "progress of a deleted sync", err, bot.ENotFound)
	// A new sync for the department gets a new id.
	again := must(s.CreateSync(t.Context(), newSync("legal", at)))(t)
	if again.ID == sy.ID {
		t.Errorf("a deleted sync's id %d was reused", sy.ID)
	}
}
