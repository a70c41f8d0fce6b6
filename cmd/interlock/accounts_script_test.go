package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAccountsScript is the "done when": import 20 accounts with
// two duplicates and a bad row, run a review through its reminder and
// escalation with :advance, revoke a person, and offboard a user.
func TestAccountsScript(t *testing.T) {
	dir := t.TempDir()
	var csv strings.Builder
	csv.WriteString("network,handle,brand,owner,backup,dept,url,two_factor,last_post\n")
	for i := range 20 {
		owner := []string{"dana", "maria"}[i%2]
		fmt.Fprintf(&csv, "instagram,brand%d,acme,%s,,marketing,,on,\n", i, owner)
		if i == 4 {
			csv.WriteString("instagram,brand0,acme,dana,,,,on,\n")    // line 7: duplicate
			csv.WriteString("x,brand4,nowhere,dana,,,,on,\n")         // line 8: unknown brand
			csv.WriteString("INSTAGRAM,@Brand1,acme,maria,,,,off,\n") // line 9: duplicate
		}
	}
	file := filepath.Join(dir, "accounts.csv")
	if err := os.WriteFile(file, []byte(csv.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"INTERLOCK_DATA_DIR": dir}
	var out, errOut bytes.Buffer
	root := newRootCommand(strings.NewReader(""), &out, &errOut, func(k string) string { return env[k] })
	root.SetArgs([]string{"accounts", "import", file})
	if err := root.ExecuteContext(context.Background()); err == nil || !strings.Contains(err.Error(), "3 rows were not imported") {
		t.Fatalf("import: %v", err)
	}
	for _, want := range []string{"imported 20 of 23 accounts", "line 7: instagram @brand0 is already in the inventory",
		"line 8: unknown brand", "line 9: instagram @Brand1 is already in the inventory"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("import output lacks %q:\n%s", want, out.String())
		}
	}

	shell := runShell(t, dir, `/role assign it-security @lee
/role assign comms @dana
/accounts grant 1 @sam --level publisher
/accounts grant 1 @jordan --level viewer
/accounts grant 2 @dana --level admin
:advance 92d
:advance 7d
/accounts list --overdue
:advance 7d
@dana /accounts review 1 revoke @jordan
@dana /accounts confirm 1
/accounts revoke 1 @sam
/role remove comms @dana
`)
	for _, want := range []string{
		"Access review: #1 instagram @brand0 (acme)",
		"Reminder: the access review of #1 instagram @brand0",
		"review-overdue",
		"has not confirmed the access review of #1 instagram @brand0",
		"confirmed by @dana: kept @sam; revoked @jordan",
		"@sam no longer has access to #1",
		"Offboarding: @dana no longer holds any role",
		"/accounts revoke 2 @dana",
	} {
		if !strings.Contains(shell, want) {
			t.Errorf("shell output lacks %q", want)
		}
	}
	if t.Failed() || os.Getenv("PEEK") != "" {
		t.Log(shell)
	}
}
