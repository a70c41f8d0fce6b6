package crisis

import (
	"fmt"

	"github.com/interlock-coe/interlock/bot"
)

// rejectReason makes the Reject button of an approval request ask why
// (a form with one required field) instead of rejecting with a canned
// reason; the typed equivalent is "/crisis reject <id> <reason…>".
func rejectReason() *bot.Input {
	return &bot.Input{Name: "reason", Label: "Why reject this response?"}
}

// showAnswer replaces the approval request whose button was clicked with
// who answered and how, without buttons, so nobody clicks it again. The
// vote stands when the message cannot be changed: the failure is logged.
func (h *handlers) showAnswer(c *bot.Context, b ballot, answer string) {
	m := bot.Message{
		Title: fmt.Sprintf("Answered — crisis %s (%s): %s", bot.FormatID(b.crisis.ID), b.crisis.Severity, b.crisis.Title),
		Text:  fmt.Sprintf("%s — proposal %s by @%s:\n> %s", answer, bot.FormatID(b.proposal.ID), b.proposal.ProposedBy, b.proposal.Text),
	}
	if err := c.ReplaceClicked(m); err != nil {
		h.Log.Warn("cannot mark the approval request answered", "crisis", b.crisis.ID, "proposal", b.proposal.ID, "err", err)
	}
}
