package bot

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// transliterations spell letters that decomposition alone would lose or
// spell wrongly: German umlauts and ß, and letters with no combining mark.
var transliterations = map[rune]string{
	'ä': "ae", 'ö': "oe", 'ü': "ue", 'ß': "ss", 'ẞ': "ss",
	'æ': "ae", 'œ': "oe", 'ø': "o", 'å': "aa", 'đ': "d", 'ð': "d", 'þ': "th",
	'ł': "l", 'ı': "i", 'ŧ': "t", 'ħ': "h",
}

// Slug makes text a name fit for a channel on every platform: lowercase
// ASCII letters and digits joined by single dashes. German umlauts and ß
// are spelled out ("Störung" → "stoerung"), other accents are dropped
// ("Crème brûlée" → "creme-brulee"), bidirectional controls and other
// characters become separators. It returns "" when nothing is left.
func Slug(text string) string {
	var b strings.Builder
	dash := false
	write := func(s string) {
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		b.WriteString(s)
		dash = false
	}
	for _, r := range strings.ToLower(text) {
		switch t, ok := transliterations[r]; {
		case ok:
			write(t)
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			write(string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if base := asciiBase(r); base != "" {
				write(base)
			} else {
				dash = true
			}
		case unicode.Is(unicode.Mn, r):
			// A combining mark typed on its own belongs to the letter before.
		default:
			dash = true
		}
	}
	return b.String()
}

// asciiBase returns the ASCII letters left when r's accents are taken off,
// or "" when r is not a Latin letter with accents.
func asciiBase(r rune) string {
	var b strings.Builder
	for _, d := range norm.NFKD.String(string(r)) {
		switch {
		case unicode.Is(unicode.Mn, d):
		case d < unicode.MaxASCII && (unicode.IsLetter(d) || unicode.IsDigit(d)):
			b.WriteRune(unicode.ToLower(d))
		default:
			return ""
		}
	}
	return b.String()
}
