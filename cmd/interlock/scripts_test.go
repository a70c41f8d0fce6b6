package main

import (
	"strings"
	"testing"
)

// The scripts of the issues' "done when", run through the real shell.

func TestShellCrisisScript(t *testing.T) {
	out := runShell(t, t.TempDir(), `/role assign comms @sam
/role assign legal @dana
/role assign spokesperson @maria
/role assign customer-care @lee
/role assign exec @jordan
/crisis open sev2 Checkout outage --brand acme
:rooms
#crisis-2 @lee /crisis status Payments confirm root cause
#crisis-2 /crisis decide Pause paid social for 48h
#crisis-2 /crisis propose We know checkout is failing and are fixing it.
@noah /crisis approve 1
@sam /crisis approve 1
@dana /crisis approve 1
:advance 31m
#crisis-2 /crisis resolve Checkout restored
`)
	for _, want := range []string{
		"+ created private room #crisis-",
		"📌 pinned in #crisis-",
		"Approvers: comms (@sam), legal (@dana) — quorum 2 of 2",
		"⚠ only holders of comms or legal may answer proposal #1",
		"approved proposal #1 as comms (1 of 2)",
		"Proposal #1 is approved — quorum met",
		"⏰ Check-in for crisis #1 (sev2, every 30m): no status since",
		"Time to first approved response:",
		"Decisions: #", "Pause paid social for 48h",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	// Exactly the sev2 role holders (and the opener) are invited: not @jordan (exec is sev1).
	invite := lineWith(out, "+ invited to #crisis-")
	for _, p := range []string{"@alex", "@sam", "@maria", "@dana", "@lee"} {
		if !strings.Contains(invite, p) {
			t.Errorf("invitation lacks %s: %s", p, invite)
		}
	}
	if strings.Contains(invite, "@jordan") {
		t.Errorf("sev2 must not invite exec: %s", invite)
	}
	checkIn := lineWith(out, "⏰ Check-in")
	if strings.Contains(checkIn, "@lee") || !strings.Contains(checkIn, "@alex") {
		t.Errorf("check-in should name the silent members only: %s", checkIn)
	}
	if t.Failed() {
		t.Log(out)
	}
}

func TestShellRoutingScript(t *testing.T) {
	out := runShell(t, t.TempDir(), `/role assign customer-care @lee
/role assign customer-care @maria --backup
/role assign sales @chris
/role assign legal @dana
/route auto My order never arrived, the shipment is lost --brand acme
/route auto Can I get a quote for 200 units? --brand globex
/route auto Please send me the data you hold on me under GDPR --brand acme
:advance 31m
:advance 31m
@lee /route claim 1
@lee /route answer 1 Sorry! A replacement ships today.
/route list --open
`)
	for _, want := range []string{
		"Routed #1 to Customer Care", "Routed #2 to Sales", "Routed #3 to Legal",
		"⏰ Reminder: routed issue #1",
		"🚨 Escalated: routed issue #1", "@maria (backup for customer-care)",
		"@lee claimed #1", "@lee answered #1",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}

func TestShellTestingSheetScript(t *testing.T) {
	out := runShell(t, t.TempDir(), `/test propose Question CTA vs statement CTA --brand acme
@dana /test propose Hashtags vs none --brand globex
@sam /test propose Collab posts vs tags --brand umbrella
@dana /test vote 1
@sam /test vote 3
@lee /test vote 3
:advance 32d
/test result 3 a=120/4000 b=165/4000
/test sheet
`)
	for _, want := range []string{
		"🎯 Test #3 picked: Collab posts vs tags",
		"Lift (B vs A): +37.5%", "p-value: 0.0066",
		"id,title,hypothesis,metric,brand,channel,proposer,votes,status,owner,result,replications",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}

func lineWith(out, part string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, part) {
			return l
		}
	}
	return ""
}
