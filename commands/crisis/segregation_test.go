package crisis_test

import (
	"strings"
	"testing"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/config"
)

func TestProposerCannotApproveOwnResponse(t *testing.T) {
	h := newHarness(t)
	h.Say("/crisis open sev3 Angry thread --brand acme")
	r3 := "#crisis-20261123-angry-thread"
	h.Say("@sam "+r3+" /crisis propose Reply with an apology").Contains(t, "Proposal #1")
	h.Say("@sam /crisis approve 1").Fails(t, bot.EForbidden, "segregation of duties")
	h.Say("@sam /crisis reject 1 changed my mind").Fails(t, bot.EForbidden, "segregation of duties")
}

func TestSegregationCanBeSwitchedOff(t *testing.T) {
	yaml := strings.Replace(string(config.Example()), "segregation_of_duties: true", "segregation_of_duties: false", 1)
	h := newHarness(t, commandstest.WithConfig(yaml))
	h.Say("/crisis open sev3 Angry thread --brand acme")
	r3 := "#crisis-20261123-angry-thread"
	h.Say("@sam " + r3 + " /crisis propose Reply with an apology")
	h.Say("@sam /crisis approve 1").Contains(t, "approved — quorum met")
}
