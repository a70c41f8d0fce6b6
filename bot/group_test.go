package bot_test

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"

	"github.com/interlock-coe/interlock/bot"
)

// TestGroupRunsALoneCallAtOnceAndGroupsTheRest holds the first run open
// while more calls arrive: they go together in the next runs (at most
// limit a run), and each gets its own result.
func TestGroupRunsALoneCallAtOnceAndGroupsTheRest(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	var (
		mu   sync.Mutex
		runs [][]int
	)
	g := bot.NewGroup(3, func(_ context.Context, ins []int) ([]int, error) {
		mu.Lock()
		runs = append(runs, ins)
		first := len(runs) == 1
		mu.Unlock()
		if first {
			close(started)
			<-release
		}
		out := make([]int, len(ins))
		for i, in := range ins {
			out[i] = in * 10
		}
		return out, nil
	})
	var wg sync.WaitGroup
	results := make([]int, 6)
	wg.Go(func() { results[0], _ = g.Do(t.Context(), 0) })
	<-started
	for i := 1; i < 6; i++ {
		wg.Go(func() { results[i], _ = g.Do(t.Context(), i) })
	}
	waitQueued(g, 5)
	close(release)
	wg.Wait()
	if len(runs) != 3 || len(runs[0]) != 1 || len(runs[1]) != 3 || len(runs[2]) != 2 {
		t.Errorf("runs = %v, want the lone call, then the five that came meanwhile, three at most a run", runs)
	}
	for i, r := range results {
		if r != i*10 {
			t.Errorf("call %d got %d, want %d", i, r, i*10)
		}
	}
	if _, err := g.Do(t.Context(), 7); err != nil || len(runs) != 4 || len(runs[3]) != 1 {
		t.Errorf("a later lone call: runs %v, %v", runs, err)
	}
}

// waitQueued waits until n calls wait in g.
func waitQueued[In, Out any](g *bot.Group[In, Out], n int) {
	for g.Waiting() < n {
		runtime.Gosched()
	}
}

// TestGroupErrorAndPanicFailTheirRunOnly fails one run, answers too few
// calls in the next, then panics: the calls of each get an error, nobody
// waits forever, and the group works on.
func TestGroupErrorAndPanicFailTheirRunOnly(t *testing.T) {
	boom := errors.New("boom")
	g := bot.NewGroup(0, func(_ context.Context, ins []int) ([]int, error) {
		switch ins[0] {
		case 1:
			return nil, boom
		case 2:
			return nil, nil
		case 3:
			panic("bad")
		}
		return ins, nil
	})
	if _, err := g.Do(t.Context(), 1); !errors.Is(err, boom) {
		t.Errorf("failed run: %v, want %v", err, boom)
	}
	if _, err := g.Do(t.Context(), 2); err == nil {
		t.Error("a run that answered no call: no error")
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic did not reach the leader")
			}
		}()
		g.Do(t.Context(), 3)
	}()
	if got, err := g.Do(t.Context(), 4); err != nil || got != 4 {
		t.Errorf("after a panic: %d, %v, want 4", got, err)
	}
}

// TestGroupRunsUpToItsRunsAtOnce lets two runs go at once: many callers
// each get their own result, no more than two runs are ever under way, and
// calls still go together while both slots are taken.
func TestGroupRunsUpToItsRunsAtOnce(t *testing.T) {
	var (
		mu            sync.Mutex
		inFlight, top int
		grouped       bool
	)
	g := bot.NewGroup(4, func(_ context.Context, ins []int) ([]int, error) {
		mu.Lock()
		inFlight++
		top = max(top, inFlight)
		grouped = grouped || len(ins) > 1
		mu.Unlock()
		runtime.Gosched()
		out := make([]int, len(ins))
		for i, in := range ins {
			out[i] = in + 1
		}
		mu.Lock()
		inFlight--
		mu.Unlock()
		return out, nil
	})
	g.SetRuns(2)
	var wg sync.WaitGroup
	for i := range 400 {
		wg.Go(func() {
			if got, err := g.Do(t.Context(), i); err != nil || got != i+1 {
				t.Errorf("call %d got %d, %v", i, got, err)
			}
		})
	}
	wg.Wait()
	if top > 2 {
		t.Errorf("%d runs at once, want 2 at most", top)
	}
	if top < 2 || !grouped {
		t.Logf("runs at once: %d, calls grouped: %v (scheduling-dependent)", top, grouped)
	}
	if g.Waiting() != 0 {
		t.Errorf("%d calls still queued", g.Waiting())
	}
}
