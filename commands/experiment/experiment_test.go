package experiment_test

import (
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/experiment"
	"github.com/interlock-coe/interlock/commands/role"
	"github.com/interlock-coe/interlock/store"
)

const announce = "#all-brands"

func newHarness(t *testing.T) *commandstest.Harness {
	t.Helper()
	return commandstest.New(t, []commandstest.Register{role.Register, experiment.Register})
}

// say runs lines that must succeed.
func say(t *testing.T, h *commandstest.Harness, lines ...string) {
	t.Helper()
	for _, line := range lines {
		if r := h.Say(line); r.Err != nil {
			t.Fatalf("%s: %v\n%s", line, r.Err, r.Text())
		}
	}
}

func checkContains(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
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

// proposeThree fills the sheet: #2 gets three votes, #1 and #3 one each.
func proposeThree(t *testing.T, h *commandstest.Harness) {
	t.Helper()
	h.Say(`@dana /test propose Question hooks in reels --hypothesis "questions lift comments" --metric engagement-rate --brand acme --channel instagram`).
		Contains(t, "Test #1 proposed by @dana: Question hooks in reels (acme · instagram)", "/test vote 1")
	say(t, h,
		"@sam /test propose UGC carousel vs studio shots --brand globex",
		"@lee /test propose Emoji in CTA --channel tiktok",
		"@dana /test vote 2", "@sam /test vote #2", "@lee /test vote 2",
		"@dana /test vote 1", "@lee /test vote 3",
	)
}

func TestMonthlyPickTakesTheTopVotedTestAndRotatesBrands(t *testing.T) {
	h := newHarness(t)
	proposeThree(t, h)
	h.Say("@dana /test vote 2").Fails(t, bot.EConflict, "@dana already voted for test #2")

	// The pick is due on the 1st at 10:00 Berlin time: 09:00 UTC on 1 December.
	h.Advance(7*24*time.Hour + 23*time.Hour + 59*time.Minute)
	if got := posts(h, announce); len(got) != 0 {
		t.Fatalf("picked before the 1st: %q", got)
	}
	h.Advance(time.Minute)
	got := posts(h, announce)
	if len(got) != 1 {
		t.Fatalf("announcements after the pick: %q, want one", got)
	}
	for _, want := range []string{"Monthly test pick", "Test #2 picked: UGC carousel vs studio shots (globex), 3 votes", "Owner: @alex (acme's turn)", "/test start 2"} {
		if !strings.Contains(got[0], want) {
			t.Errorf("announcement lacks %q:\n%s", want, got[0])
		}
	}
	h.Say("/test list --status picked").Contains(t, "#2 [picked] UGC carousel", "owner @alex (acme)")

	// Next month: #1 and #3 tie on votes; the older one wins, and it is
	// globex's turn.
	h.Advance(31 * 24 * time.Hour)
	got = posts(h, announce)
	if len(got) != 2 || !strings.Contains(got[1], "Test #1 picked") || !strings.Contains(got[1], "(globex's turn)") {
		t.Fatalf("second month's announcement: %q", got)
	}
}

func TestPickByHandSkipsThatMonthsScheduledPick(t *testing.T) {
	h := newHarness(t)
	proposeThree(t, h)
	h.Say("@dana /test pick").Fails(t, bot.EForbidden, "social-lead")
	h.Say("/test pick 3").Contains(t, "Test #3 picked: Emoji in CTA (tiktok), 1 vote. Owner: @alex (acme's turn)")
	h.Say("/test pick 3").Fails(t, bot.EConflict, "test #3 is picked, not proposed")
	h.Advance(8 * 24 * time.Hour)
	if got := posts(h, announce); len(got) != 0 {
		t.Errorf("the monthly pick ran after a pick by hand: %q", got)
	}
	// The month after, it picks again, with the rotation moved on.
	h.Advance(31 * 24 * time.Hour)
	got := posts(h, announce)
	if len(got) != 1 || !strings.Contains(got[0], "Test #2 picked") || !strings.Contains(got[0], "(globex's turn)") {
		t.Errorf("announcements = %q", got)
	}
}

func TestResultReportsLiftSignificanceAndIsAnnounced(t *testing.T) {
	h := newHarness(t)
	proposeThree(t, h)
	h.Say("/test result 1 a=120/4000 b=165/4000").Fails(t, bot.EConflict, "test #1 is proposed")
	h.Advance(8 * 24 * time.Hour) // the monthly pick takes #2
	say(t, h, "@alex /test start 2")

	r := h.Say("@alex /test result 2 a=120/4000 b=165/4000 --notes two weeks on reels")
	r.Contains(t, `Result of test #2 "UGC carousel vs studio shots" recorded as decision`, "announced in #all-brands",
		"B wins at 95% confidence (+37.5% relative lift). A 3.00% (120/4000), B 4.13% (165/4000), lift +37.5%, p = 0.0066")
	if r.Private() {
		t.Error("the result reply is private; the channel should see it")
	}
	got := posts(h, announce)
	if len(got) != 2 {
		t.Fatalf("announcements = %q, want the pick and the result", got)
	}
	checkContains(t, "announcement", got[1],
		"Test result #2: UGC carousel vs studio shots (globex)",
		"A: 3.00% (120/4000)", "B: 4.13% (165/4000)",
		"Lift (B vs A): +37.5%",
		"p-value: 0.0066",
		"Verdict: B wins at 95% confidence (+37.5% relative lift)",
		"Notes: two weeks on reels",
		"/test replicate 2 --brand <brand>",
	)
	ds, err := h.Store.ListDecisions(t.Context(), store.DecisionQuery{Kind: store.KindResult})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].Ref != "test:2" || ds[0].Context != "two weeks on reels" ||
		!strings.Contains(ds[0].Text, "B wins") || !strings.Contains(ds[0].Text, "lift +37.5%, p = 0.0066") {
		t.Errorf("decision log = %+v", ds)
	}
	h.Say("/test result 2 a=1/2 b=1/2").Fails(t, bot.EConflict, "test #2 is done")
}

func TestResultWithoutAWinnerSaysHowManyMoreTrials(t *testing.T) {
	h := newHarness(t)
	say(t, h, "/test propose Short captions", "/test pick 1")
	h.Say("/test result 1 a=12/400 b=16/400").
		Contains(t, "no clear winner — need about 5,000 more trials per arm", "lift +33.3%")
	// Typed in the announcement channel, the full read-out is the reply.
	say(t, h, "/test propose Long captions", "/test pick 2")
	h.Say("#all-brands /test result 2 a=10/400 b=10/400").Contains(t, "Lift (B vs A): +0.0%", "the variants performed identically")
	if n := len(posts(h, announce)); n != 1 {
		t.Errorf("%d announcements, want only the first result's", n)
	}
	h.Say("/test replicate 1 --brand globex").Fails(t, bot.EConflict, "no winner")
}

func TestResultArgumentsAreChecked(t *testing.T) {
	h := newHarness(t)
	say(t, h, "/test propose Short captions", "/test pick 1")
	for line, want := range map[string]string{
		"/test result 1 a=5/4 b=1/2":        "more successes than trials",
		"/test result 1 a=1/2 c=1/2":        "not a variant",
		"/test result 1 a=1/2 b=1/2 b=1/3":  `unexpected "b=1/3"`,
		"/test result 1 a=1/0 b=1/2":        "at least one trial",
		"/test result x a=1/2 b=1/2":        "not an id",
		"/test result 1 a=one/2 b=1/2":      "whole number",
		"/test result 1 a=1/2 b=1/2 --fish": "unknown option",
	} {
		h.Say(line).Fails(t, bot.EInvalid, want)
	}
	h.Say("/test result 9 a=1/2 b=1/2").Fails(t, bot.ENotFound, "no test #9")
}

func TestReplicateAWinner(t *testing.T) {
	h := newHarness(t)
	say(t, h, "/test propose Question hooks", "/test pick 1", "/test result 1 a=120/4000 b=165/4000")
	h.Say("@lee /test replicate 1").Fails(t, bot.EInvalid, "add --brand B")
	h.Say("/test replicate 1 --brand acme").Fails(t, bot.EConflict, "acme ran test #1 itself")
	h.Say("@lee /test replicate 1 --brand globex").Contains(t, "globex adopts test #1", "variant B won", "Replicated by: globex")
	h.Say("@lee /test replicate 1 --brand globex").Fails(t, bot.EConflict, "globex already replicated test #1")
	h.Say("@lee /test replicate 1 --brand nope").Fails(t, bot.EInvalid, "unknown brand")
	// A person who holds a role for one brand needs no --brand.
	say(t, h, "/role assign community @priya --brand umbrella")
	h.Say("@priya /test replicate 1").Contains(t, "umbrella adopts test #1", "Replicated by: globex, umbrella")
}

func TestSheetIsCSV(t *testing.T) {
	h := newHarness(t)
	proposeThree(t, h)
	say(t, h, `/test propose "Prices, in captions" --hypothesis "say \"from 9\" up front"`, "/test pick 2", "/test result 2 a=120/4000 b=165/4000",
		"/test replicate 2 --brand globex", "/test drop 3")
	r := h.Say("/test sheet")
	text := r.Text()
	if !strings.HasPrefix(text, experiment.SheetHeader+"\n") {
		t.Fatalf("sheet does not start with the header:\n%s", text)
	}
	records, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatalf("sheet is not CSV: %v\n%s", err, text)
	}
	if len(records) != 5 {
		t.Fatalf("%d records, want a header and 4 tests:\n%s", len(records), text)
	}
	want := map[int][]string{
		1: {"1", "Question hooks in reels", "questions lift comments", "engagement-rate", "acme", "instagram", "dana", "1", "proposed", "", "", ""},
		3: {"3", "Emoji in CTA", "", "", "", "tiktok", "lee", "1", "dropped", "", "", ""},
	}
	for i, w := range want {
		if strings.Join(records[i], "|") != strings.Join(w, "|") {
			t.Errorf("record %d = %q, want %q", i, records[i], w)
		}
	}
	two := records[2]
	if two[8] != "done" || two[9] != "alex" || two[11] != "globex" ||
		!strings.Contains(two[10], "B wins") || !strings.Contains(two[10], "a=120/4000 b=165/4000") || !strings.Contains(two[10], "p=0.0066") {
		t.Errorf("record 2 = %q", two)
	}
	if records[4][1] != "Prices, in captions" || records[4][2] != `say "from 9" up front` {
		t.Errorf("a title with a comma did not survive: %q", records[4])
	}
}

func TestListStartAndDrop(t *testing.T) {
	h := newHarness(t)
	h.Say("/test list").Contains(t, "No tests yet")
	proposeThree(t, h)
	h.Say("/test start 1").Fails(t, bot.EConflict, "only a picked test can start")
	h.Say("@sam /test drop 1").Fails(t, bot.EForbidden, "social-lead")
	h.Say("@dana /test drop 1").Contains(t, `Test #1 "Question hooks in reels" dropped by @dana`)
	h.Say("/test list").Contains(t, "Testing sheet (2):", `#2 [proposed] UGC carousel vs studio shots (globex) — 3 votes by @sam`)
	h.Say("/test list --status all").Contains(t, "Testing sheet (3):", "#1 [dropped]")
	h.Say("/test list --status maybe").Fails(t, bot.EInvalid, "unknown status")
	say(t, h, "/test pick")
	h.Say("/test start 2").Contains(t, "is running (owner @alex)")
	h.Say("/test list --status running").Contains(t, "#2 [running]")
	h.Say("/test vote 2").Fails(t, bot.EConflict, "votes are for proposed tests")
}

func TestMonthlyPickWithNothingProposedNudges(t *testing.T) {
	h := newHarness(t)
	say(t, h, "/test propose Short captions", "/test pick 1")
	h.Advance(8 * 24 * time.Hour)  // 1 December: picked by hand this month
	h.Advance(31 * 24 * time.Hour) // 1 January: nothing left
	got := posts(h, announce)
	if len(got) != 1 || !strings.Contains(got[0], "nothing is proposed") {
		t.Errorf("announcements = %q, want one nudge", got)
	}
}

func TestResultIsKeptWhenTheAnnouncementFails(t *testing.T) {
	h := newHarness(t)
	say(t, h, "/test propose Short captions", "/test pick 1")
	h.Chat.FailNext("post", errors.New("channel archived"))
	h.Say("/test result 1 a=120/4000 b=165/4000").Contains(t, "Lift (B vs A): +37.5%", "not announced to #all-brands")
	h.Say("/test list --status done").Contains(t, "#1 [done]")
}

// TestSheetCellsAreNeverFormulas proposes tests whose text a spreadsheet
// would run as formulas: every such cell comes out behind a single quote.
func TestSheetCellsAreNeverFormulas(t *testing.T) {
	h := newHarness(t)
	say(t, h, `/test propose "=1+1" --hypothesis "@cmd" --metric "=cmd|' /C calc'!A0"`, `/test propose "-2+3" --hypothesis "+1"`)
	records, err := csv.NewReader(strings.NewReader(h.Say("/test sheet").Text())).ReadAll()
	if err != nil || len(records) != 3 {
		t.Fatalf("sheet: %d records, err %v", len(records), err)
	}
	for i, want := range [][]string{
		{"'=1+1", "'@cmd", "'=cmd|' /C calc'!A0"},
		{"'-2+3", "'+1", ""},
	} {
		got := records[i+1][1:4]
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("test %d: title, hypothesis, metric = %q, want %q", i+1, got, want)
		}
	}
}
