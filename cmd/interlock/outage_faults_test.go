//go:build faults

package main

import (
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// webhooks are one valid body for each webhook, for a database outage:
// none of them can be stored while it lasts.
func webhooks(now time.Time) map[string]string {
	end := now.UTC().Truncate(time.Minute)
	day := now.UTC().Format(time.DateOnly)
	return map[string]string{
		"/hooks/listening": fmt.Sprintf(`{"source":"meltwater","brand":"acme","topic":"outage","window_start":%q,"window_end":%q,"mentions":120,"negative":20,"neutral":80,"positive":20,"reach":5000}`,
			end.Add(-time.Hour).Format(time.RFC3339), end.Format(time.RFC3339)),
		"/hooks/metrics": fmt.Sprintf(`{"metric":"engagement-rate","brand":"acme","channel":"instagram","period_start":%q,"period_end":%q,"numerator":420,"denominator":12000}`, day, day),
		"/hooks/inbox":   `{"source":"faults-inbox","external_id":"m-1","brand":"acme","platform":"instagram","author":"kim","text":"My parcel never came"}`,
	}
}

func (g *rig) postgresDown(t *testing.T) {
	g.pg.stop(t)
	running := true
	defer func() {
		if running {
			g.pg.start(t)
		}
	}()

	c := g.cmds.send(t, g.a, "alex", workspace["social-team"], "/decision", "Pause paid social while the database is down")
	eventually(t, 30*time.Second, "an error reply to /decision", func() error {
		replies := strings.Join(g.hooks.received(c.path), "\n")
		switch {
		case strings.Contains(replies, "database is unavailable"):
			return nil
		case replies != "":
			t.Fatalf("/decision with PostgreSQL down answered %q, want a plain \"database is unavailable\"", replies)
		}
		return fmt.Errorf("no reply yet")
	})
	for _, r := range []*replica{g.a, g.b} {
		for path, body := range webhooks(time.Now()) {
			if status, answer, err := r.hook(path, body); err != nil || status != http.StatusServiceUnavailable {
				t.Errorf("%s to %s with PostgreSQL down answered %d %s (%v), want 503", path, r.name, status, answer, err)
			}
		}
		if status, body, err := r.get("/readyz"); err != nil || status != http.StatusServiceUnavailable || !strings.Contains(body, `"database":"down`) {
			t.Errorf("/readyz of %s with PostgreSQL down answered %d %s (%v), want 503 naming the database", r.name, status, body, err)
		}
	}
	if out, err := exec.Command(g.bin, "health", "--url", g.a.base+"/readyz").CombinedOutput(); err == nil {
		t.Errorf("`interlock health` passed with PostgreSQL down: %s", out)
	}

	g.pg.start(t)
	running = false
	for _, r := range []*replica{g.a, g.b} {
		eventually(t, 60*time.Second, "replica "+r.name+" ready again", func() error { return g.ready(r) })
	}
	if out, err := exec.Command(g.bin, "health", "--url", g.a.base+"/readyz").CombinedOutput(); err != nil {
		t.Errorf("`interlock health` failed after recovery: %v\n%s", err, out)
	}
	g.cmds.send(t, g.a, "alex", workspace["social-team"], "/decision", "Resume paid social after the outage")
	eventually(t, 30*time.Second, "/decision after recovery", func() error {
		if len(g.slack.posts(workspace["social-team"], "recorded", "Resume paid social")) != 1 {
			return fmt.Errorf("no confirmation yet")
		}
		return nil
	})
	for path, body := range webhooks(time.Now()) {
		if status, answer, err := g.b.hook(path, body); err != nil || status >= 300 {
			t.Errorf("%s after recovery answered %d %s (%v), want success", path, status, answer, err)
		}
	}
	var refused int
	g.pg.query(t, `SELECT count(*) FROM decisions WHERE text LIKE 'Pause paid social%'`, nil, &refused)
	if refused != 0 {
		t.Errorf("the refused /decision was stored %d times", refused)
	}
	if !g.a.running() || !g.b.running() {
		t.Error("a replica stopped during the outage")
	}
}

func (g *rig) redisDown(t *testing.T) {
	g.redis.stop()
	defer func() {
		if g.redis.proc == nil {
			g.redis.start(t)
		}
	}()
	for _, r := range []*replica{g.a, g.b} {
		eventually(t, 30*time.Second, "degraded readiness of "+r.name, func() error {
			status, body, err := r.get("/readyz")
			if err != nil || status != http.StatusOK || !strings.Contains(body, `"coordination":"down`) || !strings.Contains(body, "degraded") {
				return fmt.Errorf("/readyz answered %d %s (%v), want 200 with coordination degraded", status, body, err)
			}
			return nil
		})
	}
	// Without the job lock both replicas poll; the store's claim alone
	// keeps each check-in to one post.
	firedA := metric(t, g.a, "interlock_timers_fired_total", `kind="crisis.checkin"`)
	firedB := metric(t, g.b, "interlock_timers_fired_total", `kind="crisis.checkin"`)
	room := g.openCrisis(t, g.b, "sev4", "Faults redis drill", "redis-drill")
	eventually(t, 60*time.Second, "check-ins without Redis", func() error {
		if n := len(g.slack.posts(room, "Check-in for crisis")); n < 3 {
			return fmt.Errorf("%d check-ins so far", n)
		}
		return nil
	})
	posts := g.checkInsSpaced(t, room)
	t.Logf("check-ins without Redis: %d posted; fired by A %v times, by B %v times", len(posts),
		metric(t, g.a, "interlock_timers_fired_total", `kind="crisis.checkin"`)-firedA,
		metric(t, g.b, "interlock_timers_fired_total", `kind="crisis.checkin"`)-firedB)
	g.resolveCrisis(t, g.a, room)

	g.redis.start(t)
	for _, r := range []*replica{g.a, g.b} {
		eventually(t, 30*time.Second, "replica "+r.name+" ready with Redis back", func() error { return g.ready(r) })
	}
}

func (g *rig) slackFaultsRetried(t *testing.T) {
	text := "Retry drill decision"
	g.slack.failPosts(workspace["general"], 2, 2)
	g.cmds.send(t, g.b, "alex", workspace["general"], "/decision", text)
	eventually(t, 60*time.Second, "the reply delivered despite 429s and 503s", func() error {
		if len(g.slack.posts(workspace["general"], text)) != 1 {
			return fmt.Errorf("%d attempts so far", len(g.slack.attempts(workspace["general"], text)))
		}
		return nil
	})
	if n := len(g.slack.attempts(workspace["general"], text)); n != 5 {
		t.Errorf("%d chat.postMessage attempts, want 5 (two 429s, two 503s, then success)", n)
	}
}

func (g *rig) badRequestsRefused(t *testing.T) {
	c := g.cmds.prepare("alex", workspace["general"], "/decision", "Forged decision")
	if status := deliver(t, g.a, c, time.Now().Add(-10*time.Minute)); status != http.StatusUnauthorized {
		t.Errorf("a command signed 10 minutes ago (a replay) answered %d, want 401", status)
	}
	forged := c
	forged.body = strings.Replace(c.body, "Forged", "Tampered", 1)
	req, _ := http.NewRequest(http.MethodPost, g.a.base+"/slack/commands", strings.NewReader(forged.body))
	signSlack(req, []byte(c.body), time.Now()) // the signature of another body
	if status := statusOf(req); status != http.StatusUnauthorized {
		t.Errorf("a tampered command answered %d, want 401", status)
	}
	huge := `{"source":"` + strings.Repeat("x", 2<<20) + `"}`
	if status, _, err := g.b.hook("/hooks/listening", huge); status != http.StatusRequestEntityTooLarge {
		t.Errorf("a 2 MiB webhook body answered %d (%v), want 413", status, err)
	}
	req, _ = http.NewRequest(http.MethodPost, g.b.base+"/hooks/inbox", strings.NewReader(webhooks(time.Now())["/hooks/inbox"]))
	req.Header.Set("Authorization", "Bearer not-the-token")
	if status := statusOf(req); status != http.StatusUnauthorized {
		t.Errorf("a webhook with a wrong token answered %d, want 401", status)
	}
	var n int
	g.pg.query(t, `SELECT count(*) FROM decisions WHERE text LIKE '%Forged%' OR text LIKE '%Tampered%'`, nil, &n)
	if n != 0 {
		t.Errorf("refused commands stored %d decisions", n)
	}
}

// statusOf sends req and returns the status, or 0 when nothing answered.
func statusOf(req *http.Request) int {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

func (g *rig) logsAreClean(t *testing.T) {
	secrets := []string{botToken, signingSecret, webhookToken, dbPassword, redisPassword}
	for _, r := range g.replicas {
		log := r.log.String()
		for _, s := range secrets {
			if strings.Contains(log, s) {
				t.Errorf("replica %s logged a secret (%s…)", r.name, s[:8])
			}
		}
		if strings.Contains(log, "DATA RACE") {
			t.Errorf("replica %s reported a data race:\n%s", r.name, tail(log, 80))
		}
	}
}
