package decision_test

import (
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/decision"
)

func TestRecordAndSearch(t *testing.T) {
	h := commandstest.New(t, []commandstest.Register{decision.Register})
	r := h.Say("@sam /decision Pause paid social for 48h --context \"checkout outage\"")
	r.Contains(t, "Decision #2 recorded by @sam: Pause paid social for 48h")
	if r.Private() {
		t.Error("a recorded decision should be announced in the channel")
	}
	h.Clock.Set(h.Clock.Now().Add(40 * 24 * time.Hour))
	h.Say("/decision Resume paid social")
	h.Say("/decisions").Contains(t, "#3 2027-01-02 10:00", "@alex Resume paid social", "@sam Pause paid social for 48h — checkout outage")
	recent := h.Say("/decisions --since 30d").Text()
	if strings.Contains(recent, "Pause") || !strings.Contains(recent, "Resume") {
		t.Errorf("--since 30d should show only the recent decision:\n%s", recent)
	}
	h.Say("/decisions CHECKOUT").Contains(t, "Pause paid social")
	h.Say("/decisions nothing-like-this").Contains(t, "No decisions found")
}

func TestBadInput(t *testing.T) {
	h := commandstest.New(t, []commandstest.Register{decision.Register})
	h.Say("/decision").Fails(t, bot.EInvalid, "Usage: /decision <text…> [--context C]")
	h.Say("/decision x --context").Fails(t, bot.EInvalid, "--context needs a value")
	h.Say("/decisions --since soon").Fails(t, bot.EInvalid, `"soon" is not a duration`)
}

// TestSearchIsBoundedAndLiteral: a huge search is a usage error, not
// "Something went wrong", and wildcards match only themselves.
func TestSearchIsBoundedAndLiteral(t *testing.T) {
	h := commandstest.New(t, []commandstest.Register{decision.Register})
	h.Say("/decision Give 100% refunds")
	h.Say("/decision Refund order 4_2")
	h.Say("/decisions "+strings.Repeat("%", 100_000)).Fails(t, bot.EInvalid, "use at most 200")
	h.Say("/decisions "+strings.Repeat("%", 100_000)).Contains(t, "Usage: /decisions")
	r := h.Say("/decisions %").Contains(t, "Give 100% refunds")
	if strings.Contains(r.Text(), "4_2") {
		t.Errorf("%% matched more than a percent sign:\n%s", r.Text())
	}
	h.Say("/decisions _").Contains(t, "Refund order 4_2")
}
