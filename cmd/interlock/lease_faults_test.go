//go:build faults

package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// timerLease is the replicas' INTERLOCK_TIMER_LEASE here (2m by default).
const timerLease = 5 * time.Second

// holdingProxy stands between one replica and the fake Slack: it holds the
// first crisis check-in posted through it, so that the replica is stuck
// firing a timer it has claimed, and lets everything else through.
type holdingProxy struct {
	srv     *httptest.Server
	arrived chan struct{} // closed when the check-in is held
	mu      sync.Mutex
	held    bool
	room    string    // the channel of the held check-in
	at      time.Time // when it arrived
}

func newHoldingProxy(t *testing.T, slackURL string) *holdingProxy {
	t.Helper()
	target, err := url.Parse(slackURL)
	if err != nil {
		t.Fatal(err)
	}
	p := &holdingProxy{arrived: make(chan struct{})}
	forward := httputil.NewSingleHostReverseProxy(target)
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if strings.HasSuffix(r.URL.Path, "/chat.postMessage") && p.hold(body) {
			<-r.Context().Done() // until the replica is gone
			return
		}
		forward.ServeHTTP(w, r)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// hold reports whether this post is the check-in to hold, recording it.
func (p *holdingProxy) hold(body []byte) bool {
	form, err := url.ParseQuery(string(body))
	if err != nil || !strings.Contains(form.Get("text")+form.Get("blocks"), "Check-in for crisis") {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.held {
		return false
	}
	p.held, p.room, p.at = true, form.Get("channel"), time.Now()
	close(p.arrived)
	return true
}

// withEnv is env with name set to value.
func withEnv(env []string, name, value string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return append(out, name+"="+value)
}

// TestKilledReplicaTimersFireAfterLease: replica A is killed with SIGKILL
// while firing a check-in timer it has claimed (its post to Slack never
// answers) and with another crisis's check-in due; the survivor B fires
// both once the lease ends, and never twice.
func TestKilledReplicaTimersFireAfterLease(t *testing.T) {
	g := newRig(t)
	g.env = append(g.env, fmt.Sprintf("INTERLOCK_TIMER_LEASE=%s", timerLease))
	t.Cleanup(func() {
		if t.Failed() {
			for _, r := range g.replicas {
				t.Logf("--- log of replica %s ---\n%s", r.name, tail(r.log.String(), 150))
			}
		}
	})
	proxy := newHoldingProxy(t, g.slack.url())
	a := startReplica(t, t, g.bin, "A", withEnv(g.env, "SLACK_API_URL", proxy.srv.URL+"/"))
	g.replicas = append(g.replicas, a)
	eventually(t, 30*time.Second, "replica A ready", func() error { return g.ready(a) })

	first := g.openCrisis(t, a, "sev4", "Lease drill one", "lease-drill-one")
	second := g.openCrisis(t, a, "sev4", "Lease drill two", "lease-drill-two")
	select {
	case <-proxy.arrived:
	case <-time.After(60 * time.Second):
		t.Fatal("replica A posted no check-in")
	}
	if proxy.room != first && proxy.room != second {
		t.Fatalf("held a check-in for %s, not a drill room", proxy.room)
	}
	b := g.start(t, "B")
	eventually(t, 30*time.Second, "replica B ready", func() error { return g.ready(b) })
	a.kill()
	killed := time.Now()

	for _, room := range []string{first, second} {
		eventually(t, 90*time.Second, "a check-in in "+room+" from the survivor", func() error {
			if len(g.slack.posts(room, "Check-in for crisis")) == 0 {
				return fmt.Errorf("none yet")
			}
			return nil
		})
		g.checkInsSpaced(t, room)
	}
	fired := g.slack.posts(proxy.room, "Check-in for crisis")[0].at
	if early := proxy.at.Add(timerLease - time.Second); fired.Before(early) {
		t.Errorf("the held timer fired again at %s, before its lease ended (claimed about %s)", fired.Format(time.StampMilli), proxy.at.Format(time.StampMilli))
	}
	t.Logf("held at %s, A killed at %s, fired by B at %s", proxy.at.Format(time.StampMilli), killed.Format(time.StampMilli), fired.Format(time.StampMilli))
	if g.ready(b) != nil {
		t.Errorf("survivor not ready: %v", g.ready(b))
	}
}
