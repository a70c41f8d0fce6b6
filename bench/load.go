package bench

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// shot sends one request and reports whether it succeeded.
type shot func(ctx context.Context) error

// LoadResult is what a load run measured.
type LoadResult struct {
	Latency  Summary
	Sent     int
	Errors   int
	Dropped  int // open loop only: sends skipped because too many were in flight
	Elapsed  time.Duration
	FirstErr error
}

// Throughput is successful requests per second.
func (r LoadResult) Throughput() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Sent-r.Errors) / r.Elapsed.Seconds()
}

// tally counts outcomes from many goroutines.
type tally struct {
	lat      Latencies
	sent     atomic.Int64
	errors   atomic.Int64
	dropped  atomic.Int64
	mu       sync.Mutex
	firstErr error
}

func (t *tally) record(d time.Duration, err error) {
	t.sent.Add(1)
	if err != nil {
		t.errors.Add(1)
		t.mu.Lock()
		if t.firstErr == nil {
			t.firstErr = err
		}
		t.mu.Unlock()
		return
	}
	t.lat.Add(d)
}

func (t *tally) result(elapsed time.Duration) LoadResult {
	return LoadResult{
		Latency: t.lat.Summary(), Sent: int(t.sent.Load()), Errors: int(t.errors.Load()),
		Dropped: int(t.dropped.Load()), Elapsed: elapsed, FirstErr: t.firstErr,
	}
}

// closedLoop runs clients that each send the next request as soon as the
// last is answered, until d has passed or limit requests were sent.
func closedLoop(ctx context.Context, clients int, d time.Duration, limit int, send shot) LoadResult {
	var (
		t     tally
		wg    sync.WaitGroup
		taken atomic.Int64
	)
	start := time.Now()
	deadline := start.Add(d)
	for range clients {
		wg.Go(func() {
			for ctx.Err() == nil && time.Now().Before(deadline) && taken.Add(1) <= int64(limit) {
				t0 := time.Now()
				err := send(ctx)
				t.record(time.Since(t0), err)
			}
		})
	}
	wg.Wait()
	return t.result(time.Since(start))
}

// openLoop sends rate requests a second for d whatever the answers, each
// from its own goroutine, and measures every latency from the moment the
// request was due to be sent, so that a stall counts against every request
// it delays. At most maxInFlight requests are outstanding; sends beyond
// that are counted as dropped.
func openLoop(ctx context.Context, rate float64, d time.Duration, maxInFlight int, send shot) LoadResult {
	var (
		t      tally
		wg     sync.WaitGroup
		flying = make(chan struct{}, maxInFlight)
	)
	interval := time.Duration(float64(time.Second) / rate)
	start := time.Now()
	for i := 0; ; i++ {
		due := start.Add(time.Duration(i) * interval)
		if due.Sub(start) >= d || ctx.Err() != nil {
			break
		}
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		}
		select {
		case flying <- struct{}{}:
		default:
			t.dropped.Add(1)
			continue
		}
		wg.Go(func() {
			defer func() { <-flying }()
			err := send(ctx)
			t.record(time.Since(due), err)
		})
	}
	wg.Wait()
	return t.result(d)
}
