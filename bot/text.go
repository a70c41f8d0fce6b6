package bot

import (
	"strings"
	"unicode/utf8"
)

// MaxEcho is how many characters of a person's input a reply quotes back:
// an error about a 10,000-character word names its start, not all of it.
const MaxEcho = 200

// Excerpt shortens s to MaxEcho characters, marking the cut with "…".
func Excerpt(s string) string {
	if utf8.RuneCountInString(s) <= MaxEcho {
		return s
	}
	return string([]rune(s)[:MaxEcho-1]) + "…"
}

// isBidiControl reports whether r is a Unicode bidirectional control:
// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the
// directional marks (U+200E, U+200F, U+061C). In a title or a channel name
// they make text read backwards.
func isBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 ||
		r == 0x200E || r == 0x200F || r == 0x061C
}

// RemoveBidiControls removes bidirectional controls from s, so that text
// that becomes a title, topic or room name reads as it is stored.
func RemoveBidiControls(s string) string {
	if !strings.ContainsFunc(s, isBidiControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isBidiControl(r) {
			return -1
		}
		return r
	}, s)
}

// NormalizeText is the one place command text is cleaned before it is read:
// invalid UTF-8 becomes U+FFFD and bidirectional controls are removed,
// whichever platform the text came from.
func NormalizeText(s string) string {
	return RemoveBidiControls(strings.ToValidUTF8(s, "\uFFFD"))
}
