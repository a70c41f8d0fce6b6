package discord

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestLibraryLoggerWritesJSON: discordgo's lines (a gateway that cannot be
// reached, say) come out as slog JSON records at the matching level.
func TestLibraryLoggerWritesJSON(t *testing.T) {
	tests := []struct {
		msgL  int
		level string
	}{
		{discordgo.LogError, "ERROR"},
		{discordgo.LogWarning, "WARN"},
		{discordgo.LogInformational, "DEBUG"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		logf := LibraryLogger(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
		logf(tt.msgL, 2, "error connecting to gateway %s, %s", "ws://127.0.0.1:1/", "connection refused")
		var rec map[string]any
		if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
			t.Fatalf("not one JSON record: %q", buf.String())
		}
		if rec["level"] != tt.level || rec["msg"] != "error connecting to gateway ws://127.0.0.1:1/, connection refused" || rec["component"] != "discordgo" {
			t.Errorf("record %v, want level %s and the formatted message", rec, tt.level)
		}
	}
}

func TestSessionLogLevelFollowsTheLogger(t *testing.T) {
	for _, tt := range []struct {
		level slog.Level
		want  int
	}{{slog.LevelDebug, discordgo.LogInformational}, {slog.LevelInfo, discordgo.LogWarning}, {slog.LevelError, discordgo.LogWarning}} {
		log := slog.New(slog.NewJSONHandler(&bytes.Buffer{}, &slog.HandlerOptions{Level: tt.level}))
		if got := libraryLogLevel(log); got != tt.want {
			t.Errorf("logger at %s: session LogLevel %d, want %d", tt.level, got, tt.want)
		}
	}
}
