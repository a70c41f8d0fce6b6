package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"time"
)

// scenario runs one benchmark.
type scenario struct {
	name string
	run  func(ctx context.Context, opts Options) Scenario
}

// scenarios are every benchmark, in the order they run. The timer
// scenarios run in a process of their own, so that the memory they report
// is theirs alone.
func scenarios() []scenario {
	return []scenario{
		{"ack", RunAck},
		{"crisis", RunCrisis},
		{"listening", RunListening},
		{"timers", func(ctx context.Context, opts Options) Scenario { return isolated(ctx, opts, "timers") }},
		{"footprint", RunFootprint},
	}
}

// ScenarioNames lists the scenarios Run knows.
func ScenarioNames() []string {
	var names []string
	for _, s := range scenarios() {
		names = append(names, s.name)
	}
	return names
}

// Run runs the named scenarios in order, handing each result to each as
// it completes.
func Run(ctx context.Context, opts Options, names []string, each func(Scenario)) Report {
	r := Report{Started: time.Now(), Machine: ThisMachine()}
	for _, s := range scenarios() {
		if !contains(names, s.name) || ctx.Err() != nil {
			continue
		}
		start := time.Now()
		sc := s.run(ctx, opts)
		sc.Seconds = time.Since(start).Seconds()
		if each != nil {
			each(sc)
		}
		r.Scenarios = append(r.Scenarios, sc)
	}
	r.Duration = time.Since(r.Started).Round(time.Second).String()
	return r
}

// RunChild runs a scenario that Run runs in a process of its own.
func RunChild(ctx context.Context, name string, opts Options) Scenario {
	switch name {
	case "timers":
		return RunTimers(ctx, opts)
	}
	return Scenario{Name: name, Error: fmt.Sprintf("no isolated scenario %q", name)}
}

// isolated runs a scenario in a new process of this program (opts.Self)
// and reads its result; without opts.Self it runs here.
func isolated(ctx context.Context, opts Options, name string) Scenario {
	if opts.Self == "" {
		return RunChild(ctx, name, opts)
	}
	args := []string{"-child", name}
	if opts.Quick {
		args = append(args, "-quick")
	}
	cmd := exec.CommandContext(ctx, opts.Self, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return Scenario{Name: name, Title: name, Error: fmt.Sprintf("child process: %v: %s", err, tail(stderr.String(), 2000))}
	}
	var sc Scenario
	if err := json.Unmarshal(stdout.Bytes(), &sc); err != nil {
		return Scenario{Name: name, Title: name, Error: fmt.Sprintf("child process result: %v", err)}
	}
	return sc
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
