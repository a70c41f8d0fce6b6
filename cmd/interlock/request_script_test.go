package main

import (
	"strings"
	"testing"
)

// The service-catalogue script of issue 17's "done when", run through the
// real shell (its clock is the wall clock, so the dates themselves are
// checked in commands/request): the fourth listening report of a week is
// queued with the reason, :advance produces each reminder and late note
// once, and /workload counts what was created.
func TestShellRequestScript(t *testing.T) {
	const report = "/request listening-report Q4 --brand acme --question why did sentiment drop --due-by next week\n"
	out := runShell(t, t.TempDir(), `/role assign analytics @sam
@priya `+report+`@priya `+report+`@omar `+report+`@omar `+report+`@sam /request claim 1
@sam /request update 1 first numbers are in
@priya /request tarot-reading what next
/workload @sam
:advance 30d
@sam /request done 1 --link https://drive.example.com/q4
/workload @sam
/workload
`)
	for _, want := range []string{
		"Request #1 placed: listening-report for Q4",
		"Queued: listening-report takes 3 requests a week and this week is full",
		"🙋 @sam claimed request #1",
		"🔄 Update on your request #1 (listening-report) from @sam: first numbers are in",
		`unknown service "tarot-reading"; services: listening-report`,
		"✅ request #1 (listening-report) delivered by @sam",
		"@sam: 1 request · 0 routed issues · 0 crisis rooms · 0 content approvals (1 in all)",
		"@sam: 0 requests",
		"Team: 0 requests",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	for _, once := range []string{"⏰ Reminder: request #1 ", "request #1 (listening-report) for @priya is late", "request #4 (listening-report) for @omar is late"} {
		if n := strings.Count(out, once); n != 1 {
			t.Errorf("%q appears %d times, want once", once, n)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}
