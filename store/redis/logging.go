package redis

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	goredis "github.com/redis/go-redis/v9"
)

// LibraryLogger writes go-redis's own messages (a pool that cannot dial
// while Redis is down, say) to an slog.Logger as warnings.
type LibraryLogger struct{ Log *slog.Logger }

// Printf logs one go-redis message.
func (l LibraryLogger) Printf(ctx context.Context, format string, v ...any) {
	l.Log.WarnContext(ctx, strings.TrimSpace(fmt.Sprintf(format, v...)), "component", "go-redis")
}

// RouteLibraryLog sends go-redis's messages to log. go-redis v9 has no
// per-client logger, only this process-wide one: call it once, at start,
// from main.
func RouteLibraryLog(log *slog.Logger) { goredis.SetLogger(LibraryLogger{Log: log}) }
