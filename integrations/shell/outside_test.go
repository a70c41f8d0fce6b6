package shell

import (
	"testing"

	"github.com/interlock-coe/interlock/bot"
)

func TestShellTextShowsOutsideTextInert(t *testing.T) {
	msg := bot.Quoting(bot.Message{Text: "> hi\x1b[2J\x1b]0;pwned\x07 @everyone\tok\nnext"}, "lee")
	want := "🔔 @lee\n> hi\\x1b[2J\\x1b]0;pwned\\x07 @everyone\tok\nnext"
	if got := shellText(msg); got != want {
		t.Errorf("shellText = %q\nwant %q", got, want)
	}
	staff := bot.Message{Text: "plain \x1b[1mbold"}
	if got := shellText(staff); got != staff.Text {
		t.Errorf("staff text changed: %q", got)
	}
}
