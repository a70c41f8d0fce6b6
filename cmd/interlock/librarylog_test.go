package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/integrations/discord/discordtest"
)

// deadAddr is a local address nothing listens on.
func deadAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// jsonRecord finds a JSON log record of component whose message contains
// part, in a log where every line must be JSON.
func jsonRecord(t *testing.T, log, component, part string) error {
	t.Helper()
	found := false
	for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("a log line is not JSON: %q", line)
		}
		msg, _ := rec["msg"].(string)
		if rec["component"] == component && strings.Contains(msg, part) {
			found = true
		}
	}
	if !found {
		return fmt.Errorf("no %s record containing %q", component, part)
	}
	return nil
}

// TestGoRedisLogsThroughSlog: go-redis's pool messages, printed while Redis
// cannot be reached, are JSON records of the serve log.
func TestGoRedisLogsThroughSlog(t *testing.T) {
	stderr := &lockedBuffer{}
	env := map[string]string{"INTERLOCK_DATA_DIR": t.TempDir(), "INTERLOCK_HTTP_ADDR": "127.0.0.1:0", "REDIS_URL": "redis://" + deadAddr(t)}
	root := newRootCommand(strings.NewReader(""), &lockedBuffer{}, stderr, func(k string) string { return env[k] })
	root.SetArgs([]string{"serve"})
	if err := root.Execute(); err == nil {
		t.Fatal("serve started with Redis unreachable")
	}
	if err := jsonRecord(t, stderr.String(), "go-redis", "failed to dial"); err != nil {
		t.Fatalf("%v in:\n%s", err, stderr)
	}
}

// TestDiscordgoLogsThroughSlog: discordgo's own line about a gateway it
// cannot reach is a JSON record of the serve log.
func TestDiscordgoLogsThroughSlog(t *testing.T) {
	mux := http.NewServeMux()
	commands := "/api/v9/applications/" + discordtest.AppID + "/guilds/" + discordtest.GuildID + "/commands"
	mux.HandleFunc("GET "+commands, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("[]")) })
	mux.HandleFunc("PUT "+commands, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("[]")) })
	dead := "ws://" + deadAddr(t)
	mux.HandleFunc("GET /api/v9/gateway", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = fmt.Fprintf(w, `{"url":%q}`, dead)
	})
	api := httptest.NewServer(mux)
	t.Cleanup(api.Close)
	s := startServe(t, discordEnv(api.URL, discordtest.NewSigner()))
	waitFor(t, 30*time.Second, "discordgo's gateway error in the log", func() error {
		return jsonRecord(t, s.stderr.String(), "discordgo", "error connecting to gateway")
	})
}
