package crisis_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/crisis"
	"github.com/interlock-coe/interlock/commands/decision"
	"github.com/interlock-coe/interlock/commands/role"
)

func register(r *bot.Router, d commands.Deps) { crisis.Register(r, d, d.Store) }

func newHarness(t *testing.T, opts ...commandstest.Option) *commandstest.Harness {
	t.Helper()
	h := commandstest.New(t, []commandstest.Register{role.Register, decision.Register, register}, opts...)
	for _, line := range []string{
		"/role assign comms @sam",
		"/role assign legal @dana",
		"/role assign spokesperson @maria",
		"/role assign customer-care @lee",
		"/role assign exec @jordan",
		"/role assign community @priya",
	} {
		if r := h.Say(line); r.Err != nil {
			t.Fatalf("%s: %v", line, r.Err)
		}
	}
	return h
}

const room = "#crisis-20261123-checkout-outage"

func TestOpenInvitesTheSeverityRolesAndPinsTheBrief(t *testing.T) {
	h := newHarness(t)
	h.Say("/crisis open sev2 Checkout outage --brand acme").Contains(t, "Crisis #1 opened (sev2): Checkout outage → #crisis-20261123-checkout-outage")

	// sev2 invites social-lead, comms, spokesperson, legal, customer-care: not exec or community.
	got := h.Chat.Members(room)
	slices.Sort(got)
	want := []string{"alex", "dana", "lee", "maria", "sam"}
	if !slices.Equal(got, want) {
		t.Fatalf("members = %v, want %v", got, want)
	}
	if n := len(h.Chat.Events("invite")); n != 1 {
		t.Errorf("%d invite calls, want 1", n)
	}
	posts := h.Chat.Posts(room)
	if len(posts) != 1 {
		t.Fatalf("posts in room = %d, want the brief", len(posts))
	}
	for _, want := range []string{"SEV2 — Checkout outage (acme)", "Holding statement", "@maria (spokesperson)", "comms (@sam), legal (@dana) — quorum 2 of 2", "every 30m"} {
		if !strings.Contains(posts[0], want) {
			t.Errorf("brief lacks %q:\n%s", want, posts[0])
		}
	}
	if pins := h.Chat.Events("pin"); len(pins) != 1 || pins[0].Channel != room {
		t.Errorf("pins = %+v, want the brief pinned", pins)
	}
	if topics := h.Chat.Events("topic"); len(topics) != 1 || !strings.Contains(topics[0].Message.Text, "sev2") {
		t.Errorf("topic = %+v", topics)
	}
}

func TestOpenSaysWhoIsMissing(t *testing.T) {
	h := commandstest.New(t, []commandstest.Register{register})
	h.Say("/crisis open sev3 Angry thread").Contains(t, "No holder: community, customer-care")
}

func TestOpeningTheSameCrisisTwicePointsToTheOpenRoom(t *testing.T) {
	h := newHarness(t)
	h.Say("/crisis open sev2 Checkout outage --brand acme")
	h.Say("@sam /crisis open sev1 checkout OUTAGE --brand acme").Contains(t, "already open", room)
	if n := len(h.Chat.Events("room")); n != 1 {
		t.Fatalf("%d rooms created, want 1", n)
	}
	// Another brand is another crisis.
	h.Say("/crisis open sev2 Checkout outage --brand globex").Contains(t, "Crisis #2 opened")
}

func TestBadInput(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		line string
		code bot.Code
		want string
	}{
		{"/crisis open sev9 Title", bot.EInvalid, `unknown severity "sev9"`},
		{"/crisis open sev2", bot.EInvalid, "Usage: /crisis open"},
		{"/crisis open sev2 Title --brand nope", bot.EInvalid, `unknown brand "nope"`},
		{"/crisis status all good", bot.EInvalid, "works inside a crisis room"},
		{"/crisis approve #99", bot.ENotFound, "no proposal #99"},
		{"/crisis approve x", bot.EInvalid, "is not an id"},
		{"/crisis reject 1", bot.EInvalid, "Usage: /crisis reject <proposal-id> <reason…>"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) { h.Say(tt.line).Fails(t, tt.code, tt.want) })
	}
}

func TestRoomFlowFromStatusToSummary(t *testing.T) {
	h := newHarness(t)
	h.Say("/crisis open sev2 Checkout outage --brand acme")
	h.Clock.Set(h.Clock.Now().Add(4 * time.Minute))
	h.Say("@lee "+room+" /crisis status Payments confirm the root cause").Contains(t, "Status", "Payments confirm")
	h.Say("@alex "+room+" /crisis decide Pause paid social for 48h").Contains(t, "Decision #")
	h.Say("@alex "+room+" /crisis propose We know checkout is failing and are fixing it.").Contains(t, "Proposal #1", "quorum 2")

	dms := h.Chat.Events("dm")
	var to []string
	for _, dm := range dms {
		to = append(to, dm.People...)
		if len(dm.Message.Buttons) != 2 || dm.Message.Buttons[0].Command != "/crisis approve 1" {
			t.Errorf("approval request buttons = %+v", dm.Message.Buttons)
		}
	}
	slices.Sort(to)
	if !slices.Equal(to, []string{"dana", "sam"}) {
		t.Fatalf("approval requests went to %v, want comms and legal holders", to)
	}

	h.Say("@lee "+room+" /crisis approve 1").Fails(t, bot.EForbidden, "only holders of comms or legal")
	h.Clock.Set(h.Clock.Now().Add(8 * time.Minute))
	h.Say("@sam /crisis approve 1").Contains(t, "approved proposal #1 as comms (1 of 2)")
	h.Say("@sam /crisis approve 1").Fails(t, bot.EConflict, "already answered")
	h.Say("@dana /crisis approve #1").Contains(t, "approved — quorum met")
	h.Say("@dana /crisis approve 1").Fails(t, bot.EConflict, "already approved")

	h.Advance(31 * time.Minute)
	checkIn := lastPost(t, h, room)
	if !strings.Contains(checkIn, "Check-in") || !strings.Contains(checkIn, "@alex") || strings.Contains(checkIn, "@lee,") {
		t.Fatalf("check-in should name the silent members but not @lee:\n%s", checkIn)
	}
	for _, silent := range []string{"@alex", "@dana", "@maria", "@sam"} {
		if !strings.Contains(checkIn, silent) {
			t.Errorf("check-in lacks %s:\n%s", silent, checkIn)
		}
	}

	r := h.Say("@alex " + room + " /crisis resolve Checkout restored, statement published")
	r.Contains(t, "Crisis #1 resolved", "Duration", "Time to assemble: 0s", "Time to first status: 4m",
		"Time to first approved response: 12m", "Pause paid social for 48h", "status: Payments confirm the root cause")
	posts := len(h.Chat.Posts(room))
	h.Advance(2 * time.Hour)
	if len(h.Chat.Posts(room)) != posts {
		t.Error("check-ins continued after resolve")
	}
	h.Say("/crisis list").Contains(t, "No open crises")
	h.Say("/crisis list --all").Contains(t, "#1 sev2 Checkout outage (acme)", "resolved")
}

func TestRejectAndOnlyApproversMayAnswer(t *testing.T) {
	h := newHarness(t)
	h.Say("/crisis open sev3 Angry thread --brand acme")
	r3 := "#crisis-20261123-angry-thread"
	h.Say("@priya " + r3 + " /crisis propose Reply with an apology")
	h.Say("@dana /crisis reject 1 tone").Fails(t, bot.EForbidden, "only holders of comms")
	h.Say("@sam /crisis reject 1 Too defensive, soften it").Contains(t, "rejected by @sam (comms): Too defensive")
	h.Say("@sam /crisis approve 1").Fails(t, bot.EConflict, "already")
}

func TestSevAddsRolesAndIsForRoomMembers(t *testing.T) {
	h := newHarness(t)
	h.Say("/crisis open sev3 Angry thread --brand acme")
	r3 := "#crisis-20261123-angry-thread"
	h.Say("@noah "+r3+" /crisis sev sev1").Fails(t, bot.EForbidden, "members of the crisis room")
	h.Say("@priya "+r3+" /crisis sev sev1").Contains(t, "sev3 → sev1", "@sam", "@dana", "@jordan")
	members := h.Chat.Members(r3)
	for _, p := range []string{"jordan", "maria", "dana", "sam"} {
		if !slices.Contains(members, p) {
			t.Errorf("%s not invited after sev1; members %v", p, members)
		}
	}
	h.Say("@priya "+r3+" /crisis sev sev1").Fails(t, bot.EConflict, "already sev1")
	h.Advance(16 * time.Minute) // sev1 checks in every 15 minutes
	if !strings.Contains(lastPost(t, h, r3), "every 15m") {
		t.Errorf("no sev1 check-in:\n%s", lastPost(t, h, r3))
	}
}

func TestHalfMadeOpeningIsCompletedByTheResumeTimer(t *testing.T) {
	h := newHarness(t)
	h.Chat.FailNext("pin", errors.New("slack: 503 service unavailable"))
	h.Say("/crisis open sev2 Checkout outage").Contains(t, "Still pending, retrying", "pin (slack: 503")
	h.Say("/crisis list").Contains(t, "pending steps: pin")
	h.Advance(time.Minute)
	if pins := h.Chat.Events("pin"); len(pins) != 1 {
		t.Fatalf("pin not retried: %+v", pins)
	}
	h.Say("/crisis list").Contains(t, "#1 sev2 Checkout outage")
	if strings.Contains(h.Say("/crisis list").Text(), "pending") {
		t.Error("steps still pending after the retry")
	}
	if n := len(h.Chat.Events("room")); n != 1 {
		t.Errorf("%d rooms, want 1", n)
	}
}

func TestRoomCreationFailureIsRetried(t *testing.T) {
	h := newHarness(t)
	h.Chat.FailNext("room", errors.New("platform down"))
	h.Say("/crisis open sev2 Checkout outage").Contains(t, "pending", "room (")
	h.Advance(time.Minute)
	if got := h.Chat.Members(room); len(got) != 5 {
		t.Fatalf("after retry members = %v", got)
	}
	if pins := h.Chat.Events("pin"); len(pins) != 1 {
		t.Fatalf("brief not pinned after retry")
	}
}

func TestSummarySurvivesARestart(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, commandstest.WithDataDir(dir))
	h.Say("/crisis open sev2 Checkout outage")
	h.Say("@lee " + room + " /crisis status looking into it")
	h.Store.Close()

	h2 := commandstest.New(t, []commandstest.Register{register}, commandstest.WithDataDir(dir))
	h2.Clock.Set(h.Clock.Now().Add(time.Hour))
	h2.Say("@alex "+room+" /crisis resolve fixed").Contains(t, "status: looking into it", "Time to first status: 0s")
}

func lastPost(t *testing.T, h *commandstest.Harness, channel string) string {
	t.Helper()
	posts := h.Chat.Posts(channel)
	if len(posts) == 0 {
		t.Fatalf("nothing posted in %s", channel)
	}
	return posts[len(posts)-1]
}
