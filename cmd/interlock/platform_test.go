package main

import (
	"fmt"
	"net"
	"net/http"
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
