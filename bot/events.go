package bot

import (
	"context"
	"log/slog"
)

// Events carries change notices between replicas, so that every open
// command center page learns within moments that something it shows has
// changed. A notice is only a topic ("crisis", "route", "alerts" …): a
// page re-reads what it shows, so a notice lost to a full buffer costs
// nothing but a later refresh. Redis pub/sub in production; in-process
// for a single instance. Both coordinators implement it.
type Events interface {
	// Publish tells every subscriber, on every replica, that topic changed.
	Publish(ctx context.Context, topic string) error
	// Subscribe returns the topics published from now on; the channel is
	// closed when ctx ends.
	Subscribe(ctx context.Context) (<-chan string, error)
}

// PublishChanges is middleware that publishes the command's group as a
// topic after each command that succeeded: a crisis opened, a status, a
// claim. Help and read-only commands publish too; a spare refresh is
// cheaper than a missed one.
func PublishChanges(ev Events, log *slog.Logger) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, c *Context) error {
			err := next(ctx, c)
			if err == nil && c.Command != nil {
				if perr := ev.Publish(context.WithoutCancel(ctx), c.Command.Group); perr != nil {
					log.Warn("change notice not published", "topic", c.Command.Group, "err", perr)
				}
			}
			return err
		}
	}
}
