package privacy_test

import (
	"context"
	"slices"
	"testing"

	"github.com/interlock-coe/interlock/commands/privacy"
	"github.com/interlock-coe/interlock/store"
)

type members map[int64][]string

func (m members) CrisisMembers(_ context.Context, id int64) ([]store.CrisisMember, error) {
	var out []store.CrisisMember
	for _, p := range m[id] {
		out = append(out, store.CrisisMember{Person: p})
	}
	return out, nil
}

type roles map[string][]string

func (r roles) HeldRoles(_ context.Context, person string, want []string) ([]string, error) {
	var held []string
	for _, role := range r[person] {
		if slices.Contains(want, role) {
			held = append(held, role)
		}
	}
	return held, nil
}

func TestRule(t *testing.T) {
	rule := privacy.Rule{
		Members: members{1: {"Dana"}},
		Roles:   roles{"alex": {"social-lead"}, "jordan": {"exec"}, "priya": {"community"}},
	}
	for _, tc := range []struct {
		person string
		want   bool
	}{
		{"dana", true}, {"alex", true}, {"jordan", true}, {"priya", false}, {"noah", false}, {"", false},
	} {
		got, err := rule.Sees(t.Context(), tc.person, 1)
		if err != nil || got != tc.want {
			t.Errorf("Sees(%q, 1) = %v, %v; want %v", tc.person, got, err, tc.want)
		}
	}
	ds := []store.Decision{{ID: 1, Text: "public"}, {ID: 2, CrisisID: 1, Text: "room"}, {ID: 3, CrisisID: 2, Text: "other room"}}
	shown, hidden, err := rule.Viewer("dana").Decisions(t.Context(), ds)
	if err != nil || hidden != 1 || len(shown) != 2 || shown[1].ID != 2 {
		t.Errorf("Decisions for dana = %+v, %d hidden, %v", shown, hidden, err)
	}
}

func TestTitleAndNote(t *testing.T) {
	cr := store.Crisis{Title: "Settlement talks", Confidential: true}
	if privacy.Title(cr, false) != privacy.ConfidentialTitle || privacy.Title(cr, true) != cr.Title {
		t.Error("a confidential title is not hidden from outsiders only")
	}
	if privacy.Title(store.Crisis{Title: "Outage"}, false) != "Outage" {
		t.Error("a plain title is hidden")
	}
	for n, want := range map[int]string{0: "", 1: "1 entry from a private crisis room is hidden.", 3: "3 entries from private crisis rooms are hidden."} {
		if got := privacy.HiddenNote(n); got != want {
			t.Errorf("HiddenNote(%d) = %q, want %q", n, got, want)
		}
	}
}
