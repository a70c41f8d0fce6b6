//go:build faults

package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// listeningBody is twelve steady hourly windows of a topic and then a
// window at twenty times the baseline, the last ending at end: a spike
// that classifies as sev1.
func listeningBody(t *testing.T, topic string, end time.Time) string {
	t.Helper()
	var points []map[string]any
	for i := 12; i >= 0; i-- {
		mentions := int64(400 + 10*(i%3))
		if i == 0 {
			mentions = 8000
		}
		windowEnd := end.Add(-time.Duration(i) * time.Hour)
		points = append(points, map[string]any{
			"source": "brandwatch", "brand": "acme", "topic": topic,
			"window_start": windowEnd.Add(-time.Hour).Format(time.RFC3339), "window_end": windowEnd.Format(time.RFC3339),
			"mentions": mentions, "negative": mentions / 5, "neutral": mentions / 2, "positive": mentions / 5,
			"reach": mentions * 50,
		})
	}
	body, err := json.Marshal(points)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

// receipt is the listening webhook's answer.
type receipt struct {
	Stored     int `json:"stored"`
	Duplicates int `json:"duplicates"`
}

func (g *rig) webhookMakesOneAlert(t *testing.T) {
	body := listeningBody(t, "recall", time.Now().UTC().Truncate(time.Minute))
	var (
		wg       sync.WaitGroup
		receipts [2]receipt
	)
	for i, r := range []*replica{g.a, g.b} {
		wg.Go(func() {
			status, answer, err := r.hook("/hooks/listening", body)
			if err != nil || status != http.StatusAccepted {
				t.Errorf("replica %s answered %d %s (%v), want 202", r.name, status, answer, err)
				return
			}
			if err := json.Unmarshal([]byte(answer), &receipts[i]); err != nil {
				t.Errorf("receipt %q: %v", answer, err)
			}
		})
	}
	wg.Wait()
	if stored := receipts[0].Stored + receipts[1].Stored; stored != 13 {
		t.Errorf("receipts %+v: %d points stored in all, want 13 (each once)", receipts, stored)
	}
	// Done when the outbox is empty: the card and the room are delivered.
	eventually(t, 60*time.Second, "the alert's outbox delivered", func() error {
		var alerts, pending int
		g.pg.query(t, `SELECT (SELECT count(*) FROM listening_alerts), (SELECT count(*) FROM listening_outbox WHERE delivered_at IS NULL)`, nil, &alerts, &pending)
		if alerts == 0 || pending > 0 {
			return fmt.Errorf("%d alerts, %d deliveries pending", alerts, pending)
		}
		return nil
	})
	var alerts int
	g.pg.query(t, `SELECT count(*) FROM listening_alerts`, nil, &alerts)
	cards := g.slack.posts(workspace["social-listening"], "Listening alert")
	rooms := g.slack.rooms("recall")
	if alerts != 1 || len(cards) != 1 || len(rooms) != 1 {
		t.Errorf("two replicas made %d alerts, %d cards in #social-listening, %d crisis rooms; want 1 of each", alerts, len(cards), len(rooms))
	}
}

func (g *rig) commandRunsOnce(t *testing.T) {
	// Slack redelivers a command it thinks was lost; a load balancer may
	// send the copies to different replicas.
	c := g.cmds.prepare("dana", workspace["general"], "/decision", "Freeze the ad budget (sent twice)")
	now := time.Now()
	var wg sync.WaitGroup
	for _, r := range []*replica{g.a, g.b} {
		wg.Go(func() {
			if status := deliver(t, r, c, now); status != http.StatusOK {
				t.Errorf("replica %s answered %d, want 200", r.name, status)
			}
		})
	}
	wg.Wait()
	eventually(t, 30*time.Second, "the decision recorded", func() error {
		if len(g.slack.posts(workspace["general"], "Freeze the ad budget")) == 0 {
			return fmt.Errorf("not yet")
		}
		return nil
	})
	var n int
	g.pg.query(t, `SELECT count(*) FROM decisions WHERE text LIKE 'Freeze the ad budget%'`, nil, &n)
	if posts := g.slack.posts(workspace["general"], "Freeze the ad budget"); n != 1 || len(posts) != 1 {
		t.Errorf("a command delivered to both replicas made %d decisions and %d replies, want 1 and 1", n, len(posts))
	}
}

func (g *rig) killedReplicaLosesNothing(t *testing.T) {
	room := g.openCrisis(t, g.a, "sev3", "Faults kill drill", "kill-drill")
	const n = 8
	for i := 1; i <= n; i++ {
		g.cmds.send(t, g.a, "alex", room, "/crisis", fmt.Sprintf("decide Step %d of the kill drill", i))
	}
	eventually(t, 60*time.Second, "every decision acknowledged in the room", func() error {
		for i := 1; i <= n; i++ {
			if len(g.slack.posts(room, "recorded", fmt.Sprintf("Step %d of the kill drill", i))) != 1 {
				return fmt.Errorf("step %d not acknowledged", i)
			}
		}
		return nil
	})
	g.a.kill()

	c := g.cmds.send(t, g.b, "alex", workspace["social-team"], "/decisions", "kill drill")
	eventually(t, 30*time.Second, "replica B lists every decision", func() error {
		replies := strings.Join(g.hooks.received(c.path), "\n")
		for i := 1; i <= n; i++ {
			if !strings.Contains(replies, fmt.Sprintf("Step %d of the kill drill", i)) {
				return fmt.Errorf("step %d missing from /decisions: %q", i, replies)
			}
		}
		return nil
	})
	var stored int
	g.pg.query(t, `SELECT count(*) FROM decisions WHERE text LIKE 'Step % of the kill drill'`, nil, &stored)
	if stored != n {
		t.Errorf("%d decisions in PostgreSQL, want %d", stored, n)
	}
	g.resolveCrisis(t, g.b, room)

	// A replacement starts beside B (migrations under the advisory lock).
	g.a = g.start(t, "A2")
	eventually(t, 30*time.Second, "replica A2 ready", func() error { return g.ready(g.a) })
}

func (g *rig) sigtermDrains(t *testing.T) {
	for _, r := range []*replica{g.a, g.b} {
		text := "Drain drill decision via " + r.name
		g.cmds.send(t, r, "alex", workspace["general"], "/decision", text)
		code, took := r.terminate(t, 60*time.Second)
		t.Logf("replica %s exited %d %s after SIGTERM", r.name, code, took.Round(time.Millisecond))
		if code != 0 {
			t.Errorf("replica %s exited %d after SIGTERM, want 0", r.name, code)
		}
		if took > 15*time.Second {
			t.Errorf("replica %s took %s to stop", r.name, took)
		}
		// Acknowledged before the signal, so finished before the exit.
		var n int
		g.pg.query(t, `SELECT count(*) FROM decisions WHERE text = $1`, []any{text}, &n)
		if posts := g.slack.posts(workspace["general"], text); n != 1 || len(posts) != 1 {
			t.Errorf("in-flight /decision on %s: %d stored, %d replies; want 1 and 1", r.name, n, len(posts))
		}
	}
}
