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
	timerRate      = 100    // reminders falling due a second in the steady phase
	timerLagLimit  = 50.0   // ms, p99 of the steady reminders
	timerBurstMax  = 1000.0 // ms, from the burst's due time to its last reminder posted
	timerMemLimit  = 200.0  // MiB
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
	where := storeName
	if storeName == "postgres" {
		where += ", 2 replicas"
	}
	targets := []Target{
		unmeasured(fmt.Sprintf("steady reminder lag p99 at %d/s, %s", timerRate, where), "< 50 ms"),
		unmeasured(fmt.Sprintf("burst of %d all fired, %s", plan.burst, where), "< 1000 ms"),
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
		below(fmt.Sprintf("steady reminder lag p99 at %d/s, %s (bare time.Timer loop: %.1f ms)", timerRate, where, ms(out.bare.P99)),
			ms(out.steady.P99), timerLagLimit, "ms"),
		below(fmt.Sprintf("burst of %d all fired, %s", plan.burst, where), ms(out.burst.Max), timerBurstMax, "ms"),
		below("peak RSS while firing, "+storeName, megabytes(out.peakRSS), timerMemLimit, "MiB"),
	}
	if storeName == "postgres" {
		sc.Notes = []string{
			fmt.Sprintf("Each issue has its reminder (30 min) and escalation (60 min) timers, inserted through store.CreateRoutedIssue as /route does (%d issues, %d pending timers). %d reminders then fall due %d a second, and %d more all at one instant.",
				plan.issues, 2*plan.issues, plan.steady, timerRate, plan.burst),
			"The schedulers run as in serve: each sleeps until the next due time (a 10 s safety poll), is woken by PostgreSQL NOTIFY for timers another replica adds (the embedded store: an in-process signal), and fires what it claims on 64 workers, marking fired timers in batches. On PostgreSQL two replicas (two apps, each with its own connection pool) share the database and claim concurrently. Lag = reminder posted by the real route.remind handler (loads the issue and the roster, posts, records the reminder; the reads and marks of the reminders firing at once on a replica are grouped into one store call each) minus its due time; claim lag = the scheduler's own figure when it claims the timer. Burst all fired = the last of the burst's reminders posted, minus their common due time.",
			fmt.Sprintf("The steady rate, %d reminders a second, is about twice what 100,000 open issues produce on average with a 60-minute SLA (2 timers an issue an hour ≈ 56/s). The ceiling beside it is a bare Go time.Timer loop sleeping until each of the same due times in the same run: what the machine's scheduling alone costs.", timerRate),
			"Memory is the benchmark process's (the bot replicas plus the load generator), after the bulk insert and debug.FreeOSMemory; peak RSS is sampled every 100 ms while the timers fire.",
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
	more  []*app.App // further replicas on the same database
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
	if storeName == "postgres" {
		second, err := openApp(ctx, cfg, b, opts.logger())
		if err != nil {
			t.app.Close()
			return nil, err
		}
		t.more = append(t.more, second)
	}
	for _, a := range t.replicas() {
		a.Register(t.chat, t.chat)
		a.Scheduler.OnFire(func(kind string, lag time.Duration) {
			if kind == "route.remind" {
				t.claim.Add(lag)
			}
		})
	}
	return t, nil
}

func (t *timerRun) replicas() []*app.App { return append([]*app.App{t.app}, t.more...) }

func (t *timerRun) close() {
	for _, a := range t.replicas() {
		a.Close()
	}
}

// timerOutcome is what a timers run measured.
type timerOutcome struct {
	plan                timerPlan
	insert              time.Duration
	heapAfter, rssAfter uint64
	peakRSS, peakHeap   uint64
	steady, burst       Summary
	bare                Summary // a bare time.Timer loop over the steady due times
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
	t.Add(fmt.Sprintf("burst of %d: all fired in (ms)", o.plan.burst), ms(o.burst.Max))
	t.Add("bare time.Timer loop lag p50 / p99 / max (ms), the ceiling", fmt.Sprintf("%.1f / %.1f / %.1f", ms(o.bare.P50), ms(o.bare.P99), ms(o.bare.Max)))
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
	for _, a := range t.replicas() {
		if err := a.Scheduler.Start(ctx, 10*time.Second); err != nil {
			return o, err
		}
	}
	bare := make(chan Summary, 1)
	go func() { bare <- timerLoopLag(ctx, due[:plan.steady]) }()
	o.missing = t.chat.wait(ctx, len(due), time.Until(burstAt)+2*time.Minute)
	o.bare = <-bare
	o.peakRSS, o.peakHeap = sampler()
	o.steady, o.burst = t.chat.lags(burstAt)
	o.claim = t.claim.Summary()
	return o, nil
}

// timerLoopLag is the ceiling for timer lag: a bare Go time.Timer loop
// sleeping until each due time, and how late it woke.
func timerLoopLag(ctx context.Context, due []time.Time) Summary {
	var lags Latencies
	for _, d := range due {
		timer := time.NewTimer(time.Until(d))
		select {
		case <-ctx.Done():
			timer.Stop()
			return lags.Summary()
		case <-timer.C:
		}
		lags.Add(time.Since(d))
	}
	return lags.Summary()
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
