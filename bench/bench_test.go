package bench

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/store/coordtest"
	"github.com/interlock-coe/interlock/store/storetest"
)

func TestCriticalPath(t *testing.T) {
	at := time.Unix(0, 0)
	call := func(method string, from, to int) apiCall {
		return apiCall{method: method, start: at.Add(time.Duration(from) * time.Millisecond), end: at.Add(time.Duration(to) * time.Millisecond)}
	}
	pin := call("pins.add", 160, 210)
	calls := []apiCall{
		call("chat.postMessage", 55, 105), // alongside the invite, after the room
		call("conversations.create", 0, 50),
		call("users.lookupByEmail", 52, 80),
		call("conversations.invite", 81, 150),
		call("conversations.setTopic", 55, 100),
		pin,
	}
	got := pathText(criticalPath(calls, pin))
	if want := "conversations.create → users.lookupByEmail → conversations.invite → pins.add"; got != want {
		t.Fatalf("critical path %q, want %q", got, want)
	}
}

func TestPathTextCountsRuns(t *testing.T) {
	calls := []apiCall{{method: "a"}, {method: "b"}, {method: "b"}, {method: "b"}, {method: "c"}}
	if got := pathText(calls); got != "a → b ×3 → c" {
		t.Fatalf("pathText = %q", got)
	}
}

func TestSummary(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	s := summarize(ds)
	if s.N != 100 || s.P50 != 50*time.Millisecond || s.P99 != 99*time.Millisecond || s.Max != 100*time.Millisecond {
		t.Fatalf("summary %+v", s)
	}
	if (summarize(nil) != Summary{}) {
		t.Fatal("summary of nothing is not zero")
	}
}

func TestTargets(t *testing.T) {
	tests := []struct {
		target Target
		met    bool
		got    string
	}{
		{below("p99", 49.5, 50, "ms"), true, "49.5 ms"},
		{below("p99", 50, 50, "ms"), false, "50.0 ms"},
		{atMost("trips", 4, 4, ""), true, "4.00"},
		{atLeast("rate", 19999, 20000, "points/s"), false, "19,999 points/s"},
		{atLeast("ratio", 50, 50, "%"), true, "50.0%"},
	}
	for _, tt := range tests {
		if tt.target.Met != tt.met || tt.target.Got != tt.got {
			t.Errorf("%s: met %v got %q, want %v %q", tt.target.Name, tt.target.Met, tt.target.Got, tt.met, tt.got)
		}
	}
}

func TestPrint(t *testing.T) {
	sc := Scenario{Name: "x", Title: "X", Table: Table{Columns: []Column{{Name: "load"}, {Name: "rate", Unit: "req/s"}}}}
	sc.Table.Add("10 clients", 12345.6)
	sc.Targets = []Target{atLeast("rate", 12345.6, 20000, "req/s")}
	var out bytes.Buffer
	sc.Print(&out)
	Report{Scenarios: []Scenario{sc}}.PrintTargets(&out)
	for _, want := range []string{"rate (req/s)", "12,346", "NOT MET", "0 of 1 targets met"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestScenariosRun runs every scenario but the footprint (which builds the
// binary) at tiny sizes against the real servers: it checks that they
// work, not how fast anything is.
func TestScenariosRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the scenarios against PostgreSQL and Redis")
	}
	redisURL, _ := coordtest.RedisURL(t)
	opts := Options{
		PostgresURL: storetest.PostgresURL(t), RedisURL: redisURL, Quick: true,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	names := []string{"ack", "crisis", "listening", "mentions", "timers"}
	report := Run(context.Background(), opts, names, nil)
	if len(report.Scenarios) != len(names) {
		t.Fatalf("%d scenarios ran, want %d", len(report.Scenarios), len(names))
	}
	for _, sc := range report.Scenarios {
		if sc.Error != "" {
			t.Errorf("%s: %s", sc.Name, sc.Error)
		}
		for _, n := range sc.Notes {
			if strings.Contains(n, "FAILED") {
				t.Errorf("%s: %s", sc.Name, n)
			}
		}
		if len(sc.Table.Rows) == 0 || len(sc.Targets) == 0 {
			t.Errorf("%s: no figures or no targets", sc.Name)
		}
		for _, tg := range sc.Targets {
			if tg.Got == "not measured" {
				t.Errorf("%s: target %q not measured", sc.Name, tg.Name)
			}
		}
	}
}
