package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// defaultServer is the PostgreSQL server tried when the environment names
// none: a local one with trust authentication.
const defaultServer = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// PostgresURL returns the URL of a fresh, empty database made for this test
// alone (dropped, connections and all, when it ends), so that tests run in
// parallel. The server is $TEST_DATABASE_URL, else $DATABASE_URL, else a
// local one. When the server cannot be reached the test is skipped, or
// fails if $CI is "true".
func PostgresURL(t testing.TB) string {
	t.Helper()
	server := serverURL()
	u, err := url.Parse(server)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("storetest: the PostgreSQL server must be given as a postgres:// URL (TEST_DATABASE_URL or DATABASE_URL)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		serverUnreachable(t, u, err)
	}
	defer conn.Close(ctx)

	name := "itest_" + randomHex(8)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("storetest: create database %s on %s: %v", name, u.Redacted(), err)
	}
	t.Cleanup(func() { dropDatabase(t, server, name) })
	u.Path = "/" + name
	return u.String()
}

func serverURL() string {
	for _, key := range []string{"TEST_DATABASE_URL", "DATABASE_URL"} {
		if v := os.Getenv(key); v != "" {
			return v
		}
	}
	return defaultServer
}

// serverUnreachable skips the test, or fails it in CI where PostgreSQL must
// be there.
func serverUnreachable(t testing.TB, u *url.URL, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("storetest: PostgreSQL at %s is unreachable, and CI=true requires it: %v", u.Redacted(), err)
	}
	t.Skipf("storetest: skipping, PostgreSQL at %s is unreachable (set TEST_DATABASE_URL to use another server): %v", u.Redacted(), err)
}

func dropDatabase(t testing.TB, server, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Errorf("storetest: drop database %s: %v", name, err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		t.Errorf("storetest: drop database %s: %v", name, err)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}
