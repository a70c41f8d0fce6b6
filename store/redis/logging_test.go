package redis_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/interlock-coe/interlock/store/redis"
)

func TestLibraryLoggerWritesJSON(t *testing.T) {
	var buf bytes.Buffer
	l := redis.LibraryLogger{Log: slog.New(slog.NewJSONHandler(&buf, nil))}
	l.Printf(context.Background(), "redis: connection pool: failed to dial after %d attempts: %v\n", 5, "dial tcp 127.0.0.1:1: connect: connection refused")
	var rec map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatalf("not one JSON record: %q", buf.String())
	}
	want := "redis: connection pool: failed to dial after 5 attempts: dial tcp 127.0.0.1:1: connect: connection refused"
	if rec["level"] != "WARN" || rec["msg"] != want || rec["component"] != "go-redis" {
		t.Errorf("record %v", rec)
	}
}
