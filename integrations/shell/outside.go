package shell

import (
	"fmt"
	"strings"

	"github.com/interlock-coe/interlock/bot"
)

// shellText renders a message for the terminal. The people it notifies are
// named on a line of their own. Outside text (msg.Outside) is shown inert:
// a control character in it (a terminal escape could rewrite the screen or
// the title bar) is printed as \xNN; line breaks and tabs stay.
func shellText(msg bot.Message) string {
	text := bot.PlainText(msg)
	if msg.Outside {
		text = inertControls(text)
	}
	if len(msg.Notify) > 0 {
		text = "🔔 @" + strings.Join(msg.Notify, " @") + "\n" + text
	}
	return text
}

func inertControls(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
