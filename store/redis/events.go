package redis

import (
	"context"

	"github.com/interlock-coe/interlock/bot"
)

// eventBuffer is how many notices a slow subscriber may lag behind before
// further ones are dropped for it (it re-reads everything on the next).
const eventBuffer = 64

var _ bot.Events = (*Coordinator)(nil)

// channel is the pub/sub channel of change notices, under the prefix so
// that deployments (and tests) sharing a server do not hear each other.
func (c *Coordinator) channel() string { return c.prefix + "events" }

// Publish tells every subscriber on every replica that topic changed.
func (c *Coordinator) Publish(ctx context.Context, topic string) error {
	if err := c.client.Publish(ctx, c.channel(), topic).Err(); err != nil {
		return c.fail("publish", c.channel(), err)
	}
	return nil
}

// Subscribe returns the topics published from now on until ctx ends. It
// returns once the subscription is in place, so nothing published after it
// returns is missed; go-redis re-subscribes by itself after a reconnect.
func (c *Coordinator) Subscribe(ctx context.Context) (<-chan string, error) {
	sub := c.client.Subscribe(ctx, c.channel())
	if _, err := sub.Receive(ctx); err != nil {
		_ = sub.Close()
		return nil, c.fail("subscribe", c.channel(), err)
	}
	in := sub.Channel()
	out := make(chan string, eventBuffer)
	go func() {
		defer close(out)
		defer sub.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-in:
				if !ok {
					return
				}
				select {
				case out <- m.Payload:
				default: // a full subscriber misses this one notice
				}
			}
		}
	}()
	return out, nil
}
