package route_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/route"
	"github.com/interlock-coe/interlock/store"
)

func TestBadInput(t *testing.T) {
	f := newFixture(t)
	f.assignLiaisons(t)
	f.Say("@priya /route sales Wants a quote") // #1
	tests := []struct {
		line string
		code bot.Code
		want string
	}{
		{"/route", bot.EInvalid, "missing arguments"},
		{"/route auto", bot.EInvalid, "missing arguments"},
		{"/route nowhere parcel lost", bot.EInvalid, `unknown department "nowhere"`},
		{"/route auto parcel lost --brand nope", bot.EInvalid, `unknown brand "nope"`},
		{"/route auto parcel lost --link ftp://x.example", bot.EInvalid, "is not a link"},
		{"/route auto parcel lost --link", bot.EInvalid, "--link needs a value"},
		{"/route auto parcel lost --urgent", bot.EInvalid, "unknown option --urgent"},
		{"/route claim", bot.EInvalid, "missing arguments"},
		{"/route claim abc", bot.EInvalid, "is not an id"},
		{"/route claim 99", bot.ENotFound, "no routed issue #99"},
		{"/route claim 1 now", bot.EInvalid, `unexpected "now"`},
		{"/route answer", bot.EInvalid, "missing arguments"},
		{"/route answer 1", bot.EInvalid, "type the reply after the id: /route answer 1 <reply…>"},
		{"/route answer #0 hi", bot.EInvalid, "is not an id"},
		{"/route answer 99 hi", bot.ENotFound, "no routed issue #99"},
		{"/route resolve", bot.EInvalid, "missing arguments"},
		{"/route resolve 99", bot.ENotFound, "no routed issue #99"},
		{"/route resolve 1 done", bot.EInvalid, `unexpected "done"`},
		{"/route reassign", bot.EInvalid, "missing arguments"},
		{"/route reassign 1", bot.EInvalid, "to which department?"},
		{"/route reassign 1 nowhere", bot.EInvalid, `unknown department "nowhere"`},
		{"/route reassign 1 sales", bot.EInvalid, "#1 is with Sales already"},
		{"/route reassign 1 legal now", bot.EInvalid, `unexpected "now"`},
		{"/route list everything", bot.EInvalid, `unexpected "everything"`},
		{"/route list --all", bot.EInvalid, "unknown option --all"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			r := f.Say(tt.line).Fails(t, tt.code, tt.want)
			if tt.code == bot.EInvalid && !strings.Contains(r.Text(), "Usage: /route") {
				t.Errorf("no usage line:\n%s", r.Text())
			}
		})
	}
}

func TestWhoMayWorkAnIssue(t *testing.T) {
	f := newFixture(t)
	f.assignLiaisons(t)
	f.Say("@priya /route sales Wants a quote")            // #1
	f.Say("@priya /route customer-care Parcel is late")   // #2
	f.Say("@priya /route customer-care Parcel is broken") // #3
	f.Say("@noah /route claim 1").Fails(t, bot.EForbidden, "only holders of sales (the Sales liaisons), social-lead or the CoE lead")
	f.Say("@dana /route answer 1 hello").Fails(t, bot.EForbidden, "only holders of sales")
	f.Say("@noah /route reassign 1 legal").Fails(t, bot.EForbidden, "only holders of sales")
	f.Say("@noah /route resolve 1").Fails(t, bot.EForbidden, "only holders of sales")
	// The backup liaison, the social lead and whoever routed it may.
	f.Say("@maria /route claim 2").Contains(t, "@maria claimed #2")
	f.Say("@alex /route answer 1 Here is a quote").Contains(t, "@alex answered #1")
	f.Say("@priya /route resolve 3").Contains(t, "#3 resolved by @priya", "never answered")
}

func TestClaimAnswerResolveConflicts(t *testing.T) {
	f := newFixture(t)
	f.assignLiaisons(t)
	f.Say("@priya /route sales Wants a quote") // #1
	f.Say("@sam /route claim #1").Contains(t, "@sam claimed #1")
	f.Say("@sam /route claim 1").Fails(t, bot.EConflict, "you claimed #1 already")
	f.Say("@alex /route claim 1").Fails(t, bot.EConflict, "#1 is already claimed by @sam")
	f.Say("@sam /route answer 1 Sent you a quote by mail").Contains(t, "@sam answered #1", "delivered to the social inbox")
	f.Say("@sam /route answer 1 again").Fails(t, bot.EConflict, "#1 was answered by @sam already")
	f.Say("@sam /route resolve 1").Contains(t, "#1 resolved by @sam")
	for _, line := range []string{"/route claim 1", "/route answer 1 hi", "/route resolve 1", "/route reassign 1 legal"} {
		f.Say(line).Fails(t, bot.EConflict, "#1 was resolved by @sam")
	}
	// A claimed issue's post is redrawn without the Claim button.
	updates := f.Chat.Events("update")
	if len(updates) == 0 {
		t.Fatal("the issue's post was never updated")
	}
	last := bot.PlainText(updates[len(updates)-1].Message)
	if !strings.Contains(last, "Resolved by @sam") || strings.Contains(last, "/route claim") {
		t.Errorf("last update:\n%s", last)
	}
}

func TestAnswerWithoutClaimStopsTheClockAndCountsAsClaim(t *testing.T) {
	f := newFixture(t)
	f.assignLiaisons(t)
	f.Say("@priya /route legal Lawyer letter received") // #1
	f.Advance(10 * time.Minute)
	f.Say("@dana /route answer 1 Forwarded to counsel").Contains(t, "@dana answered #1, 10m after it was routed")
	f.Advance(2 * time.Hour)
	if n := len(f.posts("#legal")); n != 1 {
		t.Errorf("#legal has %d posts, want only the issue: %q", n, f.posts("#legal"))
	}
	is, _ := f.Store.RoutedIssue(context.Background(), 1)
	if is.ClaimedBy != "dana" || !is.ClaimedAt.Equal(is.AnsweredAt) {
		t.Errorf("claim = %s at %v, answer at %v", is.ClaimedBy, is.ClaimedAt, is.AnsweredAt)
	}
}

func TestReassignRestartsTheClockInTheNewDepartment(t *testing.T) {
	f := newFixture(t)
	f.assignLiaisons(t)
	f.Say("@priya /route sales Can you sue them for me?") // #1
	f.Advance(20 * time.Minute)
	f.Say("@sam /route claim 1")
	f.Say("@sam #sales /route reassign 1 legal").Contains(t, "@sam reassigned #1 from Sales to Legal (#legal); @dana on duty", "First response due by 11:20")
	legal := f.posts("#legal")
	if len(legal) != 1 || !strings.Contains(legal[0], "chosen by @sam") || !strings.Contains(legal[0], "[Claim → /route claim 1]") {
		t.Fatalf("#legal posts: %q", legal)
	}
	// The old post is retired.
	updates := f.Chat.Events("update")
	if last := bot.PlainText(updates[len(updates)-1].Message); updates[len(updates)-1].Channel != "#sales" || !strings.Contains(last, "Reassigned to Legal by @sam") {
		t.Errorf("old post update: %s %s", updates[len(updates)-1].Channel, last)
	}
	f.Advance(31 * time.Minute)
	if f.postsContaining("#legal", "⏰ Reminder: routed issue #1 for Legal has had no first response for 30m") != 1 {
		t.Errorf("no reminder in #legal: %q", f.posts("#legal"))
	}
	if f.postsContaining("#sales", "Reminder") != 0 {
		t.Error("the old department was reminded")
	}
	f.Say("/route list --open").Contains(t, "#1 [legal] open, 29m left (due 11:20)")
}

func TestListShowsTheQueue(t *testing.T) {
	f := newFixture(t)
	f.assignLiaisons(t)
	f.Say("@priya /route customer-care Parcel is late")     // #1
	f.Say("@priya /route customer-care Wrong size shipped") // #2
	f.Say("@priya /route sales Wants a demo")               // #3
	f.Say("@priya /route legal Privacy question")           // #4
	f.Say("@sam /route claim 3")
	f.Say("@dana /route resolve 4")
	f.Advance(70 * time.Minute)
	f.Say("@lee /route claim 2")

	all := f.Say("/route list")
	if !all.Private() {
		t.Error("list should be private")
	}
	all.Contains(t, "Routed issues, newest first:", "#4 [legal] resolved by @dana", "#3 [sales] claimed by @sam after 0s",
		"#2 [customer-care] claimed by @lee after 1h10m", "#1 [customer-care] open, overdue by 10m (due 11:00), escalated — Parcel is late")
	open := f.Say("/route list --open").Text()
	if strings.Contains(open, "#4") || !strings.Contains(open, "#1") {
		t.Errorf("--open:\n%s", open)
	}
	mine := f.Say("@lee /route list --mine").Text()
	if !strings.Contains(mine, "#1") || !strings.Contains(mine, "#2") || strings.Contains(mine, "#3") {
		t.Errorf("--mine for @lee:\n%s", mine)
	}
	f.Say("@noah /route list --mine").Contains(t, "No routed issues to show.")
}

func TestNobodyOnDuty(t *testing.T) {
	f := newFixture(t)
	f.Say("@priya /route auto I want a job").Contains(t, "Routed #1 to HR", "Nobody holds hr: assign a liaison with /role assign hr @name")
	f.Advance(61 * time.Minute)
	if f.postsContaining("#hr", "No backup holds hr") != 1 {
		t.Errorf("#hr: %q", f.posts("#hr"))
	}
	if f.postsContaining("#social-team", "no backup is assigned") != 1 {
		t.Errorf("#social-team: %q", f.posts("#social-team"))
	}
}

func TestDeliveryIsRetriedUntilTheInboxTakesIt(t *testing.T) {
	f := newFixtureFailing(t, 3)
	f.assignLiaisons(t)
	if code, _ := f.postInbox(t, shipment); code != http.StatusAccepted {
		t.Fatalf("status %d", code)
	}
	f.Say("@lee /route answer 1 A replacement ships today").
		Contains(t, "⚠ The reply could not be delivered to zendesk yet (inbox answered 500 Internal Server Error: inbox is down); it is retried")
	f.Say("/route list").Contains(t, "⚠ reply delivery to zendesk failing after 1 attempt (inbox answered 500 Internal Server Error: inbox is down); retrying")
	f.Advance(time.Minute)
	f.Say("/route list").Contains(t, "failing after 2 attempts")
	f.Advance(time.Hour)
	if got := f.inbox.received(); len(got) != 1 {
		t.Fatalf("inbox received %d answers, want 1 after the retries", len(got))
	}
	f.Say("/route list").Contains(t, "reply delivered to zendesk")
	is, _ := f.Store.RoutedIssue(context.Background(), 1)
	if is.DeliveryAttempts != 4 || is.DeliveryError != "" {
		t.Errorf("attempts %d, error %q", is.DeliveryAttempts, is.DeliveryError)
	}
	if key := f.inbox.headers[0].Get("Idempotency-Key"); key != "interlock-route-1" {
		t.Errorf("Idempotency-Key = %q", key)
	}
}

func TestTimersSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	f := newFixture(t, commandstest.WithDataDir(dir))
	f.assignLiaisons(t)
	f.Say("@priya /route sales Wants a quote")
	f.Store.Close()

	g := newFixture(t, commandstest.WithDataDir(dir))
	g.Advance(31 * time.Minute)
	if g.postsContaining("#sales", "⏰ Reminder: routed issue #1") != 1 {
		t.Errorf("no reminder after the restart: %q", g.posts("#sales"))
	}
}

func TestWithoutOutboundTheReplyIsOnlyRecorded(t *testing.T) {
	var svc *route.Service
	register := func(r *bot.Router, d commands.Deps) { svc = route.Register(r, d, nil) }
	h := commandstest.New(t, []commandstest.Register{register})
	h.Say("/route sales Wants a quote --link https://x.com/c/3")
	h.Say("/route answer 1 Quote sent").Contains(t, "only recorded: answer the customer at https://x.com/c/3.")
	is, _ := h.Store.RoutedIssue(context.Background(), 1)
	if is.Delivery != store.DeliveryNone || is.Reply != "Quote sent" {
		t.Errorf("delivery %q, reply %q", is.Delivery, is.Reply)
	}
	if svc == nil {
		t.Fatal("Register returned no service")
	}
}

func TestAFailedPostIsRetried(t *testing.T) {
	f := newFixture(t)
	f.assignLiaisons(t)
	f.Chat.FailNext("post", errors.New("slack is down"))
	f.Say("@priya /route sales Wants a quote").Contains(t, "Routed #1 to Sales", "⚠ Could not post in #sales yet; retrying.")
	if n := len(f.posts("#sales")); n != 0 {
		t.Fatalf("%d posts in #sales", n)
	}
	f.Advance(30 * time.Second)
	if f.postsContaining("#sales", "Routed issue #1 → Sales") != 1 {
		t.Fatalf("#sales after the retry: %q", f.posts("#sales"))
	}
	f.Advance(time.Hour)
	if f.postsContaining("#sales", "Routed issue #1 → Sales") != 1 {
		t.Errorf("posted more than once: %q", f.posts("#sales"))
	}
}
