package discord

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// LibraryLogger returns a discordgo.Logger that writes discordgo's own log
// lines (gateway errors, reconnections) to log, at the matching level,
// instead of the standard logger's plain text on stderr.
func LibraryLogger(log *slog.Logger) func(msgL, caller int, format string, a ...any) {
	log = log.With("platform", Platform, "component", "discordgo")
	return func(msgL, _ int, format string, a ...any) {
		log.Log(context.Background(), slogLevel(msgL), redactPath(strings.TrimSpace(fmt.Sprintf(format, a...))))
	}
}

// RouteLibraryLog sends discordgo's log lines to log. discordgo.Logger is
// global to the process: call this once, at start, from main.
func RouteLibraryLog(log *slog.Logger) { discordgo.Logger = LibraryLogger(log) }

func slogLevel(msgL int) slog.Level {
	switch msgL {
	case discordgo.LogError:
		return slog.LevelError
	case discordgo.LogWarning:
		return slog.LevelWarn
	}
	return slog.LevelDebug
}

// libraryLogLevel is the session's LogLevel for log: discordgo's
// informational lines are logged at debug; its own debug level, which
// prints every request and payload, is never reached.
func libraryLogLevel(log *slog.Logger) int {
	if log.Enabled(context.Background(), slog.LevelDebug) {
		return discordgo.LogInformational
	}
	return discordgo.LogWarning
}
