package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	goredis "github.com/redis/go-redis/v9"
)

// Options say where the servers are and how big the runs are.
type Options struct {
	PostgresURL string // a server URL; each scenario makes its own database on it
	RedisURL    string
	RepoDir     string // the module root, for building the binary
	Quick       bool   // tiny sizes: checks the scenarios work, measures nothing useful
	Self        string // this program, to run scenarios in a process of their own; "" = in this one
	Log         *slog.Logger
}

func (o Options) logger() *slog.Logger {
	if o.Log == nil {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return o.Log
}

// scale picks the full-size figure, or the quick one.
func (o Options) scale(full, quick int) int {
	if o.Quick {
		return quick
	}
	return full
}

// span picks the full-size duration, or the quick one.
func (o Options) span(full, quick time.Duration) time.Duration {
	if o.Quick {
		return quick
	}
	return full
}

// resources are the databases and Redis prefixes one scenario made; Close
// removes them.
type resources struct {
	opts     Options
	mu       sync.Mutex
	dbs      []string
	prefixes []string
	cleanups []func()
}

// cleanup runs f on Close.
func (r *resources) cleanup(f func()) {
	r.mu.Lock()
	r.cleanups = append(r.cleanups, f)
	r.mu.Unlock()
}

func newResources(opts Options) *resources { return &resources{opts: opts} }

// database creates an empty PostgreSQL database and returns its URL.
func (r *resources) database(ctx context.Context) (string, error) {
	u, err := url.Parse(r.opts.PostgresURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", errors.New("the PostgreSQL server must be a postgres:// URL")
	}
	conn, err := pgx.Connect(ctx, r.opts.PostgresURL)
	if err != nil {
		return "", fmt.Errorf("connect to PostgreSQL at %s: %w", u.Redacted(), err)
	}
	defer conn.Close(ctx)
	name := "bench_" + randomHex(6)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	r.mu.Lock()
	r.dbs = append(r.dbs, name)
	r.mu.Unlock()
	u.Path = "/" + name
	return u.String(), nil
}

// redisPrefix returns a key prefix no one else uses, after checking that
// the server answers.
func (r *resources) redisPrefix(ctx context.Context) (string, error) {
	client, err := r.redisClient()
	if err != nil {
		return "", err
	}
	defer client.Close()
	if err := client.Ping(ctx).Err(); err != nil {
		return "", fmt.Errorf("redis at %s: %w", client.Options().Addr, err)
	}
	prefix := "bench:" + randomHex(6) + ":"
	r.mu.Lock()
	r.prefixes = append(r.prefixes, prefix)
	r.mu.Unlock()
	return prefix, nil
}

func (r *resources) redisClient() (*goredis.Client, error) {
	opts, err := goredis.ParseURL(r.opts.RedisURL)
	if err != nil {
		return nil, errors.New("the Redis server must be a redis:// URL")
	}
	return goredis.NewClient(opts), nil
}

// Close drops the databases and deletes the keys made.
func (r *resources) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var errs []error
	for _, f := range r.cleanups {
		f()
	}
	if len(r.dbs) > 0 {
		errs = append(errs, r.dropDatabases(ctx))
	}
	if len(r.prefixes) > 0 {
		errs = append(errs, r.deleteKeys(ctx))
	}
	return errors.Join(errs...)
}

func (r *resources) dropDatabases(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, r.opts.PostgresURL)
	if err != nil {
		return fmt.Errorf("drop bench databases: %w", err)
	}
	defer conn.Close(ctx)
	var errs []error
	for _, name := range r.dbs {
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			errs = append(errs, fmt.Errorf("drop database %s: %w", name, err))
		}
	}
	return errors.Join(errs...)
}

func (r *resources) deleteKeys(ctx context.Context) error {
	client, err := r.redisClient()
	if err != nil {
		return err
	}
	defer client.Close()
	for _, prefix := range r.prefixes {
		iter := client.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		var keys []string
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if err := iter.Err(); err != nil {
			return fmt.Errorf("list keys %s*: %w", prefix, err)
		}
		for len(keys) > 0 {
			n := min(len(keys), 1000)
			if err := client.Del(ctx, keys[:n]...).Err(); err != nil {
				return fmt.Errorf("delete keys %s*: %w", prefix, err)
			}
			keys = keys[n:]
		}
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

// redact hides a URL's password for notes.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "?"
	}
	return strings.TrimSuffix(u.Redacted(), "/")
}
