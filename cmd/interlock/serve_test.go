package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/integrations/discord/discordtest"
	"github.com/interlock-coe/interlock/integrations/supervise"
)

// lockedBuffer is a bytes.Buffer safe for a server writing and a test
// reading.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// served is `interlock serve` running in this process.
type served struct {
	base   string // http://host:port of the main listener
	stdout *lockedBuffer
	stderr *lockedBuffer
}

var boundLine = regexp.MustCompile(`serving on (\S+) `)

// startServe runs `interlock serve` with env (and an embedded store) until
// the test ends.
func startServe(t *testing.T, env map[string]string) *served {
	t.Helper()
	return startServeWith(t, env, supervise.Backoff{})
}

// startServeWith is startServe with the chat platform's reconnection waits.
func startServeWith(t *testing.T, env map[string]string, backoff supervise.Backoff) *served {
	t.Helper()
	env["INTERLOCK_DATA_DIR"] = t.TempDir()
	env["INTERLOCK_HTTP_ADDR"] = "127.0.0.1:0"
	s := &served{stdout: &lockedBuffer{}, stderr: &lockedBuffer{}}
	root, c := newCLI(strings.NewReader(""), s.stdout, s.stderr, func(k string) string { return env[k] })
	c.platformBackoff = backoff
	root.SetArgs([]string{"serve"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		if t.Failed() {
			t.Logf("log:\n%s", s.stderr)
		}
	})
	waitFor(t, 60*time.Second, "serve listening", func() error {
		m := boundLine.FindStringSubmatch(s.stdout.String())
		if m == nil {
			return fmt.Errorf("not yet serving: %s", s.stderr)
		}
		s.base = "http://" + m[1]
		return nil
	})
	return s
}

// get fetches a path and returns its status and body.
func (s *served) get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// waitFor polls check until it returns nil, or fails the test after within.
func waitFor(t *testing.T, within time.Duration, what string, check func() error) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// discordEnv configures serve for the local Discord at apiURL.
func discordEnv(apiURL string, signer *discordtest.Signer) map[string]string {
	return map[string]string{
		"DISCORD_BOT_TOKEN": "discord-bot-token", "DISCORD_APP_ID": discordtest.AppID,
		"DISCORD_GUILD_ID": discordtest.GuildID, "DISCORD_PUBLIC_KEY": signer.PublicKeyHex(),
		"DISCORD_API_URL": apiURL, "LOG_LEVEL": "debug",
	}
}
