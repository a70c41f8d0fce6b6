package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// runShell runs `interlock shell` as a user would, with input piped in and
// the embedded store in dir.
func runShell(t *testing.T, dir, input string) string {
	t.Helper()
	env := map[string]string{"INTERLOCK_DATA_DIR": dir}
	var out, errOut bytes.Buffer
	root := newRootCommand(strings.NewReader(input), &out, &errOut, func(k string) string { return env[k] })
	root.SetArgs([]string{"shell"})
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("shell: %v\nstderr:\n%s", err, errOut.String())
	}
	return out.String()
}

func TestShellFoundationScript(t *testing.T) {
	dir := t.TempDir()
	out := runShell(t, dir, "/interlock help\n/role assign legal @dana\n/role who legal\n/decision Pause paid social for 48h\n/decisions\n")
	for _, want := range []string{
		"/crisis", "/role", "/decision",
		"✅ @dana now holds legal",
		"legal:\n      @dana (all brands)",
		"📝 Decision #3 recorded by @alex: Pause paid social for 48h",
		"@alex Pause paid social for 48h",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// A restart on the same data dir keeps roles and decisions.
	out = runShell(t, dir, "/role who legal\n/decisions paid\n")
	for _, want := range []string{"@dana (all brands)", "Pause paid social for 48h"} {
		if !strings.Contains(out, want) {
			t.Errorf("after restart, output lacks %q:\n%s", want, out)
		}
	}
}

func TestShellPrefixesAndMetaCommands(t *testing.T) {
	out := runShell(t, t.TempDir(), "@dana /role assign comms @sam\n:as sam\n#ops /decision ship it\n:users\n:rooms\n:nope\n")
	for _, want := range []string{
		"#general @dana › /role assign comms @sam",
		"(only @dana) › ⚠ only holders of social-lead or the CoE lead may do that",
		"now speaking as @sam",
		"#ops @sam › /decision ship it",
		"#ops interlock › 📝 Decision",
		"@dana       Dana Kim",
		"#general",
		"unknown meta-command :nope",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestVersion(t *testing.T) {
	var out bytes.Buffer
	root := newRootCommand(strings.NewReader(""), &out, &out, func(string) string { return "" })
	root.SetArgs([]string{"version"})
	if err := root.Execute(); err != nil || !strings.HasPrefix(out.String(), "interlock ") {
		t.Fatalf("version: %v %q", err, out.String())
	}
}
