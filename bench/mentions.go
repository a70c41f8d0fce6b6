package bench

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Sizes and target of the mentions scenario.
const (
	mentionBatch  = 500
	mentionTarget = 20000.0
)

// mentionJSON is one mention as POST /hooks/mentions takes it.
type mentionJSON struct {
	Source    string `json:"source"`
	ID        string `json:"id"`
	Brand     string `json:"brand"`
	Topic     string `json:"topic"`
	Time      string `json:"time"`
	Sentiment string `json:"sentiment"`
	Text      string `json:"text"`
	URL       string `json:"url"`
	Author    string `json:"author"`
	Followers int64  `json:"followers"`
}

// RunMentions measures single mentions a second through POST
// /hooks/mentions (authentication, decoding, storing each mention once,
// counting it into its hourly window, judging the windows it changed),
// in batches of 500, on the embedded store and on PostgreSQL, with the
// database's own multi-row INSERT rate measured in the same run.
func RunMentions(ctx context.Context, opts Options) Scenario {
	sc := Scenario{Name: "mentions", Title: "3b. Single mentions (POST /hooks/mentions, batches of 500, 4 senders)"}
	sc.Table.Columns = []Column{
		{Name: "store"}, {Name: "phase"}, {Name: "items"}, {Name: "rate", Unit: "items/s"},
		{Name: "batch p50", Unit: "ms"}, {Name: "batch p99", Unit: "ms"}, {Name: "errors"},
	}
	res := newResources(opts)
	defer res.Close()
	series := opts.scale(300, 6)
	history := opts.scale(48, 4)
	count := opts.scale(100_000, 2000)
	for _, name := range []string{"embedded", "postgres"} {
		results, err := mentionsOn(ctx, res, opts, name, series, history, count)
		if err != nil {
			sc.Targets = append(sc.Targets, unmeasured("mentions/s, "+name, "≥ 20,000 mentions/s"))
			sc.Notes = append(sc.Notes, fmt.Sprintf("%s: FAILED: %v", name, err))
			continue
		}
		for _, r := range results {
			sc.Table.Add(name, r.phase, r.points, r.rate(), ms(r.batch.P50), ms(r.batch.P99), listenErrors(r))
		}
		sc.Targets = append(sc.Targets, atLeast("mentions/s, "+name, results[0].rate(), mentionTarget, "mentions/s"))
		sc.Notes = append(sc.Notes, fmt.Sprintf("%s: %.0f mentions/s = %.0f%% of the database's own multi-row INSERT rate into listening_points in the same run (%.0f rows/s).",
			name, results[0].rate(), 100*results[0].rate()/results[1].rate(), results[1].rate()))
	}
	sc.Notes = append(sc.Notes,
		fmt.Sprintf("%d series (3 brands × %d topics, one source), each with %d hourly windows of history sent first as data points (not timed). Then %d mentions of the current hour (times between its start and now), each batch 500 mentions over all series; every batch stores the mentions, grows their windows and judges each changed window against its baseline.", series, series/3, history, count),
		fmt.Sprintf("The open window is judged on the part of the hour that has passed (at least %v), so the history's level is set from the minute each store's run starts: by the end of the run every window holds about its baseline rate for the time passed, whatever the minute. One series in %d gets %d× its share of the mentions and spikes partway through the run (an alert, then updated by later batches); the others stay normal and change no alert.", mentionsOpenFloor, mentionSpikeEvery, mentionSpike),
	)
	return sc
}

func mentionsOn(ctx context.Context, res *resources, opts Options, name string, series, history, count int) ([]listenResult, error) {
	b, err := res.backendFor(ctx, name)
	if err != nil {
		return nil, err
	}
	l, err := startListening(ctx, b, opts.logger())
	if err != nil {
		return nil, err
	}
	defer l.stop()
	// Built now, not when the scenario started: the levels depend on the
	// minute (see mentionsPhases).
	backfill, mentions := mentionsPhases(time.Now().UTC(), series, history, count)
	client := newClient()
	if r := sendPhase(ctx, client, l.url+"/hooks/listening", backfill); r.errors > 0 {
		return nil, fmt.Errorf("history: %d errors: %v", r.errors, r.first)
	}
	r := sendPhase(ctx, client, l.url+"/hooks/mentions", mentions)
	if r.stored != int64(r.points) && r.errors == 0 {
		return nil, fmt.Errorf("%d mentions sent, %d stored", r.points, r.stored)
	}
	return []listenResult{r, insertCeiling(ctx, l.raw, r.points)}, nil
}

// The mentions' spikes: one series in mentionSpikeEvery gets mentionSpike
// times the mentions of the others.
const (
	mentionSpikeEvery = 100
	mentionSpike      = 4
)

// mentionsOpenFloor is the least part of an open window the detector
// judges it on (minOpenWindow in commands/alerts).
const mentionsOpenFloor = 10 * time.Minute

// mentionsPhases is the history and the mentions of the scenario at now.
// The detector expects an open window to hold its baseline rate times
// the part of the hour passed (at least mentionsOpenFloor), so the
// history's hourly level is a normal series' share of the mentions
// divided by that part: at the end of the run the open windows are at
// their baseline (a little under, as the hour goes on meanwhile), and
// before it they are under it, at any minute. Without this, early in the
// hour every window would be a spike and late in the hour none.
func mentionsPhases(now time.Time, series, history, n int) (backfill, mentions listenPhase) {
	hour := now.Truncate(time.Hour)
	passed := max(now.Sub(hour), mentionsOpenFloor)
	var slots []int // series by share: a spiking series holds several slots
	for s := range series {
		for range spikeShare(s) {
			slots = append(slots, s)
		}
	}
	share := float64(n) / float64(len(slots))
	level := int64(math.Round(share / passed.Hours()))
	backfill = historyPhase(hour, series, history, func(int) int64 { return level })
	return backfill, mentionsPhase(now, slots, n)
}

func spikeShare(s int) int {
	if s%mentionSpikeEvery == 0 {
		return mentionSpike
	}
	return 1
}

// mentionsPhase is n mentions of the current hour so far, round-robin
// over the slots (series), in batches of mentionBatch.
func mentionsPhase(now time.Time, slots []int, n int) listenPhase {
	rng := rand.New(rand.NewPCG(5, 6))
	brands := []string{"acme", "globex", "umbrella"}
	hour := now.Truncate(time.Hour)
	span := max(now.Sub(hour), time.Second)
	words := []string{"love", "hate", "battery", "camera", "price", "delivery", "support", "screen", "update", "refund"}
	sentiments := []string{"negative", "neutral", "neutral", "positive"}
	p := listenPhase{name: "mentions"}
	var group [][]byte
	var batch []mentionJSON
	for i := range n {
		s := slots[i%len(slots)]
		batch = append(batch, mentionJSON{
			Source: "bench", ID: fmt.Sprint(i), Brand: brands[s%3], Topic: fmt.Sprintf("topic %d", s/3),
			Time:      hour.Add(time.Duration(rng.Int64N(int64(span)))).Format(time.RFC3339),
			Sentiment: sentiments[rng.IntN(len(sentiments))],
			Text:      fmt.Sprintf("the %s of my %s phone, %s", words[rng.IntN(len(words))], brands[s%3], words[rng.IntN(len(words))]),
			URL:       fmt.Sprintf("https://social.example/p/%d", i), Author: fmt.Sprintf("user%d", rng.IntN(50000)),
			Followers: rng.Int64N(100000),
		})
		if len(batch) == mentionBatch || i == n-1 {
			group = append(group, mustJSON(batch))
			p.points += len(batch)
			batch = nil
		}
	}
	p.groups = [][][]byte{group}
	return p
}
