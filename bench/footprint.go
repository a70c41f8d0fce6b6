package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"syscall"
	"time"
)

// footprintIdle is how long the process idles before its RSS is read.
const footprintIdle = 5 * time.Second

// RunFootprint builds the static binary as `make build` does and measures
// its size, the time `interlock serve` (embedded store, no chat platform)
// takes from exec to /readyz answering 200, and its idle RSS.
func RunFootprint(ctx context.Context, opts Options) Scenario {
	sc := Scenario{Name: "footprint", Title: "5. Footprint (interlock serve, embedded store, no chat platform)"}
	dir, err := os.MkdirTemp("", "interlock-bench-")
	if err != nil {
		return failed(sc, err)
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "interlock")
	built := time.Now()
	if err := build(ctx, opts.RepoDir, bin); err != nil {
		return failed(sc, err)
	}
	buildTime := time.Since(built)
	info, err := os.Stat(bin)
	if err != nil {
		return failed(sc, err)
	}
	data := filepath.Join(dir, "data")
	first, _, err := startServe(ctx, bin, data, false)
	if err != nil {
		return failed(sc, err)
	}
	var restarts []time.Duration
	var idle uint64
	for i := range opts.scale(3, 1) {
		ready, rssIdle, err := startServe(ctx, bin, data, i == 0)
		if err != nil {
			return failed(sc, err)
		}
		restarts = append(restarts, ready)
		idle = max(idle, rssIdle)
	}
	slices.Sort(restarts)
	sc.Table.Columns = []Column{{Name: "figure"}, {Name: "value"}}
	sc.Table.Add("binary size, CGO_ENABLED=0 -trimpath -ldflags '-s -w' (MiB)", megabytes(uint64(info.Size())))
	sc.Table.Add("start-up to /readyz 200, new data dir (creates and migrates the store) (ms)", ms(first))
	sc.Table.Add(fmt.Sprintf("start-up to /readyz 200, restart, median of %d (ms)", len(restarts)), ms(restarts[len(restarts)/2]))
	sc.Table.Add(fmt.Sprintf("idle RSS, %s after ready (MiB)", footprintIdle), megabytes(idle))
	sc.Notes = []string{
		"The issue sets no limits for the footprint: these figures are reported, not judged.",
		fmt.Sprintf("Build took %.0f s (Go build cache included). Start-up is timed from exec to the first 200 from GET /readyz, polled every 2 ms.", buildTime.Seconds()),
	}
	return sc
}

func build(ctx context.Context, repo, out string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", out, "./cmd/interlock")
	cmd.Dir = repo
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v: %s", err, b)
	}
	return nil
}

var servingLine = regexp.MustCompile(`serving on (\S+)`)

// startServe runs `interlock serve` on the data directory until /readyz
// answers 200, optionally idles and reads its RSS, and stops it.
func startServe(ctx context.Context, bin, data string, idle bool) (ready time.Duration, rssIdle uint64, err error) {
	cmd := exec.CommandContext(ctx, bin, "serve")
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.TempDir(), "INTERLOCK_DATA_DIR=" + data,
		"INTERLOCK_HTTP_ADDR=127.0.0.1:0", "LOG_LEVEL=error",
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, 0, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, fmt.Errorf("start interlock serve: %w", err)
	}
	defer stop(cmd)
	addr, err := boundAddress(stdout, 30*time.Second)
	if err != nil {
		return 0, 0, err
	}
	if err := pollReady("http://"+addr+"/readyz", 30*time.Second); err != nil {
		return 0, 0, err
	}
	ready = time.Since(start)
	if idle {
		time.Sleep(footprintIdle)
		st, err := procStatus(cmd.Process.Pid, "VmRSS")
		if err != nil {
			return ready, 0, err
		}
		rssIdle = st["VmRSS"]
	}
	return ready, rssIdle, nil
}

// boundAddress reads serve's stdout until it says where it listens.
func boundAddress(stdout io.Reader, limit time.Duration) (string, error) {
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case addr := <-found:
		return addr, nil
	case <-time.After(limit):
		return "", errors.New("interlock serve never said where it listens")
	}
}

func pollReady(url string, limit time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		resp, err := client.Get(url)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	return fmt.Errorf("%s never answered 200", url)
}

// stop asks the process to shut down and waits for it.
func stop(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}
