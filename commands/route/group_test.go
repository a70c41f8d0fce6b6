package route

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
)

// TestGroupRunsALoneCallAtOnceAndGroupsTheRest holds the first run open
// while more calls arrive: they go together in the next run, and each
// gets its own result.
func TestGroupRunsALoneCallAtOnceAndGroupsTheRest(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	var (
		mu   sync.Mutex
		runs [][]int
	)
	g := &group[int, int]{run: func(_ context.Context, ins []int) ([]int, error) {
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
	}}
	var wg sync.WaitGroup
	results := make([]int, 6)
	wg.Go(func() { results[0], _ = g.do(t.Context(), 0) })
	<-started
	for i := 1; i < 6; i++ {
		wg.Go(func() { results[i], _ = g.do(t.Context(), i) })
	}
	waitQueued(g, 5)
	close(release)
	wg.Wait()
	if len(runs) != 2 || len(runs[0]) != 1 || len(runs[1]) != 5 {
		t.Errorf("runs = %v, want the lone call, then the five that came meanwhile", runs)
	}
	for i, r := range results {
		if r != i*10 {
			t.Errorf("call %d got %d, want %d", i, r, i*10)
		}
	}
	if _, err := g.do(t.Context(), 7); err != nil || len(runs) != 3 || len(runs[2]) != 1 {
		t.Errorf("a later lone call: runs %v, %v", runs, err)
	}
}

// waitQueued waits until n calls wait in g.
func waitQueued[In, Out any](g *group[In, Out], n int) {
	for {
		g.mu.Lock()
		queued := len(g.queue)
		g.mu.Unlock()
		if queued >= n {
			return
		}
		runtime.Gosched()
	}
}

// TestGroupErrorAndPanicFailTheirRunOnly fails one run, then panics in
// the next: the calls of each get an error, nobody waits forever, and the
// group works on.
func TestGroupErrorAndPanicFailTheirRunOnly(t *testing.T) {
	boom := errors.New("boom")
	g := &group[int, int]{run: func(_ context.Context, ins []int) ([]int, error) {
		switch ins[0] {
		case 1:
			return nil, boom
		case 2:
			panic("bad")
		}
		return ins, nil
	}}
	if _, err := g.do(t.Context(), 1); !errors.Is(err, boom) {
		t.Errorf("failed run: %v, want %v", err, boom)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic did not reach the leader")
			}
		}()
		g.do(t.Context(), 2)
	}()
	if got, err := g.do(t.Context(), 3); err != nil || got != 3 {
		t.Errorf("after a panic: %d, %v, want 3", got, err)
	}
}
