package web

import "context"

type stoppingKey struct{}

// WithStopping returns ctx carrying a channel that is closed when the
// server begins to shut down, so that long-lived responses (the command
// center's event stream) end and let the server drain.
func WithStopping(ctx context.Context, stopping <-chan struct{}) context.Context {
	return context.WithValue(ctx, stoppingKey{}, stopping)
}

// Stopping returns the channel WithStopping put in ctx; nil (never
// closed) when there is none.
func Stopping(ctx context.Context) <-chan struct{} {
	ch, _ := ctx.Value(stoppingKey{}).(<-chan struct{})
	return ch
}
