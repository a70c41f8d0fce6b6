package crisis_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/bot/bottest"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/decision"
	"github.com/interlock-coe/interlock/commands/role"
	"github.com/interlock-coe/interlock/store"
	"github.com/interlock-coe/interlock/store/coordtest"
	"github.com/interlock-coe/interlock/store/postgres"
	"github.com/interlock-coe/interlock/store/redis"
	"github.com/interlock-coe/interlock/store/storetest"
)

// replica is one Interlock process: its own connection pool, coordinator
// client, router and scheduler, over the shared database, Redis and chat.
type replica struct {
	router *bot.Router
	store  store.Store
}

// newReplicas builds n replicas over one fresh PostgreSQL database and one
// Redis key prefix, sharing a recording chat and a clock.
func newReplicas(t *testing.T, n int) ([]replica, *bottest.Chat, commands.Deps) {
	t.Helper()
	base := commandstest.New(t, nil) // for the configuration and the clock
	dbURL := storetest.PostgresURL(t)
	redisURL, prefix := coordtest.RedisURL(t)
	log := slog.New(slog.DiscardHandler)
	chat := bottest.NewChat()
	var (
		out  []replica
		deps commands.Deps
	)
	for range n {
		st, err := postgres.Open(t.Context(), dbURL, log)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		coord, err := redis.New(t.Context(), redisURL, prefix, log)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { coord.Close() })
		d := base.Deps
		d.Store, d.Chat, d.Coord, d.Log = st, chat, coord, log
		d.Scheduler = bot.NewScheduler(st, d.Clock, log)
		d.Access = &bot.Access{Roles: commands.Roster{Store: st}, Policy: d.Config.Permissions, Admins: []string{d.Config.Org.CoELead}}
		r := bot.NewRouter(log, d.Access, coord)
		for _, f := range []commandstest.Register{role.Register, decision.Register, register} {
			f(r, d)
		}
		out = append(out, replica{router: r, store: st})
		deps = d
	}
	return out, chat, deps
}

// outcome is what one request got.
type outcome struct {
	line string
	text string
	err  error
}

func (rp replica) say(id, user, channel, text string, now time.Time) outcome {
	var replies bottest.Replies
	req := bot.Request{ID: id, Platform: "test", User: user, Channel: channel, Text: text, Time: now}
	err := rp.router.Handle(context.Background(), req, &replies)
	return outcome{line: text, text: replies.Text(), err: err}
}

// TestFiftyConcurrentCommandsOnTwoReplicasAgree fires 50 mixed crisis
// commands at once at two replicas over one PostgreSQL database and one
// Redis, and checks that they agree on one outcome: one resolution and one
// summary at most, the row as the last accepted command left it, no
// check-in armed for a resolved crisis, and a timeline holding exactly the
// accepted commands, with nothing after "resolved".
func TestFiftyConcurrentCommandsOnTwoReplicasAgree(t *testing.T) {
	reps, chat, d := newReplicas(t, 2)
	now := d.Clock.Now()
	seq := 0
	setup := func(user, channel, text string) {
		t.Helper()
		seq++
		if o := reps[seq%2].say(fmt.Sprintf("setup:%d", seq), user, channel, text, now); o.err != nil {
			t.Fatalf("%s: %v", text, o.err)
		}
	}
	for _, line := range []string{"comms @sam", "legal @dana", "spokesperson @maria", "customer-care @lee", "exec @jordan"} {
		setup("alex", "#general", "/role assign "+line)
	}
	setup("alex", "#general", "/crisis open sev2 Checkout outage --brand acme")
	setup("maria", room, "/crisis propose We are aware of checkout issues.")

	lines := mixedCommands()
	results := make([]outcome, len(lines))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, l := range lines {
		wg.Go(func() {
			<-start
			results[i] = reps[i%2].say(fmt.Sprintf("burst:%d", i), l.user, room, l.text, now)
		})
	}
	close(start)
	wg.Wait()

	accepted, refused := map[string]int{}, map[string]int{}
	for _, o := range results {
		kind := strings.Fields(o.line)[1]
		switch {
		case o.err == nil && strings.Contains(o.text, "resolved meanwhile"):
			accepted[kind+" (log only)"]++ // a decision logged as the crisis closed
		case o.err == nil:
			accepted[kind]++
		case bot.ErrorCode(o.err) == bot.EInternal:
			t.Errorf("%q failed with an internal error: %v", o.line, o.err)
		default:
			refused[bot.ErrorMessage(o.err)]++
		}
	}
	t.Logf("accepted: %v; refused: %v", accepted, refused)

	cr, err := reps[0].store.CrisisByRoom(t.Context(), room)
	if err != nil {
		t.Fatal(err)
	}
	tl, err := reps[0].store.Timeline(t.Context(), cr.ID)
	if err != nil {
		t.Fatal(err)
	}
	checkOneResolution(t, chat, d, results, accepted, cr)
	checkTimeline(t, tl, accepted, cr)
	checkNoCheckInWhenResolved(t, reps[0].store, cr)
}

type commandLine struct{ user, text string }

// mixedCommands are the 50 commands of the burst: status, sev, decide,
// resolve, propose and approve, interleaved.
func mixedCommands() []commandLine {
	sevs := []string{"sev1", "sev3", "sev2", "sev4", "sev1"}
	var out []commandLine
	for i := range 50 {
		var l commandLine
		switch i % 6 {
		case 0:
			l = commandLine{"lee", fmt.Sprintf("/crisis status update %d", i)}
		case 1:
			l = commandLine{"alex", "/crisis sev " + sevs[(i/6)%len(sevs)]}
		case 2:
			l = commandLine{"dana", fmt.Sprintf("/crisis decide decision %d", i)}
		case 3:
			// Resolves come late in the burst, so that other commands
			// land first; they still race with everything after them.
			l = commandLine{"alex", fmt.Sprintf("/crisis resolve fixed (%d)", i)}
			if i < 25 {
				l = commandLine{"priya", fmt.Sprintf("/crisis status early %d", i)}
			}
		case 4:
			l = commandLine{"maria", fmt.Sprintf("/crisis propose response %d", i)}
		case 5:
			l = commandLine{[]string{"sam", "dana"}[(i/6)%2], "/crisis approve 1"}
		}
		out = append(out, l)
	}
	return out
}

func checkOneResolution(t *testing.T, chat *bottest.Chat, d commands.Deps, results []outcome, accepted map[string]int, cr store.Crisis) {
	t.Helper()
	summaries := 0
	for _, o := range results {
		summaries += strings.Count(o.text, "resolved — ")
	}
	for _, p := range chat.Posts(d.Config.Channels.Crisis) {
		summaries += strings.Count(p, "resolved — ")
	}
	switch accepted["resolve"] {
	case 0:
		if cr.Status != store.CrisisOpen || summaries != 0 {
			t.Errorf("no resolve accepted, yet status %s and %d summaries", cr.Status, summaries)
		}
	case 1:
		if cr.Status != store.CrisisResolved {
			t.Errorf("a resolve was accepted, yet the crisis is %s", cr.Status)
		}
		// One in the room's reply, one copy in the crisis channel.
		if want := 2; summaries != want {
			t.Errorf("%d resolution summaries posted, want %d", summaries, want)
		}
	default:
		t.Errorf("%d resolves accepted, want at most 1", accepted["resolve"])
	}
}

// checkTimeline checks that the timeline holds one entry per accepted
// command, that the row matches the last accepted sev, and that nothing
// follows "resolved".
func checkTimeline(t *testing.T, tl []store.TimelineEntry, accepted map[string]int, cr store.Crisis) {
	t.Helper()
	kinds := map[string]int{}
	severity := "sev2"
	for i, e := range tl {
		kinds[e.Kind]++
		if e.Kind == "sev" {
			severity = e.Text[strings.LastIndex(e.Text, " ")+1:]
		}
		if e.Kind == "resolved" && i != len(tl)-1 {
			t.Errorf("timeline has %d entries after \"resolved\": %+v", len(tl)-1-i, tl[i+1:])
		}
	}
	for cmd, kind := range map[string]string{"status": "status", "sev": "sev", "decide": "decision", "resolve": "resolved"} {
		if kinds[kind] != accepted[cmd] {
			t.Errorf("timeline has %d %q entries, want one per accepted %s: %d", kinds[kind], kind, cmd, accepted[cmd])
		}
	}
	// The setup proposal plus each accepted one.
	if kinds["proposal"] != accepted["propose"]+1 {
		t.Errorf("timeline has %d proposals, want %d", kinds["proposal"], accepted["propose"]+1)
	}
	if kinds["approved"] > 1 {
		t.Errorf("proposal #1 approved %d times in the timeline", kinds["approved"])
	}
	if cr.Severity != severity {
		t.Errorf("crisis is %s, but the last accepted sev made it %s", cr.Severity, severity)
	}
	if cr.Status == store.CrisisResolved && cr.FirstStatusAt.IsZero() != (kinds["status"] == 0) {
		t.Errorf("FirstStatusAt %v with %d status entries", cr.FirstStatusAt, kinds["status"])
	}
}

func checkNoCheckInWhenResolved(t *testing.T, s store.Store, cr store.Crisis) {
	t.Helper()
	due, err := s.ClaimDueTimers(t.Context(), cr.OpenedAt.Add(365*24*time.Hour), time.Minute, 100)
	if err != nil {
		t.Fatal(err)
	}
	checkIns := 0
	for _, tm := range due {
		if tm.Key == fmt.Sprintf("crisis:%d:checkin", cr.ID) {
			checkIns++
		}
	}
	want := 1
	if cr.Status == store.CrisisResolved {
		want = 0
	}
	if checkIns != want {
		t.Errorf("%d check-in timers pending for a crisis that is %s, want %d", checkIns, cr.Status, want)
	}
}
