//go:build faults

// The fault tests run the real binary as two `interlock serve` replicas over
// one PostgreSQL cluster and one Redis server of their own, with Slack in
// HTTP mode pointed at a fake Slack in this process, and break things
// underneath them: a replica killed with SIGKILL, PostgreSQL stopped,
// Redis stopped, Slack answering 429 and 503. Run with `make test-faults`.
package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/config"
)

// checkIn is the sev4 check-in cadence of the test configuration (24h in
// the example), so that check-ins fall due while the test watches.
const checkIn = 4 * time.Second

// rig is the system under test and everything around it.
type rig struct {
	t        *testing.T
	bin      string
	pg       *pgCluster
	redis    *redisServer
	slack    *fakeSlack
	hooks    *responseURLs
	cmds     *slashCommands
	env      []string
	a, b     *replica
	replicas []*replica // every replica started, for the log checks
}

func newRig(t *testing.T) *rig {
	t.Helper()
	g := &rig{t: t, pg: startPostgres(t), redis: startRedis(t), slack: newFakeSlack(t), hooks: newResponseURLs(t)}
	g.cmds = &slashCommands{hooks: g.hooks}
	g.bin = buildBinary(t)
	g.env = []string{
		"INTERLOCK_CONFIG=" + writeConfig(t),
		"INTERLOCK_DATA_DIR=" + t.TempDir(),
		"DATABASE_URL=" + g.pg.URL(),
		"REDIS_URL=" + g.redis.URL(),
		"SLACK_BOT_TOKEN=" + botToken,
		"SLACK_SIGNING_SECRET=" + signingSecret,
		"SLACK_API_URL=" + g.slack.url(),
		"INTERLOCK_WEBHOOK_TOKEN=" + webhookToken,
		"LOG_LEVEL=debug",
	}
	return g
}

// writeConfig writes the example configuration with sev4 check-ins every
// checkIn.
func writeConfig(t *testing.T) string {
	t.Helper()
	example := string(config.Example())
	if strings.Count(example, "checkin: 24h") != 1 {
		t.Fatal("the example configuration no longer has exactly one `checkin: 24h` (sev4)")
	}
	path := filepath.Join(t.TempDir(), "interlock.yaml")
	text := strings.Replace(example, "checkin: 24h", "checkin: "+checkIn.String(), 1)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// start starts one more replica, which runs until the whole test ends.
func (g *rig) start(t *testing.T, name string) *replica {
	t.Helper()
	r := startReplica(t, g.t, g.bin, name, g.env)
	g.replicas = append(g.replicas, r)
	return r
}

func TestFaults(t *testing.T) {
	g := newRig(t)
	g.a, g.b = g.start(t, "A"), g.start(t, "B")
	t.Cleanup(func() {
		if t.Failed() {
			for _, r := range g.replicas {
				t.Logf("--- log of replica %s ---\n%s", r.name, tail(r.log.String(), 150))
			}
		}
	})
	for _, r := range []*replica{g.a, g.b} {
		eventually(t, 30*time.Second, "replica "+r.name+" ready", func() error { return g.ready(r) })
	}

	t.Run("a check-in timer fires once across replicas", g.checkInFiresOnce)
	t.Run("a webhook delivered to both replicas makes one alert", g.webhookMakesOneAlert)
	t.Run("a command delivered to both replicas runs once", g.commandRunsOnce)
	t.Run("forged, replayed and oversized requests are refused", g.badRequestsRefused)
	t.Run("PostgreSQL down: errors and 503s, then recovery without restart", g.postgresDown)
	t.Run("Redis down: degraded readiness, commands and timers go on", g.redisDown)
	t.Run("Slack 429 and 503 are retried", g.slackFaultsRetried)
	t.Run("a replica killed with SIGKILL loses no acknowledged decision", g.killedReplicaLosesNothing)
	t.Run("SIGTERM drains in-flight work and exits 0", g.sigtermDrains)
	t.Run("no secret in any log, no data race", g.logsAreClean)
}

// ready is nil when the replica's /readyz answers 200 with every check ok.
func (g *rig) ready(r *replica) error {
	status, body, err := r.get("/readyz")
	if err != nil {
		return err
	}
	if status != http.StatusOK || strings.Contains(body, "down") {
		return fmt.Errorf("/readyz answered %d %s", status, body)
	}
	return nil
}

// metric sums a counter's samples whose labels contain labels, as scraped
// from the replica's /metrics.
func metric(t *testing.T, r *replica, name, labels string) float64 {
	t.Helper()
	status, body, err := r.get("/metrics")
	if err != nil || status != http.StatusOK {
		t.Fatalf("GET /metrics of %s: %d %v", r.name, status, err)
	}
	var sum float64
	for _, line := range strings.Split(body, "\n") {
		if !strings.HasPrefix(line, name+"{") || !strings.Contains(line, labels) {
			continue
		}
		v, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
		if err != nil {
			t.Fatalf("metric line %q: %v", line, err)
		}
		sum += v
	}
	return sum
}

// openCrisis opens a crisis from #social-team through replica r and returns
// its room, once the room exists.
func (g *rig) openCrisis(t *testing.T, r *replica, sev, title, slug string) string {
	t.Helper()
	g.cmds.send(t, r, "alex", workspace["social-team"], "/crisis", fmt.Sprintf("open %s %s --brand acme", sev, title))
	var room string
	eventually(t, 30*time.Second, "room for "+title, func() error {
		rooms := g.slack.rooms(slug)
		if len(rooms) != 1 {
			return fmt.Errorf("%d rooms named *%s*", len(rooms), slug)
		}
		room = rooms[0]
		return nil
	})
	return room
}

// resolveCrisis resolves the crisis of room through replica r.
func (g *rig) resolveCrisis(t *testing.T, r *replica, room string) {
	t.Helper()
	g.cmds.send(t, r, "alex", room, "/crisis", "resolve Drill over")
	eventually(t, 30*time.Second, "resolution posted in "+room, func() error {
		if len(g.slack.posts(room, "✅ Crisis", "resolved")) == 0 {
			return fmt.Errorf("no resolution in %s yet", room)
		}
		return nil
	})
}

// checkInsSpaced checks that consecutive check-ins in room are at least
// half the cadence apart: a timer fired by both replicas would post twice
// within the poll interval.
func (g *rig) checkInsSpaced(t *testing.T, room string) []apiCall {
	t.Helper()
	posts := g.slack.posts(room, "Check-in for crisis")
	for i := 1; i < len(posts); i++ {
		if gap := posts[i].at.Sub(posts[i-1].at); gap < checkIn/2 {
			t.Errorf("check-ins %d and %d in %s only %s apart (cadence %s): a timer fired twice", i, i+1, room, gap, checkIn)
		}
	}
	return posts
}

func (g *rig) checkInFiresOnce(t *testing.T) {
	room := g.openCrisis(t, g.a, "sev4", "Faults check-in drill", "check-in-drill")
	eventually(t, 60*time.Second, "four check-ins", func() error {
		if n := len(g.slack.posts(room, "Check-in for crisis")); n < 4 {
			return fmt.Errorf("%d check-ins so far", n)
		}
		return nil
	})
	g.checkInsSpaced(t, room)
	// Every firing posts once: the replicas' firings add up to the posts.
	eventually(t, 20*time.Second, "firings across replicas match the check-ins posted", func() error {
		before := len(g.slack.posts(room, "Check-in for crisis"))
		a := metric(t, g.a, "interlock_timers_fired_total", `kind="crisis.checkin"`)
		b := metric(t, g.b, "interlock_timers_fired_total", `kind="crisis.checkin"`)
		after := len(g.slack.posts(room, "Check-in for crisis"))
		if before != after || int(a+b) != after {
			return fmt.Errorf("A fired %v, B fired %v, %d..%d check-ins posted", a, b, before, after)
		}
		t.Logf("check-ins: %d posted; fired by A %v times, by B %v times", after, a, b)
		return nil
	})
	g.resolveCrisis(t, g.b, room)
}
