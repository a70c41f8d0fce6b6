//go:build faults

package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildBinary builds the real interlock binary, with the race detector so
// that a data race in a replica shows in its log.
func buildBinary(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "interlock")
	cmd := exec.Command(goTool, "build", "-race", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// replica is one `interlock serve` process.
type replica struct {
	name string
	cmd  *exec.Cmd
	base string // http://127.0.0.1:port
	log  *syncBuffer
	done chan struct{}
	err  error // of Wait, once done is closed
}

// syncBuffer collects a process's output for the test to read.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var servingLine = regexp.MustCompile(`serving on (\S+) \(platform: (\w+)\)`)

// startReplica starts `interlock serve` with env on a free port and waits
// until it serves. It is killed when owner (t or a parent of t) ends.
func startReplica(t, owner *testing.T, bin, name string, env []string) *replica {
	t.Helper()
	r := &replica{name: name, log: &syncBuffer{}, done: make(chan struct{})}
	r.cmd = exec.Command(bin, "serve")
	r.cmd.Env = append(baseEnv(), env...)
	r.cmd.Env = append(r.cmd.Env, "INTERLOCK_HTTP_ADDR=127.0.0.1:0")
	r.cmd.Stderr = r.log
	r.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stdout, err := r.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("start replica %s: %v", name, err)
	}
	owner.Cleanup(r.kill)
	bound := make(chan string, 1)
	go r.readStdout(stdout, bound)
	go func() {
		r.err = r.cmd.Wait()
		close(r.done)
	}()
	select {
	case addr := <-bound:
		r.base = "http://" + addr
	case <-r.done:
		t.Fatalf("replica %s exited before serving (%v):\n%s", name, r.err, r.log)
	case <-time.After(60 * time.Second):
		t.Fatalf("replica %s did not serve within 60s:\n%s", name, r.log)
	}
	return r
}

func (r *replica) readStdout(stdout io.Reader, bound chan<- string) {
	s := bufio.NewScanner(stdout)
	for s.Scan() {
		line := s.Text()
		fmt.Fprintln(r.log, "stdout:", line)
		if m := servingLine.FindStringSubmatch(line); m != nil {
			select {
			case bound <- m[1]:
			default:
			}
		}
	}
}

// baseEnv is the test's environment without anything Interlock reads, so
// that only what a replica is given configures it.
func baseEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "INTERLOCK_") || strings.HasPrefix(name, "SLACK_") ||
			strings.HasPrefix(name, "DISCORD_") || name == "DATABASE_URL" || name == "REDIS_URL" || name == "LOG_LEVEL" {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// running reports whether the process is still alive.
func (r *replica) running() bool {
	select {
	case <-r.done:
		return false
	default:
		return true
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (r *replica) kill() {
	if r.running() {
		_ = r.cmd.Process.Kill()
	}
	<-r.done
}

// terminate sends SIGTERM and returns how the process exited and how long
// it took, or fails the test if it is still running after within.
func (r *replica) terminate(t *testing.T, within time.Duration) (int, time.Duration) {
	t.Helper()
	start := time.Now()
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM %s: %v", r.name, err)
	}
	select {
	case <-r.done:
	case <-time.After(within):
		t.Fatalf("replica %s still running %s after SIGTERM:\n%s", r.name, within, r.log)
	}
	took := time.Since(start)
	var exit *exec.ExitError
	if errors.As(r.err, &exit) {
		return exit.ExitCode(), took
	}
	if r.err != nil {
		t.Fatalf("wait for %s: %v", r.name, r.err)
	}
	return 0, took
}

// get fetches a path of the replica and returns its status and body.
func (r *replica) get(path string) (int, string, error) {
	resp, err := http.Get(r.base + path)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), nil
}

// hook posts a webhook body with the bearer token.
func (r *replica) hook(path, body string) (int, string, error) {
	req, err := http.NewRequest(http.MethodPost, r.base+path, strings.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Authorization", "Bearer "+webhookToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out), nil
}

// tail is the last lines of s.
func tail(s string, lines int) string {
	all := strings.Split(s, "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}
