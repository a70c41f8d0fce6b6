package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/interlock-coe/interlock/bot"
	slackchat "github.com/interlock-coe/interlock/integrations/slack"
	"github.com/interlock-coe/interlock/store"
)

// Targets of the acknowledgement scenario.
const (
	ackRate       = 500.0 // requests a second for the p99 figure
	ackP99Limit   = 50.0  // ms
	ackRatioLimit = 50.0  // % of the bare handler's throughput
)

// replies matches the replies Slack's response_url receives to the
// commands sent, for the time from sending to the reply and for knowing
// when the background work has drained.
type replies struct {
	sent    sync.Map // request number → time sent
	pending atomic.Int64
	mu      sync.Mutex
	lat     *Latencies
}

func newReplies() *replies { return &replies{lat: &Latencies{}} }

// reset forgets the reply latencies measured so far.
func (r *replies) reset() {
	r.mu.Lock()
	r.lat = &Latencies{}
	r.mu.Unlock()
}

func (r *replies) summary() Summary {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lat.Summary()
}

func (r *replies) expect(n int64) {
	r.pending.Add(1)
	r.sent.Store(n, time.Now())
}

// forget drops a request that failed, so no reply is awaited.
func (r *replies) forget(n int64) {
	if _, ok := r.sent.LoadAndDelete(n); ok {
		r.pending.Add(-1)
	}
}

func (r *replies) received(p string, at time.Time) {
	n, err := strconv.ParseInt(path.Base(p), 10, 64)
	if err != nil {
		return
	}
	if t, ok := r.sent.LoadAndDelete(n); ok {
		r.pending.Add(-1)
		r.mu.Lock()
		r.lat.Add(at.Sub(t.(time.Time)))
		r.mu.Unlock()
	}
}

// drain waits until every awaited reply arrived, or limit passed, and
// returns how long it waited.
func (r *replies) drain(limit time.Duration) (time.Duration, bool) {
	start := time.Now()
	for r.pending.Load() > 0 {
		if time.Since(start) > limit {
			return time.Since(start), false
		}
		time.Sleep(10 * time.Millisecond)
	}
	return time.Since(start), true
}

// ackRun holds what the acknowledgement scenario sends requests to.
type ackRun struct {
	bot     *slackBot
	ackOnly *server // the Slack adapter's endpoints over a dispatcher that does nothing
	bare    *server
	client  *http.Client
	replies *replies
	seq     atomic.Int64
	run     string
	users   []string
}

// RunAck measures slash-command acknowledgement through the real HTTP
// path (signature check, form parsing, hand-off to the router) of the bot
// on PostgreSQL and Redis, against a bare net/http handler on the same
// machine in the same run: closed-loop at rising concurrency, then
// open-loop at 500 requests a second.
func RunAck(ctx context.Context, opts Options) Scenario {
	sc := Scenario{Name: "ack", Title: "1. Slash-command acknowledgement (POST /slack/commands, signed; PostgreSQL + Redis)"}
	res := newResources(opts)
	defer res.Close()
	r, err := newAckRun(ctx, res, opts)
	if err != nil {
		return failed(sc, err, unmeasured("p99 at 500 req/s", "< 50 ms"), unmeasured("throughput vs bare net/http", "≥ 50%"))
	}
	defer r.close()
	sc.Table.Columns = []Column{
		{Name: "load"}, {Name: "bot p50", Unit: "ms"}, {Name: "bot p99", Unit: "ms"}, {Name: "bot acks", Unit: "req/s"},
		{Name: "bot done", Unit: "req/s"}, {Name: "bare p50", Unit: "ms"}, {Name: "bare p99", Unit: "ms"},
		{Name: "bare", Unit: "req/s"}, {Name: "acks/bare", Unit: "%"}, {Name: "errors"},
	}
	r.warmUp(ctx)
	peakBot, peakBare := r.closedLoops(ctx, opts, &sc.Table)
	p99, replyLat, drained := r.openLoops(ctx, opts, &sc.Table)
	sc.Targets = []Target{
		below(fmt.Sprintf("p99 at %.0f req/s", ackRate), ms(p99), ackP99Limit, "ms"),
		atLeast("throughput vs bare net/http (peaks)", 100*peakBot/peakBare, ackRatioLimit, "%"),
	}
	sc.Notes = []string{
		"Latency is from sending the signed request to the 200 acknowledgement; open-loop latencies count from when each request was due (no coordinated omission).",
		fmt.Sprintf("Peak acknowledgements: bot %.0f req/s, bare %.0f req/s. The client, the bot, PostgreSQL and Redis share the machine's %s, so the bot's background work for each acknowledged command competes with acknowledging the next. Bot done = commands fully handled (reply posted) per second, from the first request to the last reply.", peakBot, peakBare, cpuText()),
		"Ack path only: the same adapter endpoints over a dispatcher that does nothing, showing what the acknowledgement itself costs; it is not judged.",
		fmt.Sprintf("Command /decisions: after the ack, the background work (user lookup, Redis de-duplication, a PostgreSQL query, the ephemeral reply to response_url) finished for the open-loop run with reply latency p50 %.1f ms, p99 %.1f ms (n=%d); %s.",
			ms(replyLat.P50), ms(replyLat.P99), replyLat.N, drained),
	}
	return sc
}

// closedLoops measures the bot and the bare handler at each concurrency,
// then the ack path alone, and returns the peak throughputs.
func (r *ackRun) closedLoops(ctx context.Context, opts Options, t *Table) (peakBot, peakBare float64) {
	d, limit := opts.span(3*time.Second, 300*time.Millisecond), opts.scale(15000, 100)
	bareAt := map[int]float64{}
	for _, clients := range []int{1, 10, 50, 100} {
		withBot := closedLoop(ctx, clients, d, limit, r.botShot)
		drain, _ := r.replies.drain(2 * time.Minute)
		bare := closedLoop(ctx, clients, d, limit, r.bareShot)
		bareAt[clients] = bare.Throughput()
		peakBot, peakBare = max(peakBot, withBot.Throughput()), max(peakBare, bare.Throughput())
		done := float64(withBot.Sent-withBot.Errors) / (withBot.Elapsed + drain).Seconds()
		t.Add(fmt.Sprintf("%d clients", clients), ms(withBot.Latency.P50), ms(withBot.Latency.P99), withBot.Throughput(), done,
			ms(bare.Latency.P50), ms(bare.Latency.P99), bare.Throughput(), 100*withBot.Throughput()/bare.Throughput(), errorText(withBot, bare))
	}
	only := closedLoop(ctx, 50, d, limit, r.ackOnlyShot)
	t.Add("50, ack path only", ms(only.Latency.P50), ms(only.Latency.P99), only.Throughput(), nil,
		nil, nil, nil, 100*only.Throughput()/bareAt[50], errorText(only))
	return peakBot, peakBare
}

// openLoops measures the bot and the bare handler at ackRate, and returns
// the bot's p99, its reply latency and how its background work drained.
func (r *ackRun) openLoops(ctx context.Context, opts Options, t *Table) (time.Duration, Summary, string) {
	r.replies.reset()
	d := opts.span(10*time.Second, 500*time.Millisecond)
	withBot := openLoop(ctx, ackRate, d, 2000, r.botShot)
	drain, ok := r.replies.drain(time.Minute)
	replyLat := r.replies.summary()
	bare := openLoop(ctx, ackRate, d, 2000, r.bareShot)
	t.Add(fmt.Sprintf("open %.0f/s", ackRate), ms(withBot.Latency.P50), ms(withBot.Latency.P99), withBot.Throughput(), nil,
		ms(bare.Latency.P50), ms(bare.Latency.P99), bare.Throughput(), 100*withBot.Throughput()/bare.Throughput(), errorText(withBot, bare))
	drained := fmt.Sprintf("drained %.1f s after the last request", drain.Seconds())
	if !ok {
		drained = fmt.Sprintf("NOT drained %.0f s after the last request", drain.Seconds())
	}
	return withBot.Latency.P99, replyLat, drained
}

func newAckRun(ctx context.Context, res *resources, opts Options) (*ackRun, error) {
	b, err := res.postgresBackend(ctx)
	if err != nil {
		return nil, err
	}
	r := &ackRun{client: newClient(), replies: newReplies(), run: randomHex(4)}
	if r.bot, err = startSlackBot(ctx, b, 0, r.replies.received, opts.logger()); err != nil {
		return nil, err
	}
	for _, p := range r.bot.Config.People {
		r.users = append(r.users, slackID(p.ID))
	}
	if err := seedDecisions(ctx, r.bot.App.Store, 50); err != nil {
		r.close()
		return nil, err
	}
	if r.ackOnly, err = startAckOnly(r.bot, opts.logger()); err != nil {
		r.close()
		return nil, err
	}
	r.bare, err = startServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		_, _ = io.Copy(io.Discard, req.Body)
		w.WriteHeader(http.StatusOK)
	}))
	if err != nil {
		r.close()
		return nil, err
	}
	return r, nil
}

func (r *ackRun) close() {
	for _, s := range []*server{r.bare, r.ackOnly} {
		if s != nil {
			s.Close()
		}
	}
	r.bot.Close()
}

// warmUp fills connection pools and the adapter's user cache.
func (r *ackRun) warmUp(ctx context.Context) {
	closedLoop(ctx, 10, 2*time.Second, 300, r.botShot)
	closedLoop(ctx, 10, 2*time.Second, 300, r.bareShot)
	r.replies.drain(time.Minute)
}

// request is the next /decisions command, signed, with a unique
// trigger_id so that de-duplication lets every one through.
func (r *ackRun) request(ctx context.Context, target string) (int64, *http.Request, error) {
	n := r.seq.Add(1)
	body := slashCommand("/decisions", "", r.users[int(n)%len(r.users)], "C0GENERAL",
		fmt.Sprintf("bench.%s.%d", r.run, n), r.bot.Slack.responseURL(n))
	req, err := signedRequest(ctx, target+"/slack/commands", body)
	return n, req, err
}

func (r *ackRun) botShot(ctx context.Context) error {
	n, req, err := r.request(ctx, r.bot.Server.URL)
	if err != nil {
		return err
	}
	r.replies.expect(n)
	if err := post(r.client, req, http.StatusOK); err != nil {
		r.replies.forget(n)
		return err
	}
	return nil
}

func (r *ackRun) bareShot(ctx context.Context) error {
	_, req, err := r.request(ctx, r.bare.URL)
	if err != nil {
		return err
	}
	return post(r.client, req, http.StatusOK)
}

func (r *ackRun) ackOnlyShot(ctx context.Context) error {
	_, req, err := r.request(ctx, r.ackOnly.URL)
	if err != nil {
		return err
	}
	return post(r.client, req, http.StatusOK)
}

// startAckOnly serves a second Slack adapter, over the same fake Slack,
// whose dispatcher does nothing.
func startAckOnly(b *slackBot, log *slog.Logger) (*server, error) {
	a, err := slackchat.New(slackchat.Options{
		BotToken: "xoxb-bench", SigningSecret: signingSecret, APIURL: b.Slack.URL(),
		Directory: b.Config, Dispatcher: noopDispatcher{}, Logger: log,
	})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	a.Routes(mux)
	return startServer(mux)
}

// noopDispatcher takes every command and does nothing.
type noopDispatcher struct{}

func (noopDispatcher) Handle(context.Context, bot.Request, bot.Responder) error { return nil }

func errorText(runs ...LoadResult) string {
	var errs, dropped int
	var first error
	for _, r := range runs {
		errs += r.Errors
		dropped += r.Dropped
		if first == nil {
			first = r.FirstErr
		}
	}
	switch {
	case errs == 0 && dropped == 0:
		return "0"
	case first == nil:
		return fmt.Sprintf("%d dropped", dropped)
	}
	return fmt.Sprintf("%d (%v)", errs+dropped, first)
}

func seedDecisions(ctx context.Context, s store.Decisions, n int) error {
	for i := range n {
		_, err := s.AppendDecision(ctx, store.Decision{
			Kind: store.KindDecision, Text: fmt.Sprintf("Benchmark decision %d", i), Actor: "alex", At: time.Now(),
		})
		if err != nil {
			return fmt.Errorf("seed decisions: %w", err)
		}
	}
	return nil
}

// failed is a scenario that could not run.
func failed(sc Scenario, err error, targets ...Target) Scenario {
	sc.Error = err.Error()
	sc.Targets = targets
	return sc
}
