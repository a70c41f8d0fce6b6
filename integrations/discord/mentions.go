package discord

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// discordMentions turns "@handle" of known people into Discord mentions
// ("<@id>"), so that they show as names and notify. Text like an email
// address, or a handle nobody has, is left as written.
func (a *Adapter) discordMentions(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	var b strings.Builder
	prev := ' '
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != '@' || isHandleRune(prev) {
			b.WriteString(s[i : i+size])
			prev = r
			i += size
			continue
		}
		handle := leadingHandle(s[i+1:])
		id, used := a.mentionOf(handle)
		if id == "" {
			b.WriteByte('@')
			prev = r
			i++
			continue
		}
		b.WriteString("<@" + id + ">")
		i += 1 + len(used)
		prev, _ = utf8.DecodeLastRuneInString(used)
	}
	return b.String()
}

// mentionOf finds the person a typed handle names, trying it without
// trailing punctuation too ("@dana." ends a sentence). It returns the
// Discord id and the part of handle that was used.
func (a *Adapter) mentionOf(handle string) (id, used string) {
	for h := handle; h != ""; {
		if id := a.discordID(h); id != "" {
			return id, h
		}
		last, size := utf8.DecodeLastRuneInString(h)
		if unicode.IsLetter(last) || unicode.IsDigit(last) {
			break
		}
		h = h[:len(h)-size]
	}
	return "", ""
}

// leadingHandle returns the handle characters at the start of s.
func leadingHandle(s string) string {
	end := strings.IndexFunc(s, func(r rune) bool { return !isHandleRune(r) })
	if end < 0 {
		return s
	}
	return s[:end]
}

// isHandleRune reports whether r may appear in a person handle.
func isHandleRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._-:", r)
}
