package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
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
		{"mentions", RunMentions},
		{"timers", RunTimers},
		{"center", RunCenter},
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

// Run runs the named scenarios in order, printing each to w as it
// completes (nothing when w is nil), then the targets.
func Run(ctx context.Context, opts Options, names []string, w io.Writer) Report {
	if w == nil {
		w = io.Discard
	}
	r := Report{Started: time.Now(), Machine: ThisMachine()}
	r.PrintHeader(w)
	for _, s := range scenarios() {
		if !contains(names, s.name) || ctx.Err() != nil {
			continue
		}
		start := time.Now()
		sc := s.run(ctx, opts)
		sc.Seconds = time.Since(start).Seconds()
		if sc.Targets == nil {
			sc.Targets = []Target{} // "targets": [] rather than null
		}
		sc.Print(w)
		r.Scenarios = append(r.Scenarios, sc)
	}
	r.Machine.LoadAfter = loadAverage()
	r.Duration = time.Since(r.Started).Round(time.Second).String()
	r.PrintTargets(w)
	return r
}

// RunChild runs a scenario that Run runs in a process of its own.
func RunChild(ctx context.Context, name string, opts Options) Scenario {
	switch name {
	case "timers-postgres":
		return RunTimersOn(ctx, opts, "postgres")
	case "timers-embedded":
		return RunTimersOn(ctx, opts, "embedded")
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
