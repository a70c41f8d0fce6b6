package content

import (
	"fmt"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// changesInput and rejectInput make the Request changes and Reject buttons
// of an approval request ask for the text (a form with one required field)
// instead of sending a canned one; the typed equivalents are
// "/content changes <id> <what…>" and "/content reject <id> <reason…>".
func changesInput() *bot.Input {
	return &bot.Input{Name: "what", Label: "What must change?"}
}

func rejectInput() *bot.Input {
	return &bot.Input{Name: "reason", Label: "Why reject this content?"}
}

// showAnswer replaces the approval request whose button was clicked with
// who answered and how, without buttons, so nobody clicks it again. The
// answer stands when the message cannot be changed: the failure is logged.
func (h *handlers) showAnswer(c *bot.Context, it store.ContentItem, a *answering) {
	how := map[string]string{
		store.VerdictApprove: "✅ Approved", store.VerdictChanges: "✏️ Changes requested", store.VerdictReject: "❌ Rejected",
	}[a.verdict]
	text := fmt.Sprintf("%s by @%s as %s (stage %s, version %d)", how, a.person, a.role, a.stage.Name, it.Version)
	if a.comment != "" {
		text += ":\n> " + a.comment
	}
	m := bot.Message{Title: "Answered — " + label(it), Text: text}
	if err := c.ReplaceClicked(m); err != nil {
		h.Log.Warn("cannot mark the content approval request answered", "content", it.ID, "err", err)
	}
}
