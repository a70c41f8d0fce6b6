package freetext_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/commandstest/freetext"
)

// TestRepliesQuoteAtMost200CharactersOfBadInput types a 10,000-character
// bad word into the real commands: each refusal quotes its start, cut with
// "…", never all of it.
func TestRepliesQuoteAtMost200CharactersOfBadInput(t *testing.T) {
	huge := strings.Repeat("y", 10000)
	h := freetext.Harness(t)
	for _, line := range []string{
		"/" + huge,
		"/crisis " + huge,
		"/crisis open " + huge + " Title",
		"/crisis open sev2 Title --brand " + huge,
		"/crisis approve " + huge,
		"/role assign " + huge + " @dana",
		"/role assign legal @" + huge,
		"/route claim " + huge,
		"/route reassign 1 " + huge,
		"/alerts snooze 1 " + huge,
		"/test vote " + huge,
		"/sync agenda " + huge,
		"/decisions --since " + huge,
		"/decision x --" + huge,
	} {
		r := h.Say(line)
		if r.Err == nil {
			t.Errorf("%.30q…: no error", line)
			continue
		}
		text := r.Text()
		if strings.Contains(text, strings.Repeat("y", bot.MaxEcho)) || utf8.RuneCountInString(text) > 1000 {
			t.Errorf("%.30q…: reply of %d characters: %.300q", line, utf8.RuneCountInString(text), text)
		}
	}
}
