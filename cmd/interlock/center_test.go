package main

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

const (
	centerSecret = "0123456789abcdef0123456789abcdef-secret"
	centerWall   = "wall-0123456789abcdef0123456789abcdef"
)

// TestServeRefusesAnOpenCommandCenter: without its variables the page is
// never served; the routes say why and the log names what is missing.
func TestServeRefusesAnOpenCommandCenter(t *testing.T) {
	s := startServe(t, map[string]string{})
	for _, path := range []string{"/", "/events", "/crises/1", "/signin/x"} {
		status, body := s.get(t, s.base+path)
		if status != http.StatusServiceUnavailable || !strings.Contains(body, "INTERLOCK_SESSION_SECRET") {
			t.Errorf("GET %s: %d %.200s", path, status, body)
		}
	}
	if !strings.Contains(s.stderr.String(), "command center off") {
		t.Errorf("the log does not say the command center is off:\n%s", s.stderr)
	}
}

// TestServeWallScreen: with the variables set, the wall token opens the
// read-only page and anything else is asked to sign in.
func TestServeWallScreen(t *testing.T) {
	s := startServe(t, map[string]string{
		"INTERLOCK_SESSION_SECRET": centerSecret, "INTERLOCK_WALL_TOKEN": centerWall,
		"INTERLOCK_PUBLIC_URL": "https://center.example.org",
	})
	if status, body := s.get(t, s.base+"/"); status != http.StatusUnauthorized {
		t.Errorf("GET / signed out: %d %.200s", status, body)
	}
	status, body := s.get(t, s.base+"/?wall=1&token="+centerWall)
	if status != http.StatusOK || !strings.Contains(body, `class="wall"`) {
		t.Errorf("wall: %d %.300s", status, body)
	}
}

var shellLink = regexp.MustCompile(`http://127\.0\.0\.1:[1-9]\d*/signin/\S+`)

// TestShellHandsOutCenterLinks: `interlock shell --http` serves the page
// and /interlock center answers with a link on the shell's own address.
func TestShellHandsOutCenterLinks(t *testing.T) {
	env := map[string]string{"INTERLOCK_DATA_DIR": t.TempDir(),
		"INTERLOCK_SESSION_SECRET": centerSecret, "INTERLOCK_WALL_TOKEN": centerWall}
	var out, errOut bytes.Buffer
	root := newRootCommand(strings.NewReader("/interlock center\n"), &out, &errOut, func(k string) string { return env[k] })
	root.SetArgs([]string{"shell", "--http", "127.0.0.1:0"})
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("shell: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "command center at") {
		t.Errorf("shell does not say where the page is:\n%s", out.String())
	}
	// Port 0 is chosen at bind time: the link names the port bound.
	if !shellLink.MatchString(out.String()) {
		t.Errorf("no sign-in link to the bound address:\n%s", out.String())
	}
}
