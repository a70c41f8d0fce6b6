package main

import (
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/integrations/discord/discordtest"
	"github.com/interlock-coe/interlock/integrations/supervise"
)

// TestDiscordUnreachableAtStartRecovers: Discord refuses connections when
// serve starts. Serve keeps retrying, /readyz says why it is not ready,
// and once Discord answers the commands get registered and a signed
// interaction is handled, without a restart.
func TestDiscordUnreachableAtStartRecovers(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // refused until the local Discord starts on it
	signer := discordtest.NewSigner()
	s := startServeWith(t, discordEnv("http://"+addr, signer), supervise.Backoff{Initial: 10 * time.Millisecond, Max: 100 * time.Millisecond})

	waitFor(t, 60*time.Second, "two failed attempts", func() error {
		if n := strings.Count(s.stderr.String(), "chat platform unavailable; retrying"); n < 2 {
			return fmt.Errorf("%d attempts so far", n)
		}
		return nil
	})
	status, body := s.get(t, s.base+"/readyz")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, `"discord":"down`) || !strings.Contains(body, "refused") {
		t.Fatalf("/readyz while Discord refuses connections: %d %s, want 503 with the reason", status, body)
	}

	ln, err = net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen again on %s: %v", addr, err)
	}
	srv := discordtest.NewServerOn(t, ln)
	waitFor(t, 60*time.Second, "ready once Discord answers", func() error {
		if status, body := s.get(t, s.base+"/readyz"); status != http.StatusOK {
			return fmt.Errorf("/readyz %d %s", status, body)
		}
		return nil
	})
	if len(srv.Commands()) == 0 {
		t.Fatal("no application command registered")
	}
	cmd := discordtest.Command("700000000000000001", "300000000000000001", "400000000000000001", "interlock", discordtest.Sub("help"))
	resp, err := http.DefaultClient.Do(signer.Request(s.base+"/discord/interactions", cmd, time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("signed interaction answered %s", resp.Status)
	}
}

// TestReadyzDoesNotCallThePlatform: readiness probes cannot be turned into
// calls with the bot token; 20 probes make at most one users/@me call.
func TestReadyzDoesNotCallThePlatform(t *testing.T) {
	srv := discordtest.NewServer(t)
	s := startServe(t, discordEnv(srv.URL, discordtest.NewSigner()))
	waitFor(t, 60*time.Second, "ready", func() error {
		if status, body := s.get(t, s.base+"/readyz"); status != http.StatusOK {
			return fmt.Errorf("/readyz %d %s", status, body)
		}
		return nil
	})
	before := countRequests(srv, "GET /api/v9/users/@me")
	for range 20 {
		if status, body := s.get(t, s.base+"/readyz"); status != http.StatusOK || !strings.Contains(body, `"discord":"ok"`) {
			t.Fatalf("/readyz %d %s", status, body)
		}
	}
	if n := countRequests(srv, "GET /api/v9/users/@me") - before; n > 1 {
		t.Errorf("20 readiness probes made %d users/@me calls, want at most 1", n)
	}
}

func countRequests(srv *discordtest.Server, what string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r == what {
			n++
		}
	}
	return n
}

var metricsLine = regexp.MustCompile(`metrics on (\S+)`)

// TestMetricsOnTheirOwnListener: with INTERLOCK_METRICS_ADDR, /metrics is
// served there and no longer on the main address.
func TestMetricsOnTheirOwnListener(t *testing.T) {
	s := startServe(t, map[string]string{"INTERLOCK_METRICS_ADDR": "127.0.0.1:0"})
	m := metricsLine.FindStringSubmatch(s.stdout.String())
	if m == nil {
		t.Fatalf("no metrics listener announced: %s", s.stdout)
	}
	if status, body := s.get(t, "http://"+m[1]+"/metrics"); status != http.StatusOK || !strings.Contains(body, "interlock_open_crises") {
		t.Errorf("GET /metrics on the metrics listener: %d %.200s", status, body)
	}
	if status, _ := s.get(t, s.base+"/metrics"); status != http.StatusNotFound {
		t.Errorf("GET /metrics on the main address: %d, want 404", status)
	}
	if status, _ := s.get(t, s.base+"/healthz"); status != http.StatusOK {
		t.Errorf("GET /healthz on the main address: %d", status)
	}
}
