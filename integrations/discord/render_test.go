package discord

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
)

func TestRenderSplitsLongText(t *testing.T) {
	h := newHarness(t)
	text := strings.Repeat("A line of a long status update.\n", 150) // 4,800 characters
	parts := mustRender(t, h, bot.Message{Text: text, Buttons: []bot.Button{{Label: "Ack", Command: "/alerts ack 1"}}})
	if len(parts) != 3 {
		t.Fatalf("%d parts, want 3", len(parts))
	}
	var joined []string
	for i, p := range parts {
		if n := textLen(p.content); n > maxContent || n == 0 {
			t.Errorf("part %d has %d characters", i, n)
		}
		if !strings.HasSuffix(strings.TrimSpace(p.content), ".") {
			t.Errorf("part %d cut mid-line: %q", i, p.content[len(p.content)-20:])
		}
		if (len(p.components) > 0) != (i == len(parts)-1) {
			t.Errorf("part %d has %d button rows; buttons belong on the last", i, len(p.components))
		}
		joined = append(joined, p.content)
	}
	if strings.TrimSpace(strings.Join(joined, "\n")) != strings.TrimSpace(text) {
		t.Error("text lost in splitting")
	}
}

func TestRenderRichMessageWithinEmbedLimits(t *testing.T) {
	h := newHarness(t)
	m := bot.Message{Title: strings.Repeat("T", 300), Text: strings.Repeat("word ", 1900), Footer: "footer"}
	for i := range 40 {
		m.Fields = append(m.Fields, bot.Field{Title: fmt.Sprintf("Field %d", i), Value: strings.Repeat("v", 300)})
	}
	m.Fields = append(m.Fields, bot.Field{Title: "Huge", Value: strings.Repeat("x ", 1500)}, bot.Field{})
	parts := mustRender(t, h, m)
	fields, embeds := 0, 0
	for i, p := range parts {
		total := 0
		if len(p.embeds) > maxEmbeds {
			t.Errorf("part %d has %d embeds", i, len(p.embeds))
		}
		for _, e := range p.embeds {
			embeds++
			total += embedLen(e)
			if textLen(e.Title) > maxEmbedTitle || textLen(e.Description) > maxEmbedDesc || len(e.Fields) > maxEmbedFields {
				t.Errorf("embed over limits: title %d, description %d, fields %d", textLen(e.Title), textLen(e.Description), len(e.Fields))
			}
			for _, f := range e.Fields {
				fields++
				if f.Name == "" || f.Value == "" || textLen(f.Name) > maxFieldName || textLen(f.Value) > maxFieldValue {
					t.Errorf("field %q of %d characters", f.Name, textLen(f.Value))
				}
			}
		}
		if total > maxEmbedChars {
			t.Errorf("part %d carries %d characters of embeds", i, total)
		}
	}
	if fields != 40+3+1 {
		t.Errorf("%d fields, want 44 (the huge one in three)", fields)
	}
	last := parts[len(parts)-1].embeds
	if f := last[len(last)-1].Footer; f == nil || f.Text != "footer" {
		t.Errorf("footer missing from the last embed")
	}
	if embeds < 3 {
		t.Errorf("%d embeds; the description alone needs 3", embeds)
	}
}

func TestRenderButtonRows(t *testing.T) {
	h := newHarness(t)
	var buttons []bot.Button
	for i := range 30 {
		buttons = append(buttons, bot.Button{Label: fmt.Sprintf("Vote %d", i), Command: fmt.Sprintf("/test vote %d", i)})
	}
	buttons = append(buttons, bot.Button{Label: "Again", Command: "/test vote 0"}, bot.Button{Command: "/x", Style: bot.StyleDanger})
	parts := mustRender(t, h, bot.Message{Text: "Vote", Buttons: buttons})
	if len(parts) != 2 || parts[0].content != "Vote" || parts[1].content != moreButtonsTitle {
		t.Fatalf("parts = %+v", parts)
	}
	var ids []string
	for _, p := range parts {
		if len(p.components) > maxRows {
			t.Errorf("%d rows in one message", len(p.components))
		}
		for _, row := range p.components {
			r := row.(discordgo.ActionsRow)
			if len(r.Components) > maxRowButtons {
				t.Errorf("%d buttons in a row", len(r.Components))
			}
			for _, c := range r.Components {
				b := c.(discordgo.Button)
				ids = append(ids, b.CustomID)
				if b.CustomID == "/x" && (b.Label != "/x" || b.Style != discordgo.DangerButton) {
					t.Errorf("button %+v", b)
				}
			}
		}
	}
	if len(ids) != 31 {
		t.Errorf("%d buttons, want 31 (the repeated command once)", len(ids))
	}
}

func TestMentionsOfKnownPeople(t *testing.T) {
	h := newHarness(t)
	got := h.a.discordMentions("Invited @dana, @ghost and @discord-42; mail x@dana.com or @lee. @dana:@sam")
	want := "Invited <@" + danaID + ">, @ghost and <@42>; mail x@dana.com or <@" + leeID + ">. <@" + danaID + ">:@sam"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// FuzzSplitText checks that splitting keeps every word and every limit.
func FuzzSplitText(f *testing.F) {
	f.Add("short", 10)
	f.Add(strings.Repeat("abc def\n", 50), 30)
	f.Add(strings.Repeat("😀", 40), 7)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 2 || n > 5000 {
			t.Skip()
		}
		parts := splitText(s, n)
		for _, p := range parts {
			if p == "" || textLen(p) > n {
				t.Fatalf("part %q of %d characters, limit %d", p, textLen(p), n)
			}
		}
		if strings.Join(strings.Fields(strings.Join(parts, " ")), "") != strings.Join(strings.Fields(s), "") {
			t.Fatalf("split %q into %q", s, parts)
		}
	})
}

func mustRender(t *testing.T, h *harness, m bot.Message) []part {
	t.Helper()
	parts, err := h.a.render(t.Context(), m)
	if err != nil {
		t.Fatal(err)
	}
	return parts
}
