package bot

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Args are the parsed words and options of one command.
type Args struct {
	Words []string
	Flags map[string]string
	// src and spans tell where each word was typed, so that Text gives free
	// text back with every character kept. Args built by hand have none.
	src   string
	spans []span
}

// span is where one word of Args was typed.
type span struct {
	start, end int
	quoted     bool // the word is one quoted string
	follows    bool // no option was typed between this word and the one before
}

// Text is the free text from word i on, exactly as typed: quotes,
// apostrophes, backslashes and the spacing between words are kept. Options
// typed in between are left out. Free text that is wholly one quoted string
// is read without its quotes: that is how a text holding "--name" is typed.
func (a Args) Text(i int) string {
	if i >= len(a.Words) {
		return ""
	}
	if len(a.spans) != len(a.Words) {
		return strings.Join(a.Words[i:], " ")
	}
	if i == len(a.Words)-1 && a.spans[i].quoted {
		return a.Words[i]
	}
	var b strings.Builder
	for k := i; k < len(a.spans); k++ {
		s := a.spans[k]
		switch {
		case k == i:
		case s.follows:
			b.WriteString(a.src[a.spans[k-1].end:s.start])
		default:
			b.WriteByte(' ')
		}
		b.WriteString(a.src[s.start:s.end])
	}
	return b.String()
}

// Word returns word i or "".
func (a Args) Word(i int) string {
	if i >= len(a.Words) {
		return ""
	}
	return a.Words[i]
}

// Flag returns the value of --name, or "".
func (a Args) Flag(name string) string { return a.Flags[name] }

// Has reports whether --name was given.
func (a Args) Has(name string) bool {
	_, ok := a.Flags[name]
	return ok
}

// parseArgs separates --options from words. Value options take the next word
// (or "=value"); switches take none. An unknown option is an error rather than
// text, so a typo is never silently kept in a title. A quoted word is never
// an option. src is the text the tokens were read from.
func parseArgs(src string, tokens []token, options, switches []string) (Args, error) {
	a := Args{Flags: map[string]string{}, src: src}
	follows := false
	for i := 0; i < len(tokens); i++ {
		t := tokens[i]
		if !t.isOption(src) {
			a.Words = append(a.Words, t.value)
			a.spans = append(a.spans, span{start: t.start, end: t.end, quoted: t.quoted, follows: follows})
			follows = true
			continue
		}
		follows = false
		name, value, hasValue := strings.Cut(strings.TrimPrefix(t.value, "--"), "=")
		name = strings.ToLower(name)
		switch {
		case contains(switches, name):
			if hasValue {
				return a, Errorf(EInvalid, "--%s takes no value", name)
			}
			a.Flags[name] = "true"
		case contains(options, name):
			if !hasValue {
				if i+1 >= len(tokens) || tokens[i+1].isOption(src) {
					return a, Errorf(EInvalid, "--%s needs a value", name)
				}
				i++
				value = tokens[i].value
			}
			if _, dup := a.Flags[name]; dup {
				return a, Errorf(EInvalid, "--%s given twice", name)
			}
			a.Flags[name] = value
		default:
			return a, Errorf(EInvalid, "unknown option --%s", name)
		}
	}
	return a, nil
}

// isOption reports whether the token is an option: typed as --name, not
// quoted.
func (t token) isOption(src string) bool {
	return strings.HasPrefix(src[t.start:], "--") && isOption(t.value)
}

func isOption(t string) bool {
	return len(t) > 2 && strings.HasPrefix(t, "--") && unicode.IsLetter(rune(t[2]))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ParseID reads a short id typed as "#12" or "12".
func ParseID(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, Errorf(EInvalid, "%q is not an id (expected #N)", s)
	}
	return id, nil
}

// FormatID shows an id the way people type it.
func FormatID(id int64) string { return fmt.Sprintf("#%d", id) }

// ParseMention reads "@handle" and returns the handle, lower-cased.
func ParseMention(s string) (string, error) {
	h, ok := strings.CutPrefix(s, "@")
	if !ok || !ValidHandle(h) {
		return "", Errorf(EInvalid, "%q is not a person (expected @name)", s)
	}
	return strings.ToLower(h), nil
}

// ValidHandle reports whether h is a usable person handle.
func ValidHandle(h string) bool {
	if h == "" || len(h) > 80 {
		return false
	}
	for _, r := range h {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._-:", r)) {
			return false
		}
	}
	return true
}

// Mention formats a person handle for messages.
func Mention(handle string) string { return "@" + handle }

// maxDuration bounds typed durations: nothing in Interlock is scheduled
// further ahead, and it keeps arithmetic on them far from overflow.
const maxDuration = 10 * 365 * 24 * time.Hour

// ParseDuration reads durations people type: Go durations ("90m", "1h30m")
// plus days and weeks ("2d", "1w"), positive and at most ten years.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	bad := Errorf(EInvalid, "%q is not a duration (like 30m, 4h, 2d)", s)
	for suffix, unit := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		n, ok := strings.CutSuffix(s, suffix)
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(n, 64)
		if err != nil || !(v > 0 && v <= float64(maxDuration/unit)) { // also refuses NaN
			return 0, bad
		}
		return time.Duration(v * float64(unit)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 || d > maxDuration {
		return 0, bad
	}
	return d, nil
}

// FormatDuration shows a duration compactly: "45s", "12m", "2h05m", "3d4h".
func FormatDuration(d time.Duration) string {
	if d < 0 {
		if d == math.MinInt64 { // -d would overflow back to itself
			d++
		}
		return "-" + FormatDuration(-d)
	}
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	default:
		return fmt.Sprintf("%dd%dh", int(d.Hours())/24, int(d.Hours())%24)
	}
}
