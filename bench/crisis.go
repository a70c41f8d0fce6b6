package bench

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/store"
)

// Targets of the crisis scenario.
const (
	crisisDelay     = 50 * time.Millisecond // added to every Slack API call
	crisisTripLimit = 4
	crisisWallLimit = 250.0 // ms
)

// crisisCrew holds the seven roles sev1 invites (social-lead, alex, comes
// from the configuration).
var crisisCrew = map[string]string{
	"comms": "sam", "spokesperson": "maria", "legal": "dana", "customer-care": "lee",
	"exec": "jordan", "it-security": "priya",
}

// crisisRun is what one /crisis open measured.
type crisisRun struct {
	label string
	ack   time.Duration // request to the 200 acknowledgement
	wall  time.Duration // request to pins.add answered
	calls int           // Slack API calls before the pin was answered
	path  []apiCall     // the longest chain of calls each after the last
}

// RunCrisis measures /crisis open sev1 with its seven roles held, against
// a local Slack-format server that adds 50 ms to every API call: the wall
// time from the request to the brief pinned, and the sequential API round
// trips on the way, read from the server's timeline of calls.
func RunCrisis(ctx context.Context, opts Options) Scenario {
	sc := Scenario{Name: "crisis", Title: "2. Crisis assembly (/crisis open sev1, 7 roles, Slack API + 50 ms per call; PostgreSQL + Redis)"}
	res := newResources(opts)
	defer res.Close()
	runs, err := crisisRuns(ctx, res, opts)
	if err != nil {
		return failed(sc, err,
			unmeasured("round trips, first crisis", "≤ 4"), unmeasured("request → brief pinned, first crisis", "≤ 250 ms"),
			unmeasured("round trips, later crises", "≤ 4"), unmeasured("request → brief pinned, later crises", "≤ 250 ms"))
	}
	sc.Table.Columns = []Column{
		{Name: "run"}, {Name: "ack", Unit: "ms"}, {Name: "→ pinned", Unit: "ms"}, {Name: "API calls"},
		{Name: "round trips"}, {Name: "critical path (sequential calls)"},
	}
	for _, r := range runs {
		sc.Table.Add(r.label, ms(r.ack), ms(r.wall), r.calls, len(r.path), pathText(r.path))
	}
	cold, warm := runs[0], median(runs[1:])
	sc.Targets = []Target{
		atMost("round trips, first crisis after start", float64(len(cold.path)), crisisTripLimit, ""),
		atMost("request → brief pinned, first crisis", ms(cold.wall), crisisWallLimit, "ms"),
		atMost("round trips, later crises (median)", float64(len(warm.path)), crisisTripLimit, ""),
		atMost("request → brief pinned, later crises (median)", ms(warm.wall), crisisWallLimit, "ms"),
	}
	sc.Notes = []string{
		"Pinned = pins.add answered. Round trips = the longest chain of API calls, each starting after the previous one was answered, that ends with pins.add.",
		"The first crisis here runs on a cold people cache: people are found by email (users.info for the opener, then users.lookupByEmail for the invitees, concurrently), as the example configuration has no slack_id. interlock serve warms that cache at start (Adapter.Warm), so only a crisis opened in its first seconds pays this; later crises, and any configuration with slack_id set, take the warm path.",
		"Slack's 1 message/s per-channel pacing is not on this path: the brief is the first post in a brand-new channel, and each run is typed in a channel of its own.",
	}
	return sc
}

func crisisRuns(ctx context.Context, res *resources, opts Options) ([]crisisRun, error) {
	b, err := res.postgresBackend(ctx)
	if err != nil {
		return nil, err
	}
	bot, err := startSlackBot(ctx, b, crisisDelay, nil, opts.logger())
	if err != nil {
		return nil, err
	}
	defer bot.Close()
	for role, person := range crisisCrew {
		if _, err := bot.App.Store.AssignRole(ctx, store.RoleAssignment{
			Role: role, Person: person, AssignedBy: "alex", AssignedAt: time.Now(),
		}); err != nil {
			return nil, fmt.Errorf("assign %s: %w", role, err)
		}
	}
	client := newClient()
	var runs []crisisRun
	for i := range opts.scale(6, 2) {
		r, err := openCrisis(ctx, bot, client, i)
		if err != nil {
			return nil, err
		}
		r.label = "first after start"
		if i > 0 {
			r.label = fmt.Sprintf("later #%d", i)
		}
		runs = append(runs, r)
	}
	return runs, nil
}

// openCrisis types /crisis open in a channel of its own and waits for the
// pin and the reply.
func openCrisis(ctx context.Context, bot *slackBot, client *http.Client, i int) (crisisRun, error) {
	origin := fmt.Sprintf("C0ORIGIN%d", i)
	body := slashCommand("/crisis", fmt.Sprintf("open sev1 Benchmark outage %d --brand acme", i), slackID("alex"), origin,
		fmt.Sprintf("bench.crisis.%s.%d", randomHex(4), i), bot.Slack.responseURL(int64(i)))
	bot.Slack.startRecording()
	t0 := time.Now()
	req, err := signedRequest(ctx, bot.Server.URL+"/slack/commands", body)
	if err != nil {
		return crisisRun{}, err
	}
	if err := post(client, req, http.StatusOK); err != nil {
		return crisisRun{}, fmt.Errorf("/crisis open: %w", err)
	}
	r := crisisRun{ack: time.Since(t0)}
	calls, err := waitFor(ctx, bot.Slack, 30*time.Second, func(c apiCall) bool {
		return c.method == "chat.postMessage" && c.form.Get("channel") == origin
	})
	if err != nil {
		return r, fmt.Errorf("crisis %d: %w", i, err)
	}
	pin := slices.IndexFunc(calls, func(c apiCall) bool { return c.method == "pins.add" })
	if pin < 0 {
		return r, fmt.Errorf("crisis %d: the brief was never pinned; calls: %s", i, pathText(calls))
	}
	var before []apiCall
	for _, c := range calls {
		if !c.end.After(calls[pin].end) {
			before = append(before, c)
		}
	}
	r.wall, r.calls = calls[pin].end.Sub(t0), len(before)
	r.path = criticalPath(before, calls[pin])
	return r, nil
}

// waitFor polls the fake Slack's timeline until a call satisfies done.
func waitFor(ctx context.Context, f *fakeSlack, limit time.Duration, done func(apiCall) bool) ([]apiCall, error) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		calls := f.timeline()
		if slices.ContainsFunc(calls, done) {
			return calls, nil
		}
		time.Sleep(2 * time.Millisecond)
	}
	return nil, fmt.Errorf("no answer within %s; calls so far: %s", limit, pathText(f.timeline()))
}

// criticalPath is the longest chain of calls, each starting after the one
// before it was answered, that ends with last.
func criticalPath(calls []apiCall, last apiCall) []apiCall {
	calls = slices.Clone(calls)
	slices.SortFunc(calls, func(a, b apiCall) int { return a.start.Compare(b.start) })
	depth := make([]int, len(calls))
	prev := make([]int, len(calls))
	end := -1
	for i, c := range calls {
		depth[i], prev[i] = 1, -1
		for j := range i {
			if !calls[j].end.After(c.start) && depth[j]+1 > depth[i] {
				depth[i], prev[i] = depth[j]+1, j
			}
		}
		if c.method == last.method && c.start.Equal(last.start) {
			end = i
		}
	}
	var chain []apiCall
	for i := end; i >= 0; i = prev[i] {
		chain = append(chain, calls[i])
	}
	slices.Reverse(chain)
	return chain
}

// pathText names calls in order, runs of one method counted: "a → b ×7 → c".
func pathText(calls []apiCall) string {
	var parts []string
	for i := 0; i < len(calls); {
		j := i
		for j < len(calls) && calls[j].method == calls[i].method {
			j++
		}
		p := calls[i].method
		if j-i > 1 {
			p += fmt.Sprintf(" ×%d", j-i)
		}
		parts = append(parts, p)
		i = j
	}
	return strings.Join(parts, " → ")
}

// median is the run with the median wall time.
func median(runs []crisisRun) crisisRun {
	s := slices.Clone(runs)
	slices.SortFunc(s, func(a, b crisisRun) int { return int(a.wall - b.wall) })
	return s[len(s)/2]
}
