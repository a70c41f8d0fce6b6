package coordtest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/interlock-coe/interlock/bot"
)

// racers is how many goroutines race for the same key.
const racers = 20

// race runs f on racers goroutines at once and returns their results.
func race[T any](f func(i int) T) []T {
	results := make([]T, racers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() {
			<-start
			results[i] = f(i)
		})
	}
	close(start)
	wg.Wait()
	return results
}

func testConcurrentClaims(t *testing.T, c bot.Coordinator, _ Wait) {
	results := race(func(int) error {
		won, err := c.Claim(t.Context(), "event", longTTL)
		if err != nil {
			return err
		}
		if !won {
			return errLost
		}
		return nil
	})
	checkOneWinner(t, results, errLost)
}

func testConcurrentLocks(t *testing.T, c bot.Coordinator, _ Wait) {
	results := race(func(int) error {
		_, err := c.Lock(t.Context(), "job", longTTL)
		return err
	})
	checkOneWinner(t, results, bot.ErrLocked)
}

func testConcurrentIncr(t *testing.T, c bot.Coordinator, _ Wait) {
	type result struct {
		n   int64
		err error
	}
	results := race(func(int) result {
		n, err := c.Incr(t.Context(), "n", 1, longTTL)
		return result{n, err}
	})
	var got []int64
	for _, r := range results {
		if r.err != nil {
			t.Fatalf("Incr: %v", r.err)
		}
		got = append(got, r.n)
	}
	slices.Sort(got)
	for i, n := range got {
		if n != int64(i+1) {
			t.Fatalf("concurrent Incr results %v, want 1..%d each once", got, racers)
		}
	}
}

func testConcurrentWindowAdd(t *testing.T, c bot.Coordinator, _ Wait) {
	errs := race(func(i int) error {
		return c.WindowAdd(t.Context(), "w", fmt.Sprintf("m%02d", i), base, float64(i), longTTL)
	})
	for _, err := range errs {
		if err != nil {
			t.Fatalf("WindowAdd: %v", err)
		}
	}
	points, err := c.WindowRange(t.Context(), "w", base, base.Add(longTTL))
	if err != nil {
		t.Fatalf("WindowRange: %v", err)
	}
	if len(points) != racers {
		t.Fatalf("WindowRange after %d concurrent adds returned %d points", racers, len(points))
	}
}

// errLost marks a Claim that returned false.
var errLost = errors.New("claim lost")

// checkOneWinner fails the test unless exactly one result is nil and every
// other one is lost.
func checkOneWinner(t *testing.T, results []error, lost error) {
	t.Helper()
	winners := 0
	for _, err := range results {
		switch {
		case err == nil:
			winners++
		case !errors.Is(err, lost):
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if winners != 1 {
		t.Fatalf("%d of %d racers won, want exactly 1", winners, racers)
	}
}
