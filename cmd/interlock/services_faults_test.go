//go:build faults

package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	goredis "github.com/redis/go-redis/v9"
)

// Passwords the throwaway servers are given; they appear in DATABASE_URL and
// REDIS_URL, so the logs must never show them.
const (
	dbPassword    = "faults-db-password-4c1f"
	redisPassword = "faults-redis-password-9e2a"
)

// need skips the test when a server binary is missing, or fails it under
// CI=true, where every fault scenario must run.
func need(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true: %s is needed for the fault tests", what)
	}
	t.Skipf("%s is not installed; skipping the fault tests", what)
}

// freePort returns a TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// pgCluster is a throwaway PostgreSQL cluster of this test alone, so that
// it can be stopped and started without disturbing other tests.
type pgCluster struct {
	bin     string // directory of initdb and pg_ctl
	dir     string // socket directory, log and data
	port    int
	runAsPG bool // the servers refuse to run as root: use the postgres user
}

// startPostgres initialises and starts a cluster on a free port with trust
// authentication; it is stopped and removed when the test ends.
func startPostgres(t *testing.T) *pgCluster {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(bins, func(a, b string) int { return pgVersion(a) - pgVersion(b) })
	if len(bins) == 0 {
		need(t, "PostgreSQL (/usr/lib/postgresql/*/bin)")
	}
	c := &pgCluster{bin: bins[len(bins)-1], port: freePort(t), runAsPG: os.Geteuid() == 0}
	dir, err := os.MkdirTemp("", "interlock-faults-pg-")
	if err != nil {
		t.Fatal(err)
	}
	c.dir = dir
	t.Cleanup(func() { os.RemoveAll(dir) })
	if c.runAsPG {
		c.chownToPostgres(t)
	}
	c.run(t, "initdb", "-D", c.data(), "-A", "trust", "-U", "postgres", "--no-sync")
	t.Cleanup(func() { _ = c.cmd("pg_ctl", "-D", c.data(), "-m", "immediate", "-w", "stop").Run() })
	c.start(t)
	return c
}

func pgVersion(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func (c *pgCluster) chownToPostgres(t *testing.T) {
	t.Helper()
	u, err := user.Lookup("postgres")
	if err != nil {
		need(t, "the postgres system user")
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(c.dir, uid, gid); err != nil {
		t.Fatal(err)
	}
}

func (c *pgCluster) data() string { return filepath.Join(c.dir, "data") }

// URL is the cluster's postgres database, with a password that trust
// authentication ignores (to check that it is never logged).
func (c *pgCluster) URL() string {
	return fmt.Sprintf("postgres://postgres:%s@127.0.0.1:%d/postgres?sslmode=disable", dbPassword, c.port)
}

func (c *pgCluster) cmd(tool string, args ...string) *exec.Cmd {
	path := filepath.Join(c.bin, tool)
	if c.runAsPG {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	}
	return exec.Command(path, args...)
}

func (c *pgCluster) run(t *testing.T, tool string, args ...string) {
	t.Helper()
	if out, err := c.cmd(tool, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, out)
	}
}

// start starts the server and waits until it accepts connections.
func (c *pgCluster) start(t *testing.T) {
	t.Helper()
	opts := fmt.Sprintf("-k %s -h 127.0.0.1 -p %d -c fsync=off -c max_connections=100", c.dir, c.port)
	c.run(t, "pg_ctl", "-D", c.data(), "-o", opts, "-l", filepath.Join(c.dir, "log"), "-w", "-t", "60", "start")
}

// stop shuts the server down the way an operator or a failover does:
// sessions are ended, nothing is accepted until start.
func (c *pgCluster) stop(t *testing.T) {
	t.Helper()
	c.run(t, "pg_ctl", "-D", c.data(), "-m", "fast", "-w", "stop")
}

// query runs one query on a fresh connection and scans its single row.
func (c *pgCluster) query(t *testing.T, sql string, args []any, dest ...any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.URL())
	if err != nil {
		t.Fatalf("connect to the test cluster: %v", err)
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, sql, args...).Scan(dest...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// redisServer is a throwaway redis-server of this test alone: the bot's
// keys (prefix "interlock:") cannot collide with other tests', and it can
// be stopped to show what replicas do without coordination.
type redisServer struct {
	dir  string
	port int
	proc *exec.Cmd
}

func startRedis(t *testing.T) *redisServer {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		need(t, "redis-server")
	}
	r := &redisServer{dir: t.TempDir(), port: freePort(t)}
	r.start(t)
	t.Cleanup(r.stop)
	return r
}

// URL is database 0 of the server, with its password.
func (r *redisServer) URL() string {
	return fmt.Sprintf("redis://:%s@127.0.0.1:%d/0", redisPassword, r.port)
}

func (r *redisServer) start(t *testing.T) {
	t.Helper()
	r.proc = exec.Command("redis-server", "--port", strconv.Itoa(r.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", r.dir, "--requirepass", redisPassword,
		"--logfile", filepath.Join(r.dir, "redis.log"))
	r.proc.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := r.proc.Start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	opts, err := goredis.ParseURL(r.URL())
	if err != nil {
		t.Fatal(err)
	}
	client := goredis.NewClient(opts)
	defer client.Close()
	eventually(t, 20*time.Second, "redis-server answers PING", func() error {
		return client.Ping(context.Background()).Err()
	})
}

// stop kills the server; start brings it back empty.
func (r *redisServer) stop() {
	if r.proc == nil {
		return
	}
	_ = r.proc.Process.Kill()
	_ = r.proc.Wait()
	r.proc = nil
}

// eventually polls check until it returns nil or the deadline passes.
func eventually(t *testing.T, within time.Duration, what string, check func() error) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s: %v", what, within, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
