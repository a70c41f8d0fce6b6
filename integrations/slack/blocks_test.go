package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/interlock-coe/interlock/bot"
)

// blockJSON renders blocks the way chat.postMessage sends them.
func blockJSON(t *testing.T, blocks []slack.Block) []map[string]any {
	t.Helper()
	raw, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRenderUsesBlockKit(t *testing.T) {
	pages := render(bot.Message{
		Title:   "Crisis #3",
		Text:    "Tell @alice & @nobody <now>",
		Fields:  []bot.Field{{Title: "Severity", Value: "sev2"}},
		Buttons: []bot.Button{{Label: "Approve", Command: "/crisis approve 3", Style: bot.StylePrimary}},
		Footer:  "opened by @alice",
	}, map[string]string{"alice": "U0ALICE"})
	if len(pages) != 1 {
		t.Fatalf("%d pages", len(pages))
	}
	blocks := blockJSON(t, pages[0].blocks)
	types := []string{}
	for _, b := range blocks {
		types = append(types, b["type"].(string))
	}
	if strings.Join(types, ",") != "header,section,section,actions,context" {
		t.Fatalf("blocks %v", types)
	}
	if got := blocks[1]["text"].(map[string]any)["text"]; got != "Tell <@U0ALICE> &amp; @nobody &lt;now&gt;" {
		t.Fatalf("section text %q", got)
	}
	btn := blocks[3]["elements"].([]any)[0].(map[string]any)
	if btn["value"] != "/crisis approve 3" || btn["style"] != "primary" || btn["action_id"] == "" {
		t.Fatalf("button %v", btn)
	}
	want := "*Crisis #3*\nTell <@U0ALICE> &amp; @nobody &lt;now&gt;\nSeverity: sev2\n[Approve → /crisis approve 3]\nopened by <@U0ALICE>"
	if pages[0].fallback != want {
		t.Fatalf("fallback\n%q\nwant\n%q", pages[0].fallback, want)
	}
}

func TestRenderSplitsToSlackLimits(t *testing.T) {
	var text strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&text, "line %d of the incident timeline, with enough words to matter\n", i)
	}
	var fields []bot.Field
	for i := range 45 {
		fields = append(fields, bot.Field{Title: fmt.Sprint("f", i), Value: "v"})
	}
	var buttons []bot.Button
	for i := range 30 {
		buttons = append(buttons, bot.Button{Label: fmt.Sprint("b", i), Command: fmt.Sprint("/test vote ", i)})
	}
	pages := render(bot.Message{Title: strings.Repeat("long title ", 20), Text: text.String(), Fields: fields, Buttons: buttons}, nil)

	var sections, fieldCount int
	var rebuilt []string
	actionIDs := map[string]bool{}
	for i, p := range pages {
		if len(p.blocks) > maxBlocks {
			t.Fatalf("page %d has %d blocks", i, len(p.blocks))
		}
		if i < len(pages)-1 && len(p.blocks) != maxBlocks {
			t.Fatalf("page %d has %d blocks though more follow", i, len(p.blocks))
		}
		if units(p.fallback) > maxFallback {
			t.Fatalf("page %d fallback is %d long", i, units(p.fallback))
		}
		for _, b := range blockJSON(t, p.blocks) {
			switch b["type"] {
			case "section":
				if tx, ok := b["text"].(map[string]any); ok {
					s := tx["text"].(string)
					if units(s) > maxSectionText {
						t.Fatalf("a section of %d characters", units(s))
					}
					if !strings.HasPrefix(s, "*long title") {
						sections++
						rebuilt = append(rebuilt, s)
					}
				}
				if fs, ok := b["fields"].([]any); ok {
					if len(fs) > maxFields {
						t.Fatalf("a section with %d fields", len(fs))
					}
					fieldCount += len(fs)
				}
			case "actions":
				for _, e := range b["elements"].([]any) {
					id := e.(map[string]any)["action_id"].(string)
					if actionIDs[id] {
						t.Fatalf("action_id %s used twice", id)
					}
					actionIDs[id] = true
				}
			}
		}
	}
	if len(pages) < 2 || sections < 40 || fieldCount != 45 || len(actionIDs) != 30 {
		t.Fatalf("%d pages, %d text sections, %d fields, %d buttons", len(pages), sections, fieldCount, len(actionIDs))
	}
	if strings.Join(rebuilt, "\n") != strings.TrimRight(text.String(), "\n") {
		t.Fatal("the text sections do not add up to the text")
	}
}

func TestPostSplitsLongMessages(t *testing.T) {
	f := newFakeSlack(t)
	a, _, _ := testAdapter(t, f, nil)
	var fields []bot.Field
	for i := range 600 { // 60 sections of fields
		fields = append(fields, bot.Field{Title: fmt.Sprint("metric ", i), Value: "42"})
	}
	ref, err := a.Post(context.Background(), "C0SOCIAL", bot.Message{Title: "KPIs", Fields: fields})
	if err != nil {
		t.Fatal(err)
	}
	calls := f.callsTo("chat.postMessage")
	if len(calls) != 2 {
		t.Fatalf("%d messages, want 2", len(calls))
	}
	first, _ := blockTypes(t, calls[0])
	second, _ := blockTypes(t, calls[1])
	if len(first) != 50 || len(second) != 11 {
		t.Fatalf("%d and %d blocks", len(first), len(second))
	}
	if ref.ID != "1700000000.000001" {
		t.Fatalf("ref %+v, want the first message", ref)
	}
}

func TestSplitText(t *testing.T) {
	cases := []struct {
		name  string
		text  string
		limit int
		want  []string
	}{
		{"fits", "short", 10, []string{"short"}},
		{"at a line break", "aaaaaa\nbbb ccc", 10, []string{"aaaaaa", "bbb ccc"}},
		{"at a space", "aaaa bbbb cccc", 10, []string{"aaaa bbbb", "cccc"}},
		{"hard", "abcdefghijkl", 5, []string{"abcde", "fghij", "kl"}},
		{"not inside an escape", "abcdefg&amp;", 10, []string{"abcdefg", "&amp;"}},
		{"not inside a mention", "abcd<@U0ALICE>", 8, []string{"abcd", "<@U0ALIC", "E>"}},
		{"runes, not bytes", "ééééé", 3, []string{"ééé", "éé"}},
		{"emoji count twice", "😀😀😀", 4, []string{"😀😀", "😀"}},
		{"blank", "   \n  ", 3, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := splitText(tc.text, tc.limit)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
				t.Fatalf("splitText(%q, %d) = %q, want %q", tc.text, tc.limit, got, tc.want)
			}
		})
	}
	if got := truncate("abcdefgh", 5); got != "abcd…" {
		t.Fatalf("truncate = %q", got)
	}
}

func TestLinkMentions(t *testing.T) {
	ids := map[string]string{"alice": "U0ALICE", "bob.smith": "U0BOB"}
	cases := map[string]string{
		"@alice":                   "<@U0ALICE>",
		"ping @alice, @bob.smith.": "ping <@U0ALICE>, <@U0BOB>.",
		"mail alice@example.com":   "mail alice@example.com",
		"@alicex @carol":           "@alicex @carol",
		"(@alice)":                 "(<@U0ALICE>)",
	}
	for in, want := range cases {
		if got := linkMentions(in, ids); got != want {
			t.Errorf("linkMentions(%q) = %q, want %q", in, got, want)
		}
	}
}
