// Command interlock-bench runs Interlock's benchmarks (make bench): it
// prints a table per scenario and the targets met or not, and writes the
// figures as JSON. No missed target makes it fail; only a broken run does.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/interlock-coe/interlock/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "interlock-bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("interlock-bench", flag.ContinueOnError)
	out := fs.String("out", "bench/results.json", "where to write the figures as JSON")
	only := fs.String("only", "", "comma-separated scenarios to run (default: all): "+strings.Join(bench.ScenarioNames(), ","))
	quick := fs.Bool("quick", false, "tiny sizes: check that the scenarios work, not how fast")
	child := fs.String("child", "", "internal: run one scenario in this process and write it as JSON")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of this process (not of isolated scenarios) to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		stop, err := profileCPU(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	opts := bench.Options{
		PostgresURL: firstSet(os.Getenv("TEST_DATABASE_URL"), os.Getenv("DATABASE_URL"), "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"),
		RedisURL:    firstSet(os.Getenv("TEST_REDIS_URL"), os.Getenv("REDIS_URL"), "redis://127.0.0.1:6379/0"),
		RepoDir:     ".",
		Quick:       *quick,
		Log:         slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})),
	}
	if *child != "" {
		sc := bench.RunChild(ctx, *child, opts)
		return json.NewEncoder(stdout).Encode(sc)
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find this program to run isolated scenarios: %w", err)
	}
	opts.Self = self
	report := bench.Run(ctx, opts, selected(*only), stdout)
	return write(stdout, *out, report)
}

func selected(only string) []string {
	if only == "" {
		return bench.ScenarioNames()
	}
	return strings.Split(only, ",")
}

func write(stdout io.Writer, path string, r bench.Report) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode results: %w", err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("write results: %w", err)
	}
	fmt.Fprintf(stdout, "\nfigures written to %s (%s)\n", path, time.Now().Format(time.RFC3339))
	return nil
}

// profileCPU starts a CPU profile written to path; call stop to finish it.
func profileCPU(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create CPU profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("start CPU profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

func firstSet(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
