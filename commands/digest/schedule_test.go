package digest_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/bot/bottest"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/store/storetest"
)

// execOnly is the example configuration with the exec digest alone
// (monthly, first Monday 09:00 Europe/Berlin).
func execOnly(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../config/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	from := strings.Index(text, "  - name: care\n")
	to := strings.Index(text[from:], "\n# ---") + from
	return text[:from] + text[to:]
}

// timedChat records the clock at each post to a channel.
type timedChat struct {
	*bottest.Chat
	clock func() time.Time
	mu    sync.Mutex
	at    []time.Time
}

func (c *timedChat) Post(ctx context.Context, channel string, msg bot.Message) (bot.MessageRef, error) {
	if channel == "#exec-digest" {
		c.mu.Lock()
		c.at = append(c.at, c.clock())
		c.mu.Unlock()
	}
	return c.Chat.Post(ctx, channel, msg)
}

// TestMonthlyDigestFiresOnceAcrossReplicasAndDST runs two replicas on one
// PostgreSQL database for a year: the exec digest is posted once a month,
// on the first Monday at 09:00 in Berlin, on both sides of each clock
// change (09:00 CET = 08:00 UTC, 09:00 CEST = 07:00 UTC).
func TestMonthlyDigestFiresOnceAcrossReplicasAndDST(t *testing.T) {
	url := storetest.PostgresURL(t)
	yaml := execOnly(t)
	var chats [2]*timedChat
	var rs [2]*commandstest.Harness
	for i := range rs {
		chats[i] = &timedChat{Chat: bottest.NewChat()}
		rs[i] = commandstest.New(t, features(), commandstest.WithConfig(yaml), commandstest.WithDatabase(url),
			commandstest.WithChat(func(*bot.Router) bot.Chat { return chats[i] }))
		chats[i].clock = rs[i].Clock.Now
	}
	end := time.Date(2027, 11, 2, 0, 0, 0, 0, time.UTC)
	// The replicas take turns, the first to advance alternating day by day,
	// so each fires some periods: their fake clocks are separate, and run
	// at once one replica's clock would run past the other's lease while
	// that one is still posting, which real replicas sharing time never do.
	// Concurrent claims are covered by the scheduler's own replica tests.
	for day := 0; rs[0].Clock.Now().Before(end); day++ {
		rs[day%2].Advance(24 * time.Hour)
		rs[(day+1)%2].Advance(24 * time.Hour)
	}
	got := map[string]time.Time{}
	total := 0
	for _, c := range chats {
		for _, at := range c.at {
			month := at.Format("2006-01")
			if prev, dup := got[month]; dup {
				t.Errorf("posted twice in %s: %s and %s", month, prev, at)
			}
			got[month] = at
			total++
		}
	}
	if total != 12 {
		t.Errorf("posted %d times from Dec 2026 to Nov 2027, want 12: %v", total, got)
	}
	for month, want := range map[string]time.Time{
		"2027-03": time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC),  // CET, before the spring change
		"2027-04": time.Date(2027, 4, 5, 7, 0, 0, 0, time.UTC),  // CEST
		"2027-10": time.Date(2027, 10, 4, 7, 0, 0, 0, time.UTC), // CEST, before the autumn change
		"2027-11": time.Date(2027, 11, 1, 8, 0, 0, 0, time.UTC), // CET
	} {
		if !got[month].Equal(want) {
			t.Errorf("%s: posted at %s, want %s (09:00 Europe/Berlin)", month, got[month], want)
		}
	}
}

// TestFailedUploadIsRetriedWithoutRepostingTheMessage: the scheduled post
// succeeds, the first chart upload fails; the timer's retry uploads the
// charts and posts the message no second time.
func TestFailedUploadIsRetriedWithoutRepostingTheMessage(t *testing.T) {
	h := seeded(t, commandstest.WithConfig(execOnly(t)))
	h.Chat.FailNext("upload", errors.New("429 rate limited"))
	h.Advance(14 * 24 * time.Hour) // past the first Monday of December
	if posts := h.Chat.Posts("#exec-digest"); len(posts) != 1 {
		t.Fatalf("message posted %d times", len(posts))
	}
	ups := h.Chat.Events("upload")
	names := map[string]int{}
	for _, e := range ups {
		if e.Channel != "#exec-digest" {
			continue // the weekly digests post the same charts elsewhere
		}
		names[e.File.Name]++
	}
	if len(names) < 3 {
		t.Fatalf("charts uploaded: %v", names)
	}
	parts, err := h.Store.DigestParts(t.Context(), "exec", "2026-12-07")
	if err != nil || len(parts) != len(names)+1 {
		t.Errorf("recorded parts %v (%v), want the message and %d charts", parts, err, len(names))
	}
	for name, n := range names {
		if n != 1 {
			t.Errorf("%s uploaded %d times", name, n)
		}
	}
}
