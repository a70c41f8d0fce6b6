package memory

import (
	"context"
	"sync"

	"github.com/interlock-coe/interlock/bot"
)

// eventBuffer is how many notices a slow subscriber may lag behind before
// further ones are dropped for it (it re-reads everything on the next).
const eventBuffer = 64

// hub fans notices out to the subscribers of this process.
type hub struct {
	mu   sync.Mutex
	subs map[chan string]struct{}
}

var _ bot.Events = (*Coordinator)(nil)

// Publish tells every current subscriber that topic changed.
func (c *Coordinator) Publish(_ context.Context, topic string) error {
	c.events.mu.Lock()
	defer c.events.mu.Unlock()
	for ch := range c.events.subs {
		select {
		case ch <- topic:
		default: // a full subscriber misses this one notice
		}
	}
	return nil
}

// Subscribe returns the topics published from now on until ctx ends.
func (c *Coordinator) Subscribe(ctx context.Context) (<-chan string, error) {
	ch := make(chan string, eventBuffer)
	c.events.mu.Lock()
	if c.events.subs == nil {
		c.events.subs = map[chan string]struct{}{}
	}
	c.events.subs[ch] = struct{}{}
	c.events.mu.Unlock()
	go func() {
		<-ctx.Done()
		c.events.mu.Lock()
		delete(c.events.subs, ch)
		close(ch)
		c.events.mu.Unlock()
	}()
	return ch, nil
}
