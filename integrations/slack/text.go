package slack

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/interlock-coe/interlock/bot"
)

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// escape makes text safe for Slack's mrkdwn: only &, < and > are special.
func escape(text string) string { return escaper.Replace(text) }

// mentionTargets returns the handles a message may notify: those it
// notifies, and those written as "@handle" unless it quotes outside text.
func mentionTargets(m bot.Message) []string {
	out := append([]string(nil), m.Notify...)
	if m.Outside {
		return out
	}
	return append(out, mentionHandles(m.Text+"\n"+m.Footer+"\n"+fieldValues(m.Fields))...)
}

// mentionHandles returns the handles written as "@handle" in text.
func mentionHandles(text string) []string {
	var out []string
	eachMention(text, func(start, end int) { out = append(out, text[start+1:end]) })
	return out
}

// linkMentions turns "@handle" into Slack's <@U…> for handles in ids, so
// the person is notified; other words are left as typed.
func linkMentions(text string, ids map[string]string) string {
	if len(ids) == 0 {
		return text
	}
	var b strings.Builder
	last := 0
	eachMention(text, func(start, end int) {
		if id := ids[text[start+1:end]]; id != "" {
			b.WriteString(text[last:start])
			b.WriteString("<@" + id + ">")
			last = end
		}
	})
	b.WriteString(text[last:])
	return b.String()
}

// eachMention calls fn with the byte range of every "@handle" in text that
// starts a word (so "a@b.com" is not one); trailing punctuation is not part
// of the handle.
func eachMention(text string, fn func(start, end int)) {
	for i := 0; i < len(text); i++ {
		if text[i] != '@' || (i > 0 && isHandleByte(text[i-1])) {
			continue
		}
		end := i + 1
		for end < len(text) && isHandleByte(text[end]) {
			end++
		}
		for end > i+1 && strings.ContainsRune(".:-_", rune(text[end-1])) {
			end--
		}
		if end > i+1 {
			fn(i, end)
		}
		i = end - 1
	}
}

func isHandleByte(c byte) bool {
	return c < utf8.RuneSelf && (unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c)) || strings.IndexByte("._-:", c) >= 0)
}

// units is the length of s as Slack counts it (UTF-16 code units).
func units(s string) int {
	n := 0
	for _, r := range s {
		n += max(utf16.RuneLen(r), 1)
	}
	return n
}

// prefixWithin returns the largest rune-aligned byte index i such that
// s[:i] is at most limit units long.
func prefixWithin(s string, limit int) int {
	n := 0
	for i, r := range s {
		w := max(utf16.RuneLen(r), 1)
		if n+w > limit {
			return i
		}
		n += w
	}
	return len(s)
}

// splitText cuts s into parts of at most limit units, preferring line
// breaks, then spaces, and never cutting inside a <…> link or &…; escape
// unless one is longer than a part.
func splitText(s string, limit int) []string {
	var out []string
	keep := func(part string) {
		if part = strings.TrimRight(part, " \t\r\n"); strings.TrimSpace(part) != "" {
			out = append(out, part)
		}
	}
	for units(s) > limit {
		cut := cutPoint(s, limit)
		keep(s[:cut])
		s = strings.TrimLeft(s[cut:], " \t\r\n")
	}
	keep(s)
	return out
}

func cutPoint(s string, limit int) int {
	end := prefixWithin(s, limit)
	if i := strings.LastIndexByte(s[:end], '\n'); i > end/2 {
		return i + 1
	}
	if i := strings.LastIndexByte(s[:end], ' '); i > end/2 {
		return i + 1
	}
	cut := safeCut(s, end)
	if cut == 0 {
		// A single rune wider than the limit: take it anyway to progress.
		_, w := utf8.DecodeRuneInString(s)
		cut = w
	}
	return cut
}

// safeCut moves a cut back before an unfinished <…> token or &…; escape.
func safeCut(s string, cut int) int {
	if i := strings.LastIndexByte(s[:cut], '<'); i > 0 && !strings.Contains(s[i:cut], ">") {
		return i
	}
	if i := strings.LastIndexByte(s[:cut], '&'); i > 0 && cut-i < 5 && !strings.Contains(s[i:cut], ";") {
		return i
	}
	return cut
}

// truncate shortens s to at most limit units, ending with "…" when cut.
func truncate(s string, limit int) string {
	if units(s) <= limit {
		return s
	}
	cut := safeCut(s, prefixWithin(s, limit-1))
	return s[:cut] + "…"
}
