package coordtest

import (
	"context"
	"crypto/rand"
	"os"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// defaultRedisURL is where the test server runs unless the environment
// says otherwise.
const defaultRedisURL = "redis://127.0.0.1:6379/0"

// RedisURL returns the URL of the Redis server for tests (TEST_REDIS_URL,
// else REDIS_URL, else the local default) and a key prefix unique to t
// ("itest:<random>:"). Keys under the prefix are deleted when t ends. When
// the server does not answer, t is skipped, or failed when CI=true so that a
// CI run cannot pass without the server.
func RedisURL(t testing.TB) (url, prefix string) {
	t.Helper()
	url = redisURLFromEnv()
	opts, err := goredis.ParseURL(url)
	if err != nil {
		t.Fatalf("test Redis URL is invalid: %v", err)
	}
	// Find out at once whether the server is there, not after retries.
	opts.MaxRetries, opts.DialerRetries = -1, 1
	client := goredis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		unreachable(t, opts.Addr, err)
	}
	prefix = "itest:" + strings.ToLower(rand.Text()) + ":"
	t.Cleanup(func() {
		defer client.Close()
		if err := deletePrefix(context.Background(), client, prefix); err != nil {
			t.Errorf("delete test keys %s*: %v", prefix, err)
		}
	})
	return url, prefix
}

// redisURLFromEnv picks the test server's URL.
func redisURLFromEnv() string {
	for _, name := range []string{"TEST_REDIS_URL", "REDIS_URL"} {
		if url := os.Getenv(name); url != "" {
			return url
		}
	}
	return defaultRedisURL
}

// unreachable fails t on CI and skips it elsewhere.
func unreachable(t testing.TB, addr string, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("Redis at %s is unreachable (%v); CI must run a Redis server (set TEST_REDIS_URL)", addr, err)
	}
	t.Skipf("Redis at %s is unreachable (%v); set TEST_REDIS_URL to run these tests", addr, err)
}

// deletePrefix deletes every key starting with prefix, which must hold no
// glob characters.
func deletePrefix(ctx context.Context, client *goredis.Client, prefix string) error {
	iter := client.Scan(ctx, 0, prefix+"*", 500).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		return err
	}
	if len(keys) == 0 {
		return nil
	}
	return client.Del(ctx, keys...).Err()
}
