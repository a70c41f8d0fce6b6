package slack

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/interlock-coe/interlock/commands/commandstest/freetext"
)

// slackEscape escapes text the way Slack sends what a person typed.
var slackEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// TestSlackKeepsFreeTextAsTyped sends every free-text command as a signed
// slash command, with the text escaped as Slack escapes it, and checks the
// command gets exactly what was typed.
func TestSlackKeepsFreeTextAsTyped(t *testing.T) {
	rec := freetext.NewRecorder(freetext.Commands(t))
	hooks := newHookServer(t)
	a, clock, _ := testAdapter(t, newFakeSlack(t), rec.Router)
	n := 0
	for _, c := range freetext.Cases {
		command, rest, _ := strings.Cut(c.Line(), " ")
		for _, text := range freetext.Texts {
			n++
			typed := strings.TrimSpace(rest + " " + slackEscape.Replace(text))
			body := commandForm(command, typed, "U0ALICE", "C0SOCIAL", fmt.Sprintf("100.%d.free", n), hooks.srv.URL)
			if w := serve(a, signed("/slack/commands", body, clock.now)); w.Code != http.StatusOK {
				t.Fatalf("%s %s: status %d", c.Line(), text, w.Code)
			}
			idle(a)
			rec.Check(t, c, text)
		}
	}
}
