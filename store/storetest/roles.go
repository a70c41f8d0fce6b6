package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

func roleTests() []test {
	return []test{
		{"RoleAssignAndUpdate", testRoleAssign},
		{"RoleListOrder", testRoleOrder},
		{"RoleRemove", testRoleRemove},
		{"RoleSeedKeepsRemovals", testRoleSeed},
		{"RoleBackupNeverDemotesTheHolder", testRoleBackupNeverDemotes},
	}
}

func assignment(role, person, brand string, backup bool, at time.Time) store.RoleAssignment {
	return store.RoleAssignment{Role: role, Person: person, Brand: brand, Backup: backup, AssignedBy: "lee", AssignedAt: at}
}

func assign(t *testing.T, s store.Store, a store.RoleAssignment) bool {
	t.Helper()
	return must(s.AssignRole(t.Context(), a))(t)
}

// holders renders assignments as "role/brand/person[/backup]" for compact
// comparisons.
func holders(t *testing.T, s store.Store, role string) []string {
	t.Helper()
	var out []string
	for _, a := range must(s.RoleAssignments(t.Context(), role))(t) {
		h := fmt.Sprintf("%s/%s/%s", a.Role, a.Brand, a.Person)
		if a.Backup {
			h += "/backup"
		}
		out = append(out, h)
	}
	return out
}

// roleLog returns the texts of the role decisions, newest first.
func roleLog(t *testing.T, s store.Store) []string {
	t.Helper()
	var out []string
	for _, d := range must(s.ListDecisions(t.Context(), store.DecisionQuery{Kind: store.KindRole}))(t) {
		out = append(out, d.Text)
	}
	return out
}

func checkStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func testRoleAssign(t *testing.T, s store.Store) {
	at := base()
	a := assignment("legal", "dana", "acme", true, at)
	if !assign(t, s, a) {
		t.Error("first assignment: changed = false, want true")
	}
	if assign(t, s, a) {
		t.Error("same assignment again: changed = true, want false")
	}
	got := must(s.RoleAssignments(t.Context(), "legal"))(t)
	if len(got) != 1 {
		t.Fatalf("RoleAssignments = %+v, want one", got)
	}
	g := got[0]
	if g.Role != "legal" || g.Person != "dana" || g.Brand != "acme" || !g.Backup || g.AssignedBy != "lee" {
		t.Errorf("RoleAssignments = %+v, want %+v", g, a)
	}
	checkTime(t, "AssignedAt", g.AssignedAt, at)

	// Turning the backup into a holder is a change.
	a.Backup, a.AssignedAt, a.AssignedBy = false, at.Add(time.Minute), "kim"
	if !assign(t, s, a) {
		t.Error("backup to holder: changed = false, want true")
	}
	got = must(s.RoleAssignments(t.Context(), "legal"))(t)
	if len(got) != 1 || got[0].Backup || got[0].AssignedBy != "kim" {
		t.Fatalf("after update RoleAssignments = %+v, want dana as holder assigned by kim", got)
	}
	checkTime(t, "AssignedAt after update", got[0].AssignedAt, at.Add(time.Minute))

	log := must(s.ListDecisions(t.Context(), store.DecisionQuery{Kind: store.KindRole}))(t)
	checkStrings(t, "role decisions", texts(log), []string{
		"assigned legal to @dana for brand acme",
		"assigned legal to @dana for brand acme (backup)",
	})
	d := log[0]
	if d.Actor != "kim" || d.Brand != "acme" || d.Ref != "role:legal" {
		t.Errorf("role decision = %+v, want actor kim, brand acme, ref role:legal", d)
	}
	checkTime(t, "role decision time", d.At, at.Add(time.Minute))

	for _, bad := range []store.RoleAssignment{
		assignment("", "dana", "", false, at),
		assignment("legal", "", "", false, at),
		assignment("legal", "dana", "*", false, at),
	} {
		if _, err := s.AssignRole(t.Context(), bad); !bot.IsCode(err, bot.EInvalid) {
			t.Errorf("AssignRole(%+v) = %v, want an %s error", bad, err, bot.EInvalid)
		}
	}
}

func testRoleOrder(t *testing.T, s store.Store) {
	at := base()
	for _, a := range []store.RoleAssignment{
		assignment("legal", "dana", "", false, at),
		assignment("comms", "zed", "", false, at),
		assignment("comms", "cat", "acme", false, at),
		assignment("comms", "amy", "", true, at),
		assignment("comms", "bob", "", false, at),
	} {
		assign(t, s, a)
	}
	checkStrings(t, "every role", holders(t, s, ""), []string{
		"comms//bob", "comms//zed", "comms//amy/backup", "comms/acme/cat", "legal//dana",
	})
	checkStrings(t, "comms", holders(t, s, "comms"), []string{
		"comms//bob", "comms//zed", "comms//amy/backup", "comms/acme/cat",
	})
	checkStrings(t, "unknown role", holders(t, s, "nobody"), nil)
}

func testRoleRemove(t *testing.T, s store.Store) {
	ctx, at := t.Context(), base()
	assign(t, s, assignment("legal", "dana", "acme", false, at))
	assign(t, s, assignment("legal", "dana", "", false, at))
	assign(t, s, assignment("legal", "dana", "beta", true, at))
	assign(t, s, assignment("legal", "eve", "acme", false, at))

	remove := func(brand string, at time.Time) bool {
		t.Helper()
		return must(s.RemoveRole(ctx, "legal", "dana", brand, "kim", at))(t)
	}
	if !remove("acme", at.Add(time.Minute)) {
		t.Error("removing dana for acme: removed = false, want true")
	}
	if remove("acme", at.Add(time.Minute)) {
		t.Error("removing dana for acme again: removed = true, want false")
	}
	checkStrings(t, "after removing for acme", holders(t, s, "legal"),
		[]string{"legal//dana", "legal/acme/eve", "legal/beta/dana/backup"})

	if !remove("*", at.Add(2*time.Minute)) {
		t.Error("removing dana for every brand: removed = false, want true")
	}
	if remove("*", at.Add(2*time.Minute)) {
		t.Error("removing dana for every brand again: removed = true, want false")
	}
	checkStrings(t, "after removing everywhere", holders(t, s, "legal"), []string{"legal/acme/eve"})
	checkStrings(t, "role decisions", roleLog(t, s)[:3], []string{
		"removed @dana from legal for brand beta",
		"removed @dana from legal",
		"removed @dana from legal for brand acme",
	})
	last := must(s.ListDecisions(ctx, store.DecisionQuery{Kind: store.KindRole, Limit: 1}))(t)[0]
	if last.Actor != "kim" || last.Brand != "beta" || last.Ref != "role:legal" {
		t.Errorf("removal decision = %+v, want actor kim, brand beta, ref role:legal", last)
	}
	checkTime(t, "removal decision time", last.At, at.Add(2*time.Minute))

	// A removed holder can be assigned again.
	if !assign(t, s, assignment("legal", "dana", "acme", false, at.Add(3*time.Minute))) {
		t.Error("reassigning a removed holder: changed = false, want true")
	}
	checkStrings(t, "after reassigning", holders(t, s, "legal"), []string{"legal/acme/dana", "legal/acme/eve"})
}

func testRoleSeed(t *testing.T, s store.Store) {
	ctx, at := t.Context(), base()
	assign(t, s, assignment("legal", "dana", "", false, at))
	must(s.RemoveRole(ctx, "legal", "dana", "", "kim", at.Add(time.Minute)))(t)
	assign(t, s, assignment("comms", "amy", "", false, at))
	before := len(roleLog(t, s))

	seed := []store.RoleAssignment{
		assignment("legal", "dana", "", false, at.Add(time.Hour)), // removed: stays removed
		assignment("comms", "amy", "", true, at.Add(time.Hour)),   // assigned: left as it is
		assignment("exec", "ed", "acme", false, at.Add(time.Hour)),
	}
	for i := range seed {
		seed[i].AssignedBy = "config"
	}
	if err := s.SeedRoles(ctx, seed); err != nil {
		t.Fatalf("SeedRoles: %v", err)
	}
	checkStrings(t, "after seeding", holders(t, s, ""), []string{"comms//amy", "exec/acme/ed"})
	log := must(s.ListDecisions(ctx, store.DecisionQuery{Kind: store.KindRole}))(t)
	if len(log) != before+1 || log[0].Text != "assigned exec to @ed for brand acme" || log[0].Context != "configuration" || log[0].Actor != "config" {
		t.Errorf("after seeding role decisions = %q, want one more: the seeded exec holder, by config, context configuration", texts(log))
	}

	if err := s.SeedRoles(ctx, seed); err != nil {
		t.Fatalf("SeedRoles again: %v", err)
	}
	if n := len(roleLog(t, s)); n != before+1 {
		t.Errorf("seeding again logged %d decisions, want none", n-before-1)
	}
	checkStrings(t, "after seeding again", holders(t, s, ""), []string{"comms//amy", "exec/acme/ed"})

	bad := []store.RoleAssignment{assignment("", "x", "", false, at)}
	if err := s.SeedRoles(ctx, bad); !bot.IsCode(err, bot.EInvalid) {
		t.Errorf("SeedRoles with an empty role = %v, want an %s error", err, bot.EInvalid)
	}
}

// testRoleBackupNeverDemotes assigns the role's holder again as a backup:
// nothing changes, nothing is logged, and the answer is ErrWouldDemote.
func testRoleBackupNeverDemotes(t *testing.T, s store.Store) {
	at := base()
	assign(t, s, assignment("legal", "dana", "acme", false, at))
	changed, err := s.AssignRole(t.Context(), assignment("legal", "dana", "acme", true, at.Add(time.Minute)))
	if !errors.Is(err, store.ErrWouldDemote) || !bot.IsCode(err, bot.EConflict) || changed {
		t.Fatalf("AssignRole(backup of the holder) = %v, %v; want ErrWouldDemote", changed, err)
	}
	checkStrings(t, "holders", holders(t, s, "legal"), []string{"legal/acme/dana"})
	checkStrings(t, "role decisions", roleLog(t, s), []string{"assigned legal to @dana for brand acme"})

	// A backup for another brand is another assignment, not a demotion.
	assign(t, s, assignment("legal", "dana", "globex", true, at))
	checkStrings(t, "holders", holders(t, s, "legal"), []string{"legal/acme/dana", "legal/globex/dana/backup"})
}
