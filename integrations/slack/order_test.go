package slack

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
)

// TestChannelQueueKeepsOrderWhenAWaiterGivesUp: a post whose context ends
// while it waits is dropped, and the post after it still waits for the one
// before it.
func TestChannelQueueKeepsOrderWhenAWaiterGivesUp(t *testing.T) {
	q := newChannelQueue()
	var (
		mu    sync.Mutex
		order []string
	)
	ran := func(name string) func() error {
		return func() error { mu.Lock(); defer mu.Unlock(); order = append(order, name); return nil }
	}
	release, started := make(chan struct{}), make(chan struct{})
	firstDone := make(chan error, 1)
	go func() {
		firstDone <- q.inOrder(context.Background(), "C1", func() error {
			close(started)
			<-release
			return ran("first")()
		})
	}()
	<-started

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if err := q.inOrder(cancelled, "C1", ran("second")); !errors.Is(err, context.Canceled) {
		t.Fatalf("a waiter whose context ended: %v, want context.Canceled", err)
	}
	thirdDone := make(chan error, 1)
	go func() { thirdDone <- q.inOrder(context.Background(), "C1", ran("third")) }()
	// Another channel is not held up by C1.
	if err := q.inOrder(context.Background(), "C2", ran("other")); err != nil {
		t.Fatal(err)
	}
	close(release)
	for _, done := range []chan error{firstDone, thirdDone} {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if want := []string{"other", "first", "third"}; !slices.Equal(order, want) {
		t.Errorf("ran %q, want %q", order, want)
	}
	if len(q.tail) != 0 {
		t.Errorf("queue still holds %d channels when idle", len(q.tail))
	}
}
