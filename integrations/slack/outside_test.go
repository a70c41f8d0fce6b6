package slack

import (
	"context"
	"strings"
	"testing"

	"github.com/interlock-coe/interlock/bot"
)

// TestOutsideTextIsInert posts a routed inbox message whose author and text
// imitate people and Slack mentions: all of it is escaped, no "@handle" in
// it is linked to a person, and only the person it notifies is mentioned.
func TestOutsideTextIsInert(t *testing.T) {
	f := newFakeSlack(t)
	a, _, _ := testAdapter(t, f, nil)
	msg := bot.Quoting(bot.Message{
		Title:  "Routed issue #1 → Customer Care",
		Text:   "@carol a customer issue — please claim it\n> <@U123> @everyone <!channel> <#C1> & @alice",
		Fields: []bot.Field{{Title: "From", Value: "@alice on x via inbox"}},
	}, "alice")
	if _, err := a.Post(context.Background(), "C0SOCIAL", msg); err != nil {
		t.Fatal(err)
	}
	calls := f.callsTo("chat.postMessage")
	if len(calls) != 1 {
		t.Fatalf("%d messages, want 1", len(calls))
	}
	_, blocks := blockTypes(t, calls[0])
	var texts []string
	collectStrings(blocks, &texts)
	for _, sent := range []string{strings.Join(texts, "\n"), calls[0].form.Get("text")} {
		if n := strings.Count(sent, "<@U0ALICE>"); n != 1 {
			t.Errorf("alice is mentioned %d times, want once (as the person notified):\n%s", n, sent)
		}
		for _, inert := range []string{"&lt;@U123&gt;", "&lt;!channel&gt;", "&lt;#C1&gt;", "&amp; @alice", "@alice on x via inbox"} {
			if !strings.Contains(sent, inert) {
				t.Errorf("message lacks %q:\n%s", inert, sent)
			}
		}
		for _, live := range []string{"<@U123>", "<!channel>", "<#C1>"} {
			if strings.Contains(sent, live) {
				t.Errorf("outside %s reached Slack unescaped:\n%s", live, sent)
			}
		}
	}
	if !strings.Contains(blocks[0]["text"].(map[string]any)["text"].(string), "<@U0ALICE>") {
		t.Errorf("the first block does not mention the person notified: %v", blocks[0])
	}
}

// collectStrings gathers every string inside decoded JSON.
func collectStrings(v any, out *[]string) {
	switch v := v.(type) {
	case string:
		*out = append(*out, v)
	case []map[string]any:
		for _, x := range v {
			collectStrings(x, out)
		}
	case []any:
		for _, x := range v {
			collectStrings(x, out)
		}
	case map[string]any:
		for _, x := range v {
			collectStrings(x, out)
		}
	}
}
