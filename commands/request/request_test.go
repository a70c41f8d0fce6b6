package request_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/content"
	"github.com/interlock-coe/interlock/commands/request"
	"github.com/interlock-coe/interlock/commands/role"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

var berlin = mustZone("Europe/Berlin")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at is a wall time in the example's time zone.
func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, berlin)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

const report = "/request listening-report Q4 sentiment deep dive --brand acme --question why did sentiment drop --due-by 2026-12-10"

func newHarness(t *testing.T, opts ...commandstest.Option) *commandstest.Harness {
	t.Helper()
	h := commandstest.New(t, []commandstest.Register{role.Register, content.Register, request.Register}, opts...)
	for _, line := range []string{"/role assign analytics @sam", "/role assign comms @kim"} {
		if r := h.Say(line); r.Err != nil {
			t.Fatalf("%s: %v", line, r.Err)
		}
	}
	return h
}

func events(h *commandstest.Harness, op, channel string) []string {
	var out []string
	for _, e := range h.Chat.Events(op) {
		if e.Channel == channel {
			out = append(out, bot.PlainText(e.Message))
		}
	}
	return out
}

func requests(t *testing.T, h *commandstest.Harness) []store.ServiceRequest {
	t.Helper()
	rs, err := h.Store.ListRequests(context.Background(), store.RequestQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestFridayAfternoonIsDueWednesday(t *testing.T) {
	commandstest.EachStore(t, func(t *testing.T, st commandstest.Option) {
		h := newHarness(t, st)
		h.Clock.Set(at(t, "2026-11-27 15:30"))
		r := h.Say("@priya " + report)
		r.Contains(t, "Request #1 placed", "due Wed 02 Dec 18:00", "3 business days", "#social-team", "analytics (@sam)")
		if r.Err != nil || strings.Contains(r.Text(), "Queued") {
			t.Fatalf("placing: %v\n%s", r.Err, r.Text())
		}
		posts := events(h, "post", "#social-team")
		if len(posts) != 1 || !strings.Contains(posts[0], "New request #1 (listening-report) for analytics (@sam)") ||
			!strings.Contains(posts[0], "why did sentiment drop") {
			t.Fatalf("posts = %q", posts)
		}
		if ev := h.Chat.Events("post"); len(ev[0].Message.Buttons) != 1 || ev[0].Message.Buttons[0].Command != "/request claim 1" {
			t.Errorf("post buttons = %+v, want a Claim button", ev[0].Message.Buttons)
		}
		got := requests(t, h)[0]
		if !got.DueAt.Equal(at(t, "2026-12-02 18:00")) || got.RequestedBy != "priya" || got.Fields["due-by"] != "2026-12-10" || got.Week != "2026-11-23" {
			t.Errorf("stored = %+v", got)
		}
	})
}

func TestHolidayMovesTheDueDate(t *testing.T) {
	yaml := strings.Replace(string(config.Example()), `holidays: ["2026-12-24"`, `holidays: ["2026-12-01", "2026-12-24"`, 1)
	h := newHarness(t, commandstest.WithConfig(yaml))
	h.Clock.Set(at(t, "2026-11-27 15:30"))
	h.Say("@priya "+report).Contains(t, "due Thu 03 Dec 18:00")
}

func TestFourthRequestIsQueuedToNextWeek(t *testing.T) {
	commandstest.EachStore(t, func(t *testing.T, st commandstest.Option) {
		h := newHarness(t, st)
		for i := 1; i <= 3; i++ {
			r := h.Say("@priya " + report)
			if r.Err != nil || strings.Contains(r.Text(), "Queued") {
				t.Fatalf("request %d: %v\n%s", i, r.Err, r.Text())
			}
			r.Contains(t, "due Thu 26 Nov 18:00")
		}
		h.Say("@omar "+report).Contains(t, "Request #4 placed", "due Wed 02 Dec 18:00",
			"Queued: listening-report takes 3 requests a week and this week is full, so it starts in the week of Mon 30 Nov")
		if posts := events(h, "post", "#social-team"); !strings.Contains(posts[3], "Queued to the week of: Mon 30 Nov") {
			t.Errorf("the queued post = %q", posts[3])
		}
		// A cancellation frees a slot of this week.
		h.Say("@priya /request cancel 2 not needed any more").Contains(t, "request #2 (listening-report) cancelled")
		h.Say("@lee "+report).Contains(t, "Request #5 placed", "due Thu 26 Nov 18:00")
	})
}

func TestReminderAndLateNoteFireOnce(t *testing.T) {
	commandstest.EachStore(t, func(t *testing.T, st commandstest.Option) {
		h := newHarness(t, st)
		h.Say("@priya "+report).Contains(t, "due Thu 26 Nov 18:00")
		h.Say("@priya /request new-social-account Outlet TikTok --network tiktok --owner @sam --purpose clearance").
			Contains(t, "due Wed 25 Nov 18:00")
		h.Say("@sam /request claim 1").Contains(t, "@sam claimed request #1")
		h.Say("@lee /request claim 1").Fails(t, bot.EForbidden, "only the claimer or a holder of analytics may claim request #1")
		h.Say("@alex /request claim 1").Fails(t, bot.EConflict, "claimed by @sam already")
		h.Say("@priya /request update 1 hurry").Fails(t, bot.EForbidden, "may update")
		h.Say("@sam /request update 1 first draft shared with legal").Contains(t, "@priya has been told")
		if dms := events(h, "dm", "@priya"); len(dms) != 2 || !strings.Contains(dms[1], "first draft shared with legal") {
			t.Errorf("requester DMs = %q", dms)
		}
		h.Advance(3 * 24 * time.Hour) // to Thu 26 Nov 10:00: past Wed 18:00
		reminders := events(h, "dm", "@sam")
		if len(reminders) != 1 || !strings.Contains(reminders[0], "Reminder: request #1 (listening-report) for @priya is due Thu 26 Nov 18:00") {
			t.Fatalf("reminders to the claimer = %q", reminders)
		}
		// #2 is unclaimed: its reminder (Tue 18:00) asks the owner role, and
		// its late note (Wed 18:00) goes to the social lead.
		social := events(h, "post", "#social-team")
		if !strings.Contains(strings.Join(social, "\n"), "Nobody has claimed it yet, social-lead (@alex)") {
			t.Errorf("no owner reminder for #2 in %q", social)
		}
		h.Advance(5 * 24 * time.Hour)
		var late []string
		for _, p := range events(h, "post", "#social-team") {
			if strings.Contains(p, "is late") {
				late = append(late, p)
			}
		}
		if len(late) != 2 || !strings.Contains(late[1], "@alex: request #1 (listening-report) for @priya is late — it was due Thu 26 Nov 18:00") ||
			!strings.Contains(late[1], "claimed by @sam") {
			t.Fatalf("late notes = %q", late)
		}
		if n := len(events(h, "dm", "@sam")); n != 1 {
			t.Errorf("@sam got %d reminders, want 1", n)
		}
		h.Say("@sam /request list --late").Contains(t, "#1 listening-report", "late, was due Thu 26 Nov 18:00", "#2 new-social-account")
		h.Say("@sam /request done 1 --link https://drive.example.com/report").Contains(t, "delivered by @sam", "late")
		h.Say("@sam /request done 1").Fails(t, bot.EConflict, "is done already")
	})
}

func TestDoneBeforeTheDueDateStopsTheTimers(t *testing.T) {
	h := newHarness(t)
	h.Say("@priya " + report)
	h.Say("@sam /request done 1 --link https://drive.example.com/r").Contains(t, "delivered by @sam (on time)")
	if dms := events(h, "dm", "@priya"); len(dms) != 1 || !strings.Contains(dms[0], "https://drive.example.com/r") {
		t.Errorf("requester DMs = %q", dms)
	}
	h.Advance(10 * 24 * time.Hour)
	if n := len(h.Chat.Events("post")) + len(events(h, "dm", "@sam")); n != 1 {
		t.Errorf("%d messages after delivery, want only the first post", n)
	}
}

func TestListAndCancelPermissions(t *testing.T) {
	h := newHarness(t)
	h.Say("@priya " + report)
	h.Say("@omar /request campaign-support Spring launch --launch-date 2026-12-01 --channels ig, tiktok")
	h.Say("@priya /request list --mine").Contains(t, "#1 listening-report").Private()
	if strings.Contains(h.Say("@priya /request list --mine").Text(), "campaign-support") {
		t.Error("--mine shows others' requests")
	}
	h.Say("@priya /request list --service campaign-support").Contains(t, "#2 campaign-support", "ig, tiktok")
	h.Say("@lee /request cancel 2 I do not like it").Fails(t, bot.EForbidden, "only @omar, the claimer or a holder of community may cancel")
	h.Say("@lee /request done 2").Fails(t, bot.EForbidden, "may deliver")
	h.Say("@alex /request cancel 2 merged into #1").Contains(t, "cancelled")
	h.Say("@priya /request list").Contains(t, "Open requests (1)")
}

func TestWorkloadCountsWhatWasCreated(t *testing.T) {
	commandstest.EachStore(t, func(t *testing.T, st commandstest.Option) {
		h := newHarness(t, st)
		ctx := context.Background()
		h.Say("@priya " + report)
		h.Say("@priya " + report)
		h.Say("@sam /request claim 1")
		h.Say("@sam /request claim 2")
		h.Say("@sam /request done 2")
		if r := h.Say("@priya /content submit Spring post --link https://cms.example.com/1"); r.Err != nil {
			t.Fatal(r.Err)
		}
		is, _, err := h.Store.CreateRoutedIssue(ctx, store.RoutedIssue{Source: "inbox", ExternalID: "w1", Platform: "x", Text: "parcel",
			Department: "customer-care", Status: store.IssueOpen, ReceivedAt: h.Clock.Now(), RoutedAt: h.Clock.Now(), DueAt: h.Clock.Now().Add(time.Hour)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.Store.UpdateRoutedIssue(ctx, is.ID, func(u *store.RoutedIssue) error {
			u.ClaimedBy, u.Status = "sam", store.IssueClaimed
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		c, _, err := h.Store.CreateCrisis(ctx, store.Crisis{Title: "outage", Severity: "sev2", Status: store.CrisisOpen, OpenedBy: "alex", OpenedAt: h.Clock.Now()}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := h.Store.AddCrisisMembers(ctx, c.ID, []store.CrisisMember{{Person: "sam", InvitedAt: h.Clock.Now()}, {Person: "kim", InvitedAt: h.Clock.Now()}}); err != nil {
			t.Fatal(err)
		}
		h.Say("@alex /workload @sam").Contains(t,
			"@sam: 1 request · 1 routed issue · 1 crisis room · 0 content approvals (3 in all)",
			"Team: 1 request · 1 routed issue · 2 crisis rooms · 1 content approval (5 in all)")
		r := h.Say("/workload")
		r.Contains(t, "@sam: 1 request", "@kim: 0 requests · 0 routed issues · 1 crisis room · 1 content approval (2 in all)")
		if !r.Private() {
			t.Error("/workload should answer privately")
		}
		h.Say("/workload @nobody-here").Contains(t, "@nobody-here: 0 requests")
	})
}

// TestBadInputIsRefusedWithUsage checks that every new command refuses
// bad input with its usage line and stores nothing.
func TestBadInputIsRefusedWithUsage(t *testing.T) {
	commandstest.EachStore(t, func(t *testing.T, st commandstest.Option) {
		h := newHarness(t, st)
		tests := []struct{ line, want string }{
			{"/request", "Usage: /request <service>"},
			{"/request listening-report", "Usage: /request <service>"},
			{"/request tarot-reading what next", "unknown service \"tarot-reading\"; services: listening-report (A social-listening report"},
			{"/request listening-report Q4 --brand acme --due-by friday", "listening-report needs --question (its fields: --brand --question --due-by)"},
			{"/request listening-report Q4 --brand acme --question why --due-by fri --network x", "listening-report takes no --network"},
			{"/request listening-report Q4 --brand nope --question why --due-by fri", `unknown brand "nope"`},
			{"/request listening-report Q4 --colour red", "unknown option --colour"},
			{"/request listening-report Q4 --brand", "--brand needs a value"},
			{"/request listening-report Q4 --brand a --brand b --question q --due-by d", "--brand given twice"},
			{"/request claim", "Usage: /request claim <id>"},
			{"/request claim x", `"x" is not an id`},
			{"/request update 1", "Usage: /request update <id> <note…>"},
			{"/request done", "Usage: /request done <id> [--link URL]"},
			{"/request done 1 --link ftp://x", "is not a link"},
			{"/request done 1 extra words", "done takes an id"},
			{"/request cancel 1", "Usage: /request cancel <id> <reason…>"},
			{"/request list --service tarot", `unknown service "tarot"`},
			{"/request list everything", "list takes options only"},
			{"/workload sam", `"sam" is not a person`},
			{"/workload @a @b", "name at most one person"},
		}
		for _, tt := range tests {
			r := h.Say("@priya " + tt.line)
			r.Fails(t, bot.EInvalid, tt.want)
			if !strings.Contains(r.Text(), "Usage: /") {
				t.Errorf("%s: no usage line in %q", tt.line, r.Text())
			}
		}
		h.Say("@priya /request claim 9").Fails(t, bot.ENotFound, "no request #9")
		if rs := requests(t, h); len(rs) != 0 {
			t.Errorf("bad input stored %d requests", len(rs))
		}
		if n := len(h.Chat.Events("post")) + len(h.Chat.Events("dm")); n != 0 {
			t.Errorf("bad input sent %d messages", n)
		}
	})
}
