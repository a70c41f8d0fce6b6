package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word of command text: its value (quotes removed, escapes
// applied) and the bytes it was typed as, so that free text can be given
// back exactly as typed.
type token struct {
	value      string
	start, end int  // byte offsets in the text
	quoted     bool // the whole word is one quoted string: "like this"
}

// Tokenize splits command text into words. Double or single quotes group
// words; a backslash escapes the next character inside quotes. Smart quotes
// typed by chat clients count as quotes.
func Tokenize(text string) []string {
	toks := tokenize(text)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.value
	}
	return out
}

// tokenizer is the state of tokenize between two runes.
type tokenizer struct {
	out        []token
	cur        strings.Builder
	quote      rune // the open quote, or 0
	start      int  // start of the current word, or -1
	fromQuote  bool // the current word began with a quote
	firstClose int  // offset just after the word's first closing quote
}

func tokenize(text string) []token {
	z := tokenizer{start: -1, firstClose: -1}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case z.quote != 0:
			if r == '\\' && i+size < len(text) {
				next, n := utf8.DecodeRuneInString(text[i+size:])
				z.cur.WriteRune(next)
				i += size + n
				continue
			}
			if closes(z.quote, r) {
				z.quote = 0
				if z.firstClose < 0 {
					z.firstClose = i + size
				}
				break
			}
			z.cur.WriteRune(r)
		case opensQuote(r, z.start >= 0):
			z.quote = r
			if z.start < 0 {
				z.start, z.fromQuote = i, true
			}
		case unicode.IsSpace(r):
			z.endWord(i)
		default:
			if z.start < 0 {
				z.start = i
			}
			z.cur.WriteRune(r)
		}
		i += size
	}
	if z.quote != 0 {
		// An unclosed quote is most likely an apostrophe in free text: keep
		// the words as typed rather than refusing the command.
		return fields(text)
	}
	z.endWord(len(text))
	return z.out
}

// opensQuote reports whether r opens a quote. An apostrophe inside a word
// ("we're") does not.
func opensQuote(r rune, inWord bool) bool {
	switch r {
	case '"', '“':
		return true
	case '\'', '‘':
		return !inWord
	}
	return false
}

func (z *tokenizer) endWord(end int) {
	if z.start < 0 {
		return
	}
	z.out = append(z.out, token{
		value: z.cur.String(), start: z.start, end: end,
		quoted: z.fromQuote && z.firstClose == end,
	})
	z.cur.Reset()
	z.start, z.fromQuote, z.firstClose = -1, false, -1
}

// fields splits text at white space, keeping every character of the words.
func fields(text string) []token {
	var out []token
	start := -1
	for i, r := range text {
		switch {
		case !unicode.IsSpace(r) && start < 0:
			start = i
		case unicode.IsSpace(r) && start >= 0:
			out = append(out, token{value: text[start:i], start: start, end: i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, token{value: text[start:], start: start, end: len(text)})
	}
	return out
}

func closes(open, r rune) bool {
	switch open {
	case '“':
		return r == '”' || r == '"'
	case '‘':
		return r == '’' || r == '\''
	}
	return r == open
}
