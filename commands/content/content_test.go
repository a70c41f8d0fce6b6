package content_test

import (
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/content"
	"github.com/interlock-coe/interlock/commands/decision"
	"github.com/interlock-coe/interlock/commands/kpi"
	"github.com/interlock-coe/interlock/commands/role"
	"github.com/interlock-coe/interlock/store"
)

func newHarness(t *testing.T, opts ...commandstest.Option) *commandstest.Harness {
	t.Helper()
	h := commandstest.New(t, []commandstest.Register{role.Register, decision.Register, content.Register}, opts...)
	for _, line := range []string{
		"/role assign comms @sam",
		"/role assign legal @dana",
		"/role assign legal @maria --backup",
		"/role assign exec @jordan",
	} {
		if r := h.Say(line); r.Err != nil {
			t.Fatalf("%s: %v", line, r.Err)
		}
	}
	return h
}

// dms returns the plain text of every direct message person received.
func dms(h *commandstest.Harness, person string) []string {
	var out []string
	for _, e := range h.Chat.Events("dm") {
		if e.Channel == "@"+person {
			out = append(out, bot.PlainText(e.Message))
		}
	}
	return out
}

func lastDM(t *testing.T, h *commandstest.Harness, person string) string {
	t.Helper()
	got := dms(h, person)
	if len(got) == 0 {
		t.Fatalf("@%s received nothing", person)
	}
	return got[len(got)-1]
}

// eachStore runs a conversation on the embedded store and on PostgreSQL.
func eachStore(t *testing.T, run func(t *testing.T, h *commandstest.Harness)) {
	for name, opts := range commandstest.Stores() {
		t.Run(name, func(t *testing.T) { run(t, newHarness(t, opts...)) })
	}
}

func TestHighPassesCommsThenLegalWithRemindersChangesAndVersions(t *testing.T) {
	eachStore(t, func(t *testing.T, h *commandstest.Harness) {
		h.Say("@priya /content submit Spring launch post --link https://drive.example.com/d/42 --sensitivity high --brand acme --channel instagram").
			Contains(t, "Content #1 submitted (high, 2 stages): Spring launch post", "Stage comms asks comms (@sam")
		ask := h.Chat.Events("dm")
		if len(ask) != 1 || ask[0].Channel != "@sam" || len(ask[0].Message.Buttons) != 3 ||
			ask[0].Message.Buttons[0].Command != "/content approve 1" || ask[0].Message.Buttons[2].Label != "Reject" {
			t.Fatalf("approval request = %+v", ask)
		}
		h.Say("@dana /content approve 1").Fails(t, bot.EForbidden, "only holders of comms")
		h.Say("@sam /content approve 1 looks good").Contains(t, "Stage comms of content #1 passed", "Stage legal asks legal (@dana")
		if !strings.Contains(lastDM(t, h, "dana"), "Approval needed — content #1 (high): Spring launch post (stage legal, version 1)") {
			t.Errorf("legal was not asked: %s", lastDM(t, h, "dana"))
		}

		h.Advance(4*time.Hour + time.Minute) // half the 8h legal target
		if !strings.Contains(lastDM(t, h, "dana"), "⏰ Reminder: content #1") {
			t.Errorf("no reminder at half the target: %s", lastDM(t, h, "dana"))
		}
		if got := dms(h, "maria"); len(got) != 0 {
			t.Errorf("backup called before the target: %v", got)
		}
		h.Advance(4 * time.Hour)
		if !strings.Contains(lastDM(t, h, "maria"), "🚨 Escalated to you (backup for legal)") {
			t.Errorf("backup not called at the target: %v", dms(h, "maria"))
		}
		if !strings.Contains(lastDM(t, h, "alex"), "escalated to @maria") {
			t.Errorf("social lead not told: %v", dms(h, "alex"))
		}
		reminders := len(dms(h, "dana"))
		h.Advance(24 * time.Hour)
		if len(dms(h, "dana")) != reminders || len(dms(h, "maria")) != 1 {
			t.Error("a reminder or escalation fired twice")
		}

		h.Say("@dana /content changes 1 Add the legal disclaimer").Contains(t, "sent content #1 back to @priya")
		if !strings.Contains(lastDM(t, h, "priya"), "Add the legal disclaimer") {
			t.Errorf("submitter not told: %s", lastDM(t, h, "priya"))
		}
		h.Say("@dana /content approve 1").Fails(t, bot.EConflict, "back with @priya")
		h.Say("@sam /content resubmit 1").Fails(t, bot.EForbidden, "only @priya")
		h.Say("@priya /content resubmit 1 --link https://drive.example.com/d/43").
			Contains(t, "resubmitted as version 2", "Stage legal asks legal (@dana")
		h.Say("@dana /content approve 1 ok now").Contains(t, "Content #1 is approved — every stage passed (high, version 2)", "https://drive.example.com/d/43")
		if !strings.Contains(lastDM(t, h, "priya"), "is approved") {
			t.Errorf("submitter not told of the approval")
		}
		h.Say("@sam /content approve 1").Fails(t, bot.EConflict, "already approved")

		h.Say("/content show 1").Contains(t,
			"v1 @priya submitted: https://drive.example.com/d/42",
			"v1 [comms] @sam approved: as comms: looks good",
			"v1 [comms] stage-passed",
			"v1 [legal] reminded", "v1 [legal] escalated",
			"v1 [legal] @dana changes: as legal: Add the legal disclaimer",
			"v2 [legal] @priya resubmitted: https://drive.example.com/d/43",
			"v2 [legal] @dana approved: as legal: ok now",
			"v2 @dana final")
		h.Say("/decisions content").Contains(t, "[approval] content #1 approved (high, version 2)")
	})
}

func TestEachSensitivityAndSegregation(t *testing.T) {
	h := newHarness(t)
	h.Say("@priya /content submit Weekly tips --link https://cms.example.com/1 --sensitivity low").Contains(t, "Stage social-lead asks social-lead (@alex")
	h.Say("@alex /content approve 1").Contains(t, "Content #1 is approved")

	h.Say("@sam /content submit Product FAQ --link https://cms.example.com/2").
		Contains(t, "(medium, 1 stage)", "nobody but the submitter holds comms")
	h.Say("@sam /content approve 2").Fails(t, bot.EForbidden, "segregation of duties")
	h.Say("/role assign comms @lee")
	h.Say("@lee /content approve 2 fine").Contains(t, "Content #2 is approved")

	h.Say("@priya /content submit Terms update --link https://cms.example.com/3 --sensitivity regulated").Contains(t, "3 stages", "Stage comms asks")
	h.Say("@sam /content withdraw 3").Fails(t, bot.EForbidden, "only @priya")
	h.Say("@priya /content list --mine").Contains(t, "#3 Terms update [regulated] by @priya — in-review, waiting on comms (4h00m left)", "#1 Weekly tips [low] by @priya — approved")
	h.Say("@priya /content withdraw 3").Contains(t, "withdrawn")
	h.Say("@sam /content approve 3").Fails(t, bot.EConflict, "already withdrawn")

	h.Say("@priya /content submit Bad take --link https://cms.example.com/4")
	h.Say("@sam /content reject 4 Off brand").Contains(t, "rejected content #4 at stage comms")
	if !strings.Contains(lastDM(t, h, "priya"), "Off brand") {
		t.Error("submitter not told of the rejection")
	}
}

func TestFastTrackedRegulatedRunsInParallelButNeedsLegal(t *testing.T) {
	h := newHarness(t)
	h.Say("@priya /content submit Recall notice --link https://cms.example.com/7 --sensitivity regulated --fast-track safety issue, must go out today --brand acme").
		Contains(t, "Recall notice", "Stage comms asks", "Stage legal asks", "Stage exec asks", "within 1h00m", "within 4h00m", "Fast-tracked: safety issue, must go out today")
	for _, p := range []string{"sam", "dana", "jordan"} {
		if len(dms(h, p)) != 1 {
			t.Errorf("@%s was not asked at once: %v", p, dms(h, p))
		}
	}
	h.Say("@jordan /content approve 1").Contains(t, "Stage exec of content #1 passed", "Still waiting on stage comms + legal")
	h.Say("@sam /content approve 1").Contains(t, "Still waiting on stage legal")
	h.Say("/content list --stage legal").Contains(t, "#1 Recall notice [regulated] by @priya — in-review, waiting on legal", "fast-tracked")
	h.Say("@dana /content list --waiting-on-me").Contains(t, "#1 Recall notice")
	h.Say("@sam /content list --waiting-on-me").Contains(t, "No content items match")
	h.Say("@dana /content approve 1").Contains(t, "Content #1 is approved")
}

func TestPublishDeadline(t *testing.T) {
	h := newHarness(t)
	// 09:00 UTC is 10:00 in Berlin; publish at 15:00 Berlin, but comms (4h)
	// then legal (8h) cannot finish by then.
	h.Say("@priya /content submit Launch --link https://cms.example.com/9 --sensitivity high --publish-at 2026-11-23 15:00").Contains(t, "Content #1 submitted")
	h.Advance(2*time.Hour + 59*time.Minute)
	if got := dms(h, "priya"); len(got) != 0 {
		t.Fatalf("warned too early: %v", got)
	}
	h.Advance(2 * time.Minute)
	for _, p := range []string{"priya", "sam"} {
		if !strings.Contains(lastDM(t, h, p), "⏳ content #1 (high): Launch is to be published Mon 23 Nov 15:00 (in 2h00m) but its approvals cannot finish in time") {
			t.Errorf("@%s not warned: %v", p, dms(h, p))
		}
	}
	h.Advance(3 * time.Hour)
	h.Say("@sam /content approve 1")
	h.Say("@dana /content approve 1").Contains(t, "Content #1 is approved", "⚠ Approved after its publish time (Mon 23 Nov 15:00), 1h01m late")
	h.Say("/content list --late").Contains(t, "No content items match")
}

func TestBadInputStoresNothing(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		line string
		code bot.Code
		want string
	}{
		{"/content submit Post --link https://x.example.com --sensitivity secret", bot.EInvalid, `unknown sensitivity "secret"; use one of low, medium, high, regulated`},
		{"/content submit Post --link https://x.example.com --publish-at 2026-11-22T10:00", bot.EInvalid, "--publish-at 2026-11-22 10:00 is in the past"},
		{"/content submit Post --link https://x.example.com --publish-at tomorrow", bot.EInvalid, `--publish-at "tomorrow" is not a time`},
		{"/content submit Post about things", bot.EInvalid, "--link is required"},
		{"/content submit Post --link ftp:/nowhere", bot.EInvalid, "is not a link"},
		{"/content submit Post --link https://x.example.com --brand nope", bot.EInvalid, `unknown brand "nope"`},
		{"/content submit Post --link https://x.example.com --fast-track", bot.EInvalid, "--fast-track needs a value"},
		{"/content approve 9", bot.ENotFound, "no content item #9"},
		{"/content show #9", bot.ENotFound, "no content item #9"},
		{"/content changes 1", bot.EInvalid, "Usage: /content changes <id> <what…>"},
		{"/content list --mine --late", bot.EInvalid, "use one of"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			r := h.Say(tt.line).Fails(t, tt.code, tt.want)
			if tt.code == bot.EInvalid && !strings.Contains(r.Text(), "Usage: /content") {
				t.Errorf("no usage line:\n%s", r.Text())
			}
		})
	}
	items, err := h.Store.ListContent(t.Context(), store.ContentQuery{})
	if err != nil || len(items) != 0 {
		t.Fatalf("bad input stored %d items (err %v)", len(items), err)
	}
	if n := len(h.Chat.Events("dm")); n != 0 {
		t.Errorf("bad input sent %d messages", n)
	}
}

func TestContentKPIs(t *testing.T) {
	h := commandstest.New(t, []commandstest.Register{role.Register, content.Register, kpi.Register})
	for _, line := range []string{"/role assign comms @sam", "/role assign legal @dana", "/role assign exec @jordan"} {
		h.Say(line)
	}
	// Two high items approved in 1h and 3h, every stage on time.
	h.Say("@priya /content submit A --link https://cms.example.com/a --sensitivity high")
	h.Say("@priya /content submit B --link https://cms.example.com/b --sensitivity high")
	h.Advance(30 * time.Minute)
	h.Say("@sam /content approve 1")
	h.Say("@sam /content approve 2")
	h.Advance(30 * time.Minute)
	h.Say("@dana /content approve 1") // 1h
	h.Advance(2 * time.Hour)
	h.Say("@dana /content approve 2") // 3h
	// A medium item whose comms stage misses its 8h target.
	h.Say("@priya /content submit C --link https://cms.example.com/c")
	h.Advance(9 * time.Hour)
	h.Say("@sam /content approve 3") // 9h

	h.Say("/kpi content-cycle-median-high --period 7d").Contains(t, "Median approval time, high sensitivity", "120")
	h.Say("/kpi content-cycle-p90 --period 7d").Contains(t, "468 min")
	h.Say("/kpi content-stages-on-time --period 7d").Contains(t, "80")
}

func TestHelpExamplesWork(t *testing.T) {
	h := newHarness(t)
	n := 0
	for _, cmd := range h.Router.Commands() {
		if cmd.Group != "content" {
			continue
		}
		for _, ex := range cmd.Examples {
			n++
			if r := h.Say("@priya " + ex); r.Err != nil {
				t.Errorf("%s: %v", ex, r.Err)
			}
		}
	}
	if n == 0 {
		t.Fatal("no examples")
	}
	h.Say("/content show 2").Contains(t, "Fast-tracked: safety issue, must go out today")
}
