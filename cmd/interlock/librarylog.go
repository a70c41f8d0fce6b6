package main

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"

	discordchat "github.com/interlock-coe/interlock/integrations/discord"
	redisstore "github.com/interlock-coe/interlock/store/redis"
)

// go-redis and discordgo each have one logger for the whole process. They
// are routed once, to a handler that forwards to the logger of the latest
// serve, so that their messages are JSON records like the rest.
var (
	routeLibraryLogsOnce sync.Once
	libraryLog           atomic.Pointer[slog.Logger]
)

// routeLibraryLogs sends go-redis's and discordgo's messages to log.
func routeLibraryLogs(log *slog.Logger) {
	libraryLog.Store(log)
	routeLibraryLogsOnce.Do(func() {
		fwd := slog.New(latestHandler{})
		redisstore.RouteLibraryLog(fwd)
		discordchat.RouteLibraryLog(fwd)
	})
}

// latestHandler is the handler of libraryLog's current logger, with the
// attributes added to it.
type latestHandler struct{ attrs []slog.Attr }

func (h latestHandler) current() slog.Handler {
	return libraryLog.Load().Handler().WithAttrs(h.attrs)
}

func (h latestHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.current().Enabled(ctx, l)
}

func (h latestHandler) Handle(ctx context.Context, r slog.Record) error {
	return h.current().Handle(ctx, r)
}

func (h latestHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return latestHandler{attrs: append(slices.Clip(h.attrs), attrs...)}
}

// WithGroup is not needed by the libraries' loggers: the group is dropped.
func (h latestHandler) WithGroup(string) slog.Handler { return h }
