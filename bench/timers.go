package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/cmd/interlock/app"
	"github.com/interlock-coe/interlock/store"
)

// Sizes and targets of the timers scenario.
const (
	timerIssues    = 100_000
	timerRate      = 100 // reminders falling due a second in the steady phase
	timerLagLimit  = 1000.0
	timerMemLimit  = 200.0 // MiB
	timerSLA       = time.Hour
	timerSafetyGap = 10 * time.Minute // the background issues' first timer is due at least this late
)

// timerPlan is how many issues fall due when.
type timerPlan struct {
	issues int           // open issues in all
	steady int           // reminders due timerRate a second
	burst  int           // reminders all due at one instant after the steady ones
	start  time.Duration // from the end of the bulk insert to the first due reminder
}

func (p timerPlan) background() int { return p.issues - p.steady - p.burst }

// RunTimers measures durable timers at scale on both stores, each in a
// process of its own when opts.Self is set.
func RunTimers(ctx context.Context, opts Options) Scenario {
	sc := Scenario{Name: "timers", Title: "4. Timers at scale (100,000 open routed issues with SLA timers; real route.remind handler)"}
	sc.Table.Columns = []Column{{Name: "figure"}}
	rows := map[string][]any{}
	var order []string
	for _, name := range []string{"postgres", "embedded"} {
		child := isolated(ctx, opts, "timers-"+name)
		sc.Targets = append(sc.Targets, child.Targets...)
		sc.Notes = append(sc.Notes, child.Notes...)
		if child.Error != "" {
			sc.Notes = append(sc.Notes, name+": FAILED: "+child.Error)
			continue
		}
		sc.Table.Columns = append(sc.Table.Columns, Column{Name: name})
		for _, row := range child.Table.Rows {
			label := fmt.Sprint(row[0])
			if _, seen := rows[label]; !seen {
				order = append(order, label)
			}
			rows[label] = append(rows[label], row[1])
		}
	}
	for _, label := range order {
		sc.Table.Add(append([]any{label}, rows[label]...)...)
	}
	return sc
}

// RunTimersOn is the timers scenario on one store ("postgres" or
// "embedded"): insert the open issues with their reminder and escalation
// timers, let a steady stream and then a burst of reminders fall due, and
// measure the lag from due time to the reminder being posted, and memory.
func RunTimersOn(ctx context.Context, opts Options, storeName string) Scenario {
	sc := Scenario{Name: "timers-" + storeName}
	plan := timerPlan{issues: opts.scale(timerIssues, 300), steady: opts.scale(20*timerRate, 20), burst: opts.scale(3000, 20)}
	targets := []Target{
		unmeasured("steady reminder lag p99, "+storeName, "< 1000 ms"),
		unmeasured("peak RSS while firing, "+storeName, "< 200 MiB"),
	}
	res := newResources(opts)
	defer res.Close()
	t, err := newTimerRun(ctx, res, opts, storeName)
	if err != nil {
		return failed(sc, err, targets...)
	}
	defer t.close()
	out, err := t.measure(ctx, plan)
	if err != nil {
		return failed(sc, err, targets...)
	}
	sc.Table = out.table()
	sc.Targets = []Target{
		below("steady reminder lag p99, "+storeName, ms(out.steady.P99), timerLagLimit, "ms"),
		below("peak RSS while firing, "+storeName, megabytes(out.peakRSS), timerMemLimit, "MiB"),
	}
	if storeName == "postgres" {
		sc.Notes = []string{
			fmt.Sprintf("Each issue has its reminder (30 min) and escalation (60 min) timers, inserted through store.CreateRoutedIssue as /route does (%d issues, %d pending timers). %d reminders then fall due %d a second, and %d more all at one instant.",
				plan.issues, 2*plan.issues, plan.steady, timerRate, plan.burst),
			"The scheduler runs as in serve (FireDue every second under the coordination lock; PostgreSQL uses Redis, the embedded store in-process coordination). Lag = reminder posted by the real route.remind handler (loads the issue and the roster, posts, records the reminder) minus its due time; claim lag = the scheduler's own figure when it claims the timer.",
			fmt.Sprintf("The steady rate, %d reminders a second, is about twice what 100,000 open issues produce on average with a 60-minute SLA (2 timers an issue an hour ≈ 56/s). serve polls for due timers every second and fires what it claims one after another, so a timer waits up to a second for the next poll plus the handlers queued before it.", timerRate),
			"Memory is the benchmark process's (the bot plus the load generator), after the bulk insert and debug.FreeOSMemory; peak RSS is sampled every 100 ms while the timers fire.",
		}
	}
	if out.warning != "" {
		sc.Notes = append(sc.Notes, storeName+": "+out.warning)
	}
	return sc
}

// timerRun is an app on one store with a chat that times the reminders.
type timerRun struct {
	app   *app.App
	chat  *timingChat
	store string
	claim Latencies
}

func newTimerRun(ctx context.Context, res *resources, opts Options, storeName string) (*timerRun, error) {
	b, err := res.backendFor(ctx, storeName)
	if err != nil {
		return nil, err
	}
	cfg, err := loadConfig(b)
	if err != nil {
		return nil, err
	}
	t := &timerRun{store: storeName, chat: newTimingChat()}
	if t.app, err = openApp(ctx, cfg, b, opts.logger()); err != nil {
		return nil, err
	}
	t.app.Register(t.chat, t.chat)
	t.app.Scheduler.OnFire(func(kind string, lag time.Duration) {
		if kind == "route.remind" {
			t.claim.Add(lag)
		}
	})
	return t, nil
}

func (t *timerRun) close() { t.app.Close() }

// timerOutcome is what a timers run measured.
type timerOutcome struct {
	plan                timerPlan
	insert              time.Duration
	heapAfter, rssAfter uint64
	peakRSS, peakHeap   uint64
	steady, burst       Summary
	claim               Summary
	missing             int
	warning             string
}

func (o timerOutcome) table() Table {
	t := Table{Columns: []Column{{Name: "figure"}, {Name: "value"}}}
	t.Add("open issues / pending timers", fmt.Sprintf("%s / %s", formatNumber(float64(o.plan.issues), 0), formatNumber(float64(2*o.plan.issues), 0)))
	t.Add("bulk insert (issues/s)", float64(o.plan.issues)/o.insert.Seconds())
	t.Add("heap in use after insert (MiB)", megabytes(o.heapAfter))
	t.Add("RSS after insert (MiB)", megabytes(o.rssAfter))
	t.Add("peak RSS while firing (MiB)", megabytes(o.peakRSS))
	t.Add("peak heap in use while firing (MiB)", megabytes(o.peakHeap))
	t.Add(fmt.Sprintf("steady %d/s: lag p50 / p99 / max (ms)", timerRate), fmt.Sprintf("%.0f / %.0f / %.0f", ms(o.steady.P50), ms(o.steady.P99), ms(o.steady.Max)))
	t.Add(fmt.Sprintf("burst of %d: lag p50 / p99 / max (ms)", o.plan.burst), fmt.Sprintf("%.0f / %.0f / %.0f", ms(o.burst.P50), ms(o.burst.P99), ms(o.burst.Max)))
	t.Add("claim lag p50 / p99 (ms)", fmt.Sprintf("%.0f / %.0f", ms(o.claim.P50), ms(o.claim.P99)))
	t.Add("reminders never posted", o.missing)
	return t
}

func (t *timerRun) measure(ctx context.Context, plan timerPlan) (timerOutcome, error) {
	o := timerOutcome{plan: plan}
	start := time.Now()
	rng := rand.New(rand.NewPCG(5, 6))
	background := make([]time.Time, plan.background())
	for i := range background {
		// Routed in the last 20 minutes: reminders due 10 to 30 minutes on.
		background[i] = start.Add(-time.Duration(rng.Int64N(int64(timerSLA/2 - timerSafetyGap))))
	}
	if err := t.insert(ctx, background, false); err != nil {
		return o, err
	}
	o.insert = time.Since(start)
	debug.FreeOSMemory()
	o.heapAfter, o.rssAfter = heapInUse(), rss()

	// The due reminders are inserted after a margin long enough to insert
	// them, so none is due before the scheduler could see it.
	rate := float64(len(background)) / o.insert.Seconds()
	first := time.Now().Add(time.Duration(float64(plan.steady+plan.burst)/rate*3*float64(time.Second)) + 5*time.Second)
	due := make([]time.Time, 0, plan.steady+plan.burst)
	for i := range plan.steady {
		due = append(due, first.Add(time.Duration(i)*time.Second/timerRate))
	}
	burstAt := first.Add(time.Duration(plan.steady)*time.Second/timerRate + 3*time.Second)
	for range plan.burst {
		due = append(due, burstAt)
	}
	if err := t.insert(ctx, routedAt(due), true); err != nil {
		return o, err
	}
	if late := time.Since(first); late > 0 {
		o.warning = fmt.Sprintf("the machine was slow: inserting the due issues ended %.1f s after the first was due, which adds to those reminders' lag", late.Seconds())
	}
	sampler := sampleMemory(100 * time.Millisecond)
	if err := t.app.Scheduler.Start(ctx, 10*time.Second); err != nil {
		return o, err
	}
	o.missing = t.chat.wait(ctx, len(due), time.Until(burstAt)+2*time.Minute)
	o.peakRSS, o.peakHeap = sampler()
	o.steady, o.burst = t.chat.lags(burstAt)
	o.claim = t.claim.Summary()
	return o, nil
}

// routedAt is when issues were routed for their reminders to be due at due.
func routedAt(due []time.Time) []time.Time {
	out := make([]time.Time, len(due))
	for i, d := range due {
		out[i] = d.Add(-timerSLA / 2)
	}
	return out
}

// insert creates one open issue routed at each time, with the clock timers
// /route arms; the chat learns the due reminders when track is set.
func (t *timerRun) insert(ctx context.Context, routed []time.Time, track bool) error {
	workers := 1
	if t.store == "postgres" {
		workers = 8
	}
	var (
		next  atomic.Int64
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	departments := []string{"customer-care", "sales", "hr", "legal", "product"}
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(routed) && ctx.Err() == nil; i = int(next.Add(1) - 1) {
				at := routed[i]
				is, _, err := t.app.Store.CreateRoutedIssue(ctx, store.RoutedIssue{
					Text: fmt.Sprintf("Benchmark issue %d: where is my order?", i), Department: departments[i%len(departments)],
					RoutedBy: "alex", Status: store.IssueOpen, ReceivedAt: at, RoutedAt: at, DueAt: at.Add(timerSLA),
				}, clockTimers)
				if err != nil {
					mu.Lock()
					first = cmpErr(first, fmt.Errorf("insert routed issue: %w", err))
					mu.Unlock()
					return
				}
				if track {
					t.chat.expect(is.ID, at.Add(timerSLA/2))
				}
			}
		})
	}
	wg.Wait()
	return first
}

// clockTimers are the reminder and escalation timers route arms for an
// open issue (route.remind at half the SLA, route.escalate at the SLA).
func clockTimers(is store.RoutedIssue) []bot.Timer {
	timer := func(kind, what string, due time.Time) bot.Timer {
		payload, _ := json.Marshal(map[string]int64{"issue_id": is.ID})
		return bot.Timer{Kind: kind, Key: fmt.Sprintf("route:%d:%s", is.ID, what), Due: due, Payload: string(payload)}
	}
	return []bot.Timer{
		timer("route.remind", "remind", is.RoutedAt.Add(timerSLA/2)),
		timer("route.escalate", "escalate", is.DueAt),
	}
}
