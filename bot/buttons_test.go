package bot

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestButtonActionRoundTrip(t *testing.T) {
	tests := []struct {
		button Button
		typed  string
	}{
		{Button{Label: "Approve", Command: "/crisis approve 1"}, "/crisis approve 1"},
		{Button{Label: "Reject", Command: "/crisis reject 1", Input: &Input{Name: "reason", Label: "Why reject #1?"}}, "/crisis reject 1 <reason…>"},
		{Button{Command: `/decision say "no" \ {}`, Input: &Input{Name: "note", Label: "Ünïcode ✓\nline"}}, `/decision say "no" \ {} <note…>`},
	}
	for _, tt := range tests {
		if got := tt.button.Typed(); got != tt.typed {
			t.Errorf("Typed() = %q, want %q", got, tt.typed)
		}
		got, err := ParseAction(tt.button.Action())
		if err != nil {
			t.Fatalf("ParseAction(%q): %v", tt.button.Action(), err)
		}
		if got.Command != tt.button.Command || (got.Input == nil) != (tt.button.Input == nil) ||
			(got.Input != nil && *got.Input != *tt.button.Input) {
			t.Errorf("ParseAction(Action(%+v)) = %+v", tt.button, got)
		}
	}
}

func TestParseActionRefuses(t *testing.T) {
	for _, s := range []string{"", "crisis approve 1", "h:abc", "{", `{"c":"crisis"}`, `{"c":"/crisis reject 1"}`, `{"c":"/x","n":""}`} {
		if b, err := ParseAction(s); err == nil {
			t.Errorf("ParseAction(%q) = %+v, want an error", s, b)
		}
	}
}

func TestButtonWithInput(t *testing.T) {
	b := Button{Command: "/crisis reject 2", Input: &Input{Name: "reason"}}
	if got, err := b.WithInput("  off-brand tone \n"); err != nil || got != "/crisis reject 2 off-brand tone" {
		t.Errorf("WithInput = %q, %v", got, err)
	}
	if _, err := b.WithInput(" \t"); !IsCode(err, EInvalid) || !strings.Contains(err.Error(), "reason is required") {
		t.Errorf("WithInput(blank) = %v, want an invalid error naming the reason", err)
	}
}

func TestPlainTextShowsTypedEquivalent(t *testing.T) {
	m := Message{Buttons: []Button{{Label: "Reject", Command: "/crisis reject 1", Input: &Input{Name: "reason"}}}}
	if got := PlainText(m); !strings.Contains(got, "[Reject → /crisis reject 1 <reason…>]") {
		t.Errorf("PlainText = %q", got)
	}
}

func TestReplaceClickedOnlyForClicks(t *testing.T) {
	for _, clicked := range []bool{false, true} {
		var got []Reply
		resp := ResponderFunc(func(_ context.Context, r Reply) error {
			got = append(got, r)
			return nil
		})
		c := NewContext(context.Background(), Request{Clicked: clicked}, nil, Args{}, resp)
		if err := c.ReplaceClicked(Message{Text: "answered"}); err != nil {
			t.Fatal(err)
		}
		switch {
		case !clicked && len(got) != 0:
			t.Errorf("a typed command replaced a message: %+v", got)
		case clicked && (len(got) != 1 || !got[0].Replace || got[0].Text != "answered"):
			t.Errorf("a click answered %+v, want one Replace reply", got)
		}
	}
}

// FuzzParseAction feeds arbitrary button actions (Slack button values,
// Discord custom ids): it must never panic, and what it accepts re-encodes
// to a command a person could type.
func FuzzParseAction(f *testing.F) {
	f.Add("/crisis approve 1")
	f.Add(`{"c":"/crisis reject 1","n":"reason","l":"Why?"}`)
	f.Add(`{"c":"/x","n":"a","l":"\u0000"}`)
	f.Add("{}")
	f.Add("h:0123")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseAction(s)
		if err != nil {
			return
		}
		if !strings.HasPrefix(b.Command, "/") || (b.Input != nil && b.Input.Name == "") {
			t.Fatalf("ParseAction(%q) = %+v", s, b)
		}
		if utf8.ValidString(s) {
			if again, err := ParseAction(b.Action()); err != nil || again.Command != b.Command {
				t.Fatalf("re-encoding %q: %+v, %v", s, again, err)
			}
		}
	})
}
