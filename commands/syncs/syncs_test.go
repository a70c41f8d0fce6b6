package syncs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/experiment"
	"github.com/interlock-coe/interlock/commands/role"
	"github.com/interlock-coe/interlock/commands/syncs"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

const care = "#customer-care"

func newHarness(t *testing.T, features ...commandstest.Register) *commandstest.Harness {
	t.Helper()
	if len(features) == 0 {
		features = []commandstest.Register{syncs.Register}
	}
	h := commandstest.New(t, append([]commandstest.Register{role.Register, experiment.Register}, features...))
	say(t, h, "/role assign customer-care @lee", "/role assign community @priya", "/role assign customer-care @noah --backup")
	return h
}

func say(t *testing.T, h *commandstest.Harness, lines ...string) {
	t.Helper()
	for _, line := range lines {
		if r := h.Say(line); r.Err != nil {
			t.Fatalf("%s: %v\n%s", line, r.Err, r.Text())
		}
	}
}

func posts(h *commandstest.Harness, channel string) []string {
	var out []string
	for _, e := range h.Chat.Events("post") {
		if e.Channel == channel {
			out = append(out, bot.PlainText(e.Message))
		}
	}
	return out
}

// advanceTo moves the harness clock to t, firing what falls due.
func advanceTo(h *commandstest.Harness, t time.Time) { h.Advance(t.Sub(h.Clock.Now())) }

func utc(year int, month time.Month, day, hour, minute int) time.Time {
	return time.Date(year, month, day, hour, minute, 0, 0, time.UTC)
}

func checkContains(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

func TestAgendaPostsADayBeforeAndTheFacilitatorRotates(t *testing.T) {
	h := newHarness(t)
	// The harness starts on Monday 23 November 2026; the first Tuesday of
	// December is the 1st, 15:00 in Berlin is 14:00 UTC.
	h.Say("/sync add customer-care").Contains(t,
		"Sync #1 — Customer Care × social team: first Tue 15:00 Europe/Berlin, 30m, in #customer-care.",
		"Next: Tue 01 Dec 2026 15:00 CET; the agenda is posted Mon 30 Nov 2026 15:00 CET.")
	say(t, h, "/test propose Question hooks", "/test pick 1", "/test result 1 a=120/4000 b=165/4000")
	h.Say("@lee /sync notes 1 Care shares the refund macro with social").
		Contains(t, "Noted for sync #1 (Customer Care × social team) as decision")
	err := h.Store.PutKPIPoints(t.Context(), []store.KPIPoint{
		{Metric: "engagement-rate", Brand: "acme", Channel: "instagram", Start: utc(2026, 11, 20, 0, 0), End: utc(2026, 11, 21, 0, 0), Ratio: true, Numerator: 320, Denominator: 10000},
		{Metric: "mention-volume", Brand: "acme", Channel: "x", Start: utc(2026, 11, 20, 0, 0), End: utc(2026, 11, 21, 0, 0), Value: 1200},
		{Metric: "mention-volume", Brand: "acme", Channel: "x", Start: utc(2026, 10, 1, 0, 0), End: utc(2026, 10, 2, 0, 0), Value: 99999},
	})
	if err != nil {
		t.Fatal(err)
	}

	advanceTo(h, utc(2026, 11, 30, 13, 59))
	if got := posts(h, care); len(got) != 0 {
		t.Fatalf("posted before the agenda was due: %q", got)
	}
	advanceTo(h, utc(2026, 11, 30, 14, 0))
	got := posts(h, care)
	if len(got) != 1 {
		t.Fatalf("posts in %s = %q, want the agenda", care, got)
	}
	checkContains(t, "agenda", got[0],
		"Agenda — Customer Care × social team sync, Tue 01 Dec 2026 15:00 CET (30m)",
		"Facilitator: @lee (rotates among the Customer Care liaisons and the social team)",
		"1. Test results", `Test #1 "Question hooks": B wins at 95% confidence`,
		"2. KPIs", "Engagement rate: 3.2% (target 3.5%, ✗ below target)", "Mention volume: 1200", "more with /kpi",
		"3. Crises",
		"4. Overdue routed issues for Customer Care",
		"5. Follow-ups from the last sync", "Care shares the refund macro with social (@lee)",
		"6. Open floor — record decisions with /sync notes 1 <text…>",
	)

	advanceTo(h, utc(2026, 12, 1, 14, 0))
	got = posts(h, care)
	if len(got) != 2 {
		t.Fatalf("posts = %q, want the agenda and the reminder", got)
	}
	checkContains(t, "reminder", got[1], "The Customer Care × social team sync starts now (30m). Facilitator: @lee.")
	h.Say("/sync list").Contains(t, "#1 Customer Care × social team — first Tue 15:00 Europe/Berlin, 30m, in #customer-care · next Tue 05 Jan 2027 15:00 CET")

	// The rotation: the liaison (not the backup), then the social team in
	// name order.
	for i, want := range []string{"@alex", "@priya", "@lee"} {
		h.Advance(35 * 24 * time.Hour)
		agendas := 0
		var last string
		for _, p := range posts(h, care) {
			if strings.HasPrefix(p, "*Agenda") {
				agendas++
				last = p
			}
		}
		if agendas != i+2 || !strings.Contains(last, "Facilitator: "+want) {
			t.Fatalf("month %d: %d agendas, last:\n%s\nwant facilitator %s", i+2, agendas, last, want)
		}
	}
}

// TestOccurrencesFollowDaylightSaving runs a first-Tuesday 15:00
// Europe/Berlin sync across the end of summer time on 25 October 2026.
func TestOccurrencesFollowDaylightSaving(t *testing.T) {
	h := newHarness(t)
	h.Clock.Set(utc(2026, 9, 20, 9, 0))
	h.Say("/sync add customer-care").Contains(t, "Next: Tue 06 Oct 2026 15:00 CEST; the agenda is posted Mon 05 Oct 2026 15:00 CEST.")

	advanceTo(h, utc(2026, 10, 5, 12, 59))
	if n := len(posts(h, care)); n != 0 {
		t.Fatalf("%d posts before the October agenda", n)
	}
	advanceTo(h, utc(2026, 10, 5, 13, 0)) // 15:00 CEST
	if got := posts(h, care); len(got) != 1 || !strings.Contains(got[0], "Tue 06 Oct 2026 15:00 CEST") {
		t.Fatalf("October agenda: %q", got)
	}
	advanceTo(h, utc(2026, 10, 6, 13, 0))
	if got := posts(h, care); len(got) != 2 || !strings.Contains(got[1], "starts now") {
		t.Fatalf("October reminder: %q", got)
	}
	h.Say("/sync list").Contains(t, "next Tue 03 Nov 2026 15:00 CET")

	advanceTo(h, utc(2026, 11, 2, 13, 59)) // 14:59 CET: not yet
	if n := len(posts(h, care)); n != 2 {
		t.Fatalf("%d posts before the November agenda, want 2", n)
	}
	advanceTo(h, utc(2026, 11, 2, 14, 0)) // 15:00 CET
	if got := posts(h, care); len(got) != 3 || !strings.Contains(got[2], "Tue 03 Nov 2026 15:00 CET") {
		t.Fatalf("November agenda: %q", got)
	}
	advanceTo(h, utc(2026, 11, 3, 13, 59))
	if n := len(posts(h, care)); n != 3 {
		t.Fatalf("the November reminder came early: %d posts", n)
	}
	advanceTo(h, utc(2026, 11, 3, 14, 0))
	if n := len(posts(h, care)); n != 4 {
		t.Fatalf("no November reminder at 14:00 UTC: %d posts", n)
	}
}

func TestSkipAndRemove(t *testing.T) {
	h := newHarness(t)
	say(t, h, "/sync add customer-care", "/sync add sales --week last --weekday thu --time 10:30 --tz Europe/London --duration 45m")
	h.Say("@dana /sync skip 1").Fails(t, bot.EForbidden, "social-lead")
	h.Say("/sync skip 1").Contains(t, "Sync #1 (Customer Care × social team) skips Tue 01 Dec 2026 15:00 CET; next is Tue 05 Jan 2027 15:00 CET.")
	if got := posts(h, care); len(got) != 1 || !strings.Contains(got[0], "skips") {
		t.Fatalf("the department was not told: %q", got)
	}
	advanceTo(h, utc(2026, 12, 2, 0, 0))
	if n := len(posts(h, care)); n != 1 {
		t.Errorf("a skipped sync posted anyway: %q", posts(h, care))
	}
	// The sales sync (last Thursday, 26 November) ran meanwhile.
	if got := posts(h, "#sales"); len(got) != 2 || !strings.Contains(got[0], "Thu 26 Nov 2026 10:30 GMT (45m)") {
		t.Errorf("sales posts = %q", got)
	}
	h.Say("@dana /sync remove 1").Fails(t, bot.EForbidden, "social-lead")
	h.Say("/sync remove 1").Contains(t, "Sync #1 (Customer Care × social team) removed by @alex")
	advanceTo(h, utc(2027, 1, 6, 0, 0))
	if n := len(posts(h, care)); n != 1 {
		t.Errorf("a removed sync posted: %q", posts(h, care))
	}
	h.Say("/sync agenda 1").Fails(t, bot.ENotFound, "there is no sync #1")
	h.Say("/sync list").Contains(t, "Standing syncs (1):", "#2 Sales × social team — last Thu 10:30 Europe/London, 45m")
}

func TestAddChecksItsInput(t *testing.T) {
	h := newHarness(t)
	h.Say("@dana /sync add sales").Fails(t, bot.EForbidden, "social-lead")
	for line, want := range map[string]string{
		"/sync add marketing":                   "unknown department",
		"/sync add sales --week fifth":          "--week",
		"/sync add sales --weekday funday":      "--weekday",
		"/sync add sales --time 25:00":          "--time",
		"/sync add sales --tz Mars/Olympus":     "unknown time zone",
		"/sync add sales --tz Local":            "IANA time zone",
		"/sync add sales --duration soon":       "not a duration",
		"/sync add sales --duration 10h":        "at most",
		"/sync add sales hr":                    "unexpected",
		"/sync notes 1":                         "missing arguments",
		"/sync agenda one":                      "not an id",
		"/sync add customer-care --colour blue": "unknown option",
	} {
		h.Say(line).Fails(t, bot.EInvalid, want)
	}
	say(t, h, "/sync add sales")
	h.Say("/sync add SALES --week last").Fails(t, bot.EConflict, "sales already has a standing sync (#1)")
	h.Say("/sync list").Contains(t, "Standing syncs (1):")
}

func TestNotesAreDecisions(t *testing.T) {
	h := newHarness(t)
	say(t, h, "/sync add legal")
	say(t, h, "@dana /sync notes 1 Legal reviews giveaway terms within 48h")
	ds, err := h.Store.ListDecisions(t.Context(), store.DecisionQuery{Kind: store.KindSyncNote})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].Ref != "sync:1" || ds[0].Actor != "dana" || ds[0].Text != "Legal reviews giveaway terms within 48h" {
		t.Errorf("decisions = %+v", ds)
	}
	h.Say("/sync notes 7 hello").Fails(t, bot.ENotFound, "there is no sync #7")
}

// kpis and routes stand in for the KPI and routing features.
type kpis struct{}

func (kpis) KPISummary(_ context.Context, department string, since, until time.Time) ([]string, error) {
	return []string{"Median first response for " + department + ": 42 min (target 60)"}, nil
}

type routes struct{ now time.Time }

func (r routes) ListRoutedIssues(_ context.Context, q store.RoutedIssueQuery) ([]store.RoutedIssue, error) {
	if !q.Unresolved || q.Department != "customer-care" {
		return nil, nil
	}
	return []store.RoutedIssue{ // newest first, like the store
		{ID: 9, Text: "not due yet", Status: store.IssueOpen, DueAt: r.now.Add(time.Hour)},
		{ID: 8, Text: "answered late", Status: store.IssueAnswered, DueAt: r.now.Add(-time.Hour), AnsweredAt: r.now},
		{ID: 7, Text: "my parcel never came", Brand: "acme", Status: store.IssueClaimed, DueAt: utc(2026, 11, 20, 10, 0)},
	}, nil
}

func TestAgendaSourcesFromOtherFeatures(t *testing.T) {
	withSources := func(r *bot.Router, d commands.Deps) {
		syncs.RegisterWith(r, d, d.Store, []syncs.AgendaSource{
			syncs.KPIs{Report: kpis{}},
			syncs.OverdueIssues{Lister: routes{now: commandstest.Start}},
		})
	}
	h := newHarness(t, withSources)
	say(t, h, "/sync add customer-care")
	r := h.Say("/sync agenda 1")
	if !r.Private() {
		t.Error("the agenda preview is not private")
	}
	text := r.Text()
	checkContains(t, "agenda", text,
		"Facilitator: @lee",
		"1. KPIs", "Median first response for customer-care: 42 min (target 60)",
		"2. Overdue routed issues for Customer Care", "#7 my parcel never came (acme) — due Fri 20 Nov 11:00, claimed",
		"3. Open floor",
	)
	for _, absent := range []string{"#8", "#9"} {
		if strings.Contains(text, absent) {
			t.Errorf("agenda lists %s, which is not overdue:\n%s", absent, text)
		}
	}
}

type crises struct{}

func (crises) ListCrises(_ context.Context, all bool) ([]store.Crisis, error) {
	if !all {
		return nil, nil
	}
	return []store.Crisis{
		{ID: 3, Severity: "sev2", Title: "Checkout outage", Brand: "acme", Status: store.CrisisResolved, OpenedAt: utc(2026, 11, 10, 9, 0), Summary: "fixed in 2h"},
		{ID: 4, Severity: "sev1", Title: "Settlement talks", Status: store.CrisisOpen, OpenedAt: utc(2026, 11, 12, 9, 0), Confidential: true},
		{ID: 2, Severity: "sev4", Title: "Slow thread", Status: store.CrisisOpen, OpenedAt: utc(2026, 9, 1, 9, 0)},
		{ID: 1, Severity: "sev3", Title: "Old news", Status: store.CrisisResolved, OpenedAt: utc(2026, 9, 1, 9, 0)},
	}, nil
}

func TestCrisesOfTheMonthAndStillOpen(t *testing.T) {
	q := syncs.AgendaQuery{Since: utc(2026, 11, 1, 14, 0), Until: commandstest.Start}
	sec, err := syncs.Crises{Lister: crises{}}.AgendaSection(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	// The agenda is read outside the rooms: no summary, no confidential title.
	want := []string{"#3 sev2 Checkout outage (acme) — resolved", "#4 sev1 (confidential) — open", "#2 sev4 Slow thread — open"}
	if strings.Join(sec.Lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines = %q, want %q", sec.Lines, want)
	}
}

func TestMissingSourcesAreLabelled(t *testing.T) {
	q := syncs.AgendaQuery{Department: config.Department{ID: "sales", Name: "Sales"}}
	for _, src := range []syncs.AgendaSource{syncs.KPIs{}, syncs.Crises{}, syncs.OverdueIssues{}} {
		sec, err := src.AgendaSection(t.Context(), q)
		if err != nil || len(sec.Lines) != 0 || sec.Empty == "" || sec.Title == "" {
			t.Errorf("%T without input = %+v, %v; want a labelled placeholder", src, sec, err)
		}
	}
}

// TestTimersSurviveARestart adds a sync and a test proposal, then lets a
// second bot on the same data directory (the first one "crashed") fire the
// agenda and the monthly pick.
func TestTimersSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	first := commandstest.New(t, []commandstest.Register{experiment.Register, syncs.Register}, commandstest.WithDataDir(dir))
	say(t, first, "/sync add customer-care", "/test propose Question hooks", "@dana /test vote 1")

	second := commandstest.New(t, []commandstest.Register{experiment.Register, syncs.Register}, commandstest.WithDataDir(dir))
	advanceTo(second, utc(2026, 12, 1, 14, 0))
	if got := posts(second, care); len(got) != 2 || !strings.Contains(got[0], "*Agenda") || !strings.Contains(got[1], "starts now") {
		t.Errorf("after the restart, %s got %q", care, got)
	}
	if got := posts(second, "#all-brands"); len(got) != 1 || !strings.Contains(got[0], "Test #1 picked") {
		t.Errorf("after the restart, the pick announcements are %q", got)
	}
	if n := len(first.Chat.Events("post")); n != 0 {
		t.Errorf("the stopped bot posted %d times", n)
	}
}
