package main

import (
	"strings"
	"testing"
)

// The content-approval script of issue 16's "done when", run through the
// real shell: one item per sensitivity, high through comms then legal with
// the reminder, the escalation, changes and a second version; the
// submitter's own approval refused; a fast-tracked regulated item in
// parallel that still needs legal.
func TestShellContentScript(t *testing.T) {
	out := runShell(t, t.TempDir(), `/role assign comms @sam
/role assign comms @lee
/role assign legal @dana
/role assign legal @maria --backup
/role assign exec @jordan
@priya /content submit Weekly tips --link https://cms.example.com/1 --sensitivity low
/content approve 1
@sam /content submit Product FAQ --link https://cms.example.com/2 --sensitivity medium
@sam /content approve 2
@lee /content approve 2
@priya /content submit Spring launch --link https://cms.example.com/3 --sensitivity high --brand acme
@sam /content approve 3 good to go
:advance 4h1m
:advance 4h
@dana /content changes 3 Add the disclaimer
@priya /content resubmit 3 --link https://cms.example.com/3v2
@dana /content approve 3
/content show 3
@priya /content submit Recall notice --link https://cms.example.com/4 --sensitivity regulated --fast-track safety issue
@jordan /content approve 4
@sam /content approve 4
/content list --stage legal
@dana /content approve 4
`)
	for _, want := range []string{
		"Content #1 is approved",
		"⚠ you submitted stage comms of content #2: segregation of duties means someone else must answer it",
		"Content #2 is approved",
		"Stage comms of content #3 passed",
		"⏰ Reminder: content #3 (high): Spring launch waits for you at stage legal",
		"🚨 Escalated to you (backup for legal)",
		"Content #3 resubmitted as version 2",
		"Content #3 is approved — every stage passed (high, version 2)",
		"v1 [legal] @dana changes: as legal: Add the disclaimer",
		"v2 [legal] @dana approved",
		"Stage comms asks comms", "Stage legal asks legal", "Stage exec asks exec",
		"Still waiting on stage legal",
		"#4 Recall notice [regulated] by @priya — in-review, waiting on legal",
		"Content #4 is approved",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}
