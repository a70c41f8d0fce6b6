package slack

import (
	"context"
	"sync"
)

// channelQueue serialises the posts to each channel in the order they were
// asked for. The pacer alone spaces posts but lets a post that got a 429 be
// overtaken by the next one while it waits out Retry-After; holding the
// channel's turn for the whole post, retries and pages included, keeps the
// room's messages in order.
type channelQueue struct {
	mu   sync.Mutex
	tail map[string]chan struct{} // closed when the channel's last post is done
}

func newChannelQueue() *channelQueue {
	return &channelQueue{tail: map[string]chan struct{}{}}
}

// inOrder runs post once every post to channel asked for earlier is done.
// If ctx ends while waiting, post is not run, and later posts still wait for
// the earlier ones.
func (q *channelQueue) inOrder(ctx context.Context, channel string, post func() error) error {
	done := make(chan struct{})
	q.mu.Lock()
	prev := q.tail[channel]
	q.tail[channel] = done
	q.mu.Unlock()
	if prev != nil {
		select {
		case <-prev:
		case <-ctx.Done():
			go func() { <-prev; q.finish(channel, done) }()
			return ctx.Err()
		}
	}
	defer q.finish(channel, done)
	return post()
}

// finish marks a post done and forgets the channel when it was the last
// one queued.
func (q *channelQueue) finish(channel string, done chan struct{}) {
	q.mu.Lock()
	defer q.mu.Unlock()
	close(done)
	if q.tail[channel] == done {
		delete(q.tail, channel)
	}
}
