package shell

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/commandstest/freetext"
)

// TestShellKeepsFreeTextAsTyped types every free-text command with texts
// full of quotes, apostrophes, backslashes and spaces, with and without
// the @user and #channel prefixes.
func TestShellKeepsFreeTextAsTyped(t *testing.T) {
	rec := freetext.NewRecorder(freetext.Commands(t))
	chat, err := NewChat(&bytes.Buffer{}, map[string]string{"alex": "Alex"}, "")
	if err != nil {
		t.Fatal(err)
	}
	s := New(Options{Chat: chat, Dispatcher: rec.Router, Clock: fixedClock(), User: "alex"})
	for _, c := range freetext.Cases {
		for _, text := range freetext.Texts {
			for _, prefix := range []string{"", "@dana #ops ", "  #ops\t@dana  "} {
				if _, err := s.Line(context.Background(), prefix+c.Line()+" "+text); err != nil {
					t.Fatal(err)
				}
				rec.Check(t, c, text)
			}
		}
	}
}

// TestAmbiguousChannelPrefixIsRefused: "#crisis" names two rooms, so the
// line is refused with both names rather than run in one of them.
func TestAmbiguousChannelPrefixIsRefused(t *testing.T) {
	ts := newTestShell(t, false)
	ctx := context.Background()
	for _, name := range []string{"crisis-20261123-checkout", "crisis-20261123-shipping"} {
		if _, err := ts.Chat.CreateRoom(ctx, bot.RoomSpec{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	for _, line := range []string{"#crisis /crisis status hi", "@dana #crisis-2026 /crisis status hi"} {
		_, err := ts.Line(ctx, line)
		if err == nil || !strings.Contains(err.Error(), "ambiguous") ||
			!strings.Contains(err.Error(), "#crisis-20261123-checkout, #crisis-20261123-shipping") {
			t.Errorf("%q: err = %v, want ambiguous naming both rooms", line, err)
		}
	}
	if _, err := ts.Line(ctx, ":in #crisis"); err == nil || !strings.Contains(err.Error(), "ambiguous") {
		t.Errorf(":in #crisis: err = %v, want ambiguous", err)
	}
	if n := len(ts.disp.requests()); n != 0 {
		t.Errorf("%d requests dispatched, want none", n)
	}
	ts.line(t, "#crisis-20261123-s /crisis status hi")
	if reqs := ts.disp.requests(); len(reqs) != 1 || reqs[0].Channel != "#crisis-20261123-shipping" {
		t.Errorf("unique prefix: requests = %+v", reqs)
	}
}
