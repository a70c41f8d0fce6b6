package redis_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/store/coordtest"
	"github.com/interlock-coe/interlock/store/redis"
)

// TestEventsCrossReplicas: a notice published by one replica reaches a
// page subscribed on another (two clients, one prefix).
func TestEventsCrossReplicas(t *testing.T) {
	url, prefix := coordtest.RedisURL(t)
	replicas := make([]*redis.Coordinator, 2)
	for i := range replicas {
		c, err := redis.New(t.Context(), url, prefix, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		replicas[i] = c
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	ch, err := replicas[1].Subscribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := replicas[0].Publish(ctx, "crisis"); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-ch:
		if got != "crisis" {
			t.Errorf("heard %q, want crisis", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the other replica heard nothing")
	}
}
