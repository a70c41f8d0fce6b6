package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/integrations/discord/discordtest"
	"github.com/interlock-coe/interlock/integrations/supervise"
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

// TestDiscordGatewayUnreachableRecovers: the REST API answers but the
// gateway it names cannot be reached. discordgo's own line about it is a
// JSON record of the serve log, /readyz says the platform is down, and
// once the gateway can be reached the bot connects without a restart.
func TestDiscordGatewayUnreachableRecovers(t *testing.T) {
	srv := discordtest.NewServer(t)
	target, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	forward := httputil.NewSingleHostReverseProxy(target)
	dead := "ws://" + deadAddr(t)
	var reachable atomic.Bool
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v9/gateway" && !reachable.Load() {
			_, _ = fmt.Fprintf(w, `{"url":%q}`, dead)
			return
		}
		forward.ServeHTTP(w, r)
	}))
	t.Cleanup(api.Close)
	s := startServeWith(t, discordEnv(api.URL, discordtest.NewSigner()), supervise.Backoff{Initial: 10 * time.Millisecond, Max: 100 * time.Millisecond})
	waitFor(t, 30*time.Second, "discordgo's gateway error in the log", func() error {
		return jsonRecord(t, s.stderr.String(), "discordgo", "error connecting to gateway")
	})
	if status, body := s.get(t, s.base+"/readyz"); status != http.StatusServiceUnavailable || !strings.Contains(body, `"discord":"down`) {
		t.Fatalf("/readyz with the gateway unreachable: %d %s, want 503 naming discord", status, body)
	}
	reachable.Store(true)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if err := srv.WaitGateway(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "ready once the gateway answers", func() error {
		if status, body := s.get(t, s.base+"/readyz"); status != http.StatusOK {
			return fmt.Errorf("/readyz %d %s", status, body)
		}
		return nil
	})
}
