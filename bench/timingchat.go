package bench

import (
	"context"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// timingChat is a chat that records when each reminder is posted, and
// knows every person.
type timingChat struct {
	mu     sync.Mutex
	due    map[int64]time.Time
	posted map[int64]time.Time
	seq    atomic.Int64
}

func newTimingChat() *timingChat {
	return &timingChat{due: map[int64]time.Time{}, posted: map[int64]time.Time{}}
}

var reminderID = regexp.MustCompile(`Reminder: routed issue #(\d+)`)

func (c *timingChat) expect(id int64, due time.Time) {
	c.mu.Lock()
	c.due[id] = due
	c.mu.Unlock()
}

// wait waits until n reminders were posted or limit passed, and returns
// how many are missing.
func (c *timingChat) wait(ctx context.Context, n int, limit time.Duration) int {
	deadline := time.Now().Add(limit)
	for {
		c.mu.Lock()
		got := len(c.posted)
		c.mu.Unlock()
		if got >= n || time.Now().After(deadline) || ctx.Err() != nil {
			return n - got
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// lags splits the reminders' lags into those due before burst and the burst.
func (c *timingChat) lags(burst time.Time) (steady, atOnce Summary) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var s, b []time.Duration
	for id, at := range c.posted {
		due := c.due[id]
		if due.Before(burst) {
			s = append(s, at.Sub(due))
		} else {
			b = append(b, at.Sub(due))
		}
	}
	return summarize(s), summarize(b)
}

// Post records reminders of tracked issues.
func (c *timingChat) Post(_ context.Context, channel string, msg bot.Message) (bot.MessageRef, error) {
	now := time.Now()
	if m := reminderID.FindStringSubmatch(msg.Text); m != nil {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		c.mu.Lock()
		if _, tracked := c.due[id]; tracked {
			c.posted[id] = now
		}
		c.mu.Unlock()
	}
	return bot.MessageRef{Channel: channel, ID: strconv.FormatInt(c.seq.Add(1), 10)}, nil
}

func (c *timingChat) CreateRoom(_ context.Context, spec bot.RoomSpec) (bot.Room, error) {
	return bot.Room{ID: "R" + strconv.FormatInt(c.seq.Add(1), 10), Name: spec.Name}, nil
}
func (c *timingChat) Invite(context.Context, string, []string) error { return nil }
func (c *timingChat) SetTopic(context.Context, string, string) error { return nil }
func (c *timingChat) Known(string) bool                              { return true }
func (c *timingChat) DirectMessage(ctx context.Context, person string, msg bot.Message) (bot.MessageRef, error) {
	return c.Post(ctx, "@"+person, msg)
}
