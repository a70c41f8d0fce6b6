package bot

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Tokenize splits command text into words. Double or single quotes group
// words; a backslash escapes the next character inside quotes. Smart quotes
// typed by chat clients count as quotes.
func Tokenize(text string) []string {
	var (
		out   []string
		cur   strings.Builder
		quote rune
		inTok bool
	)
	rs := []rune(text)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case quote != 0:
			if r == '\\' && i+1 < len(rs) {
				i++
				cur.WriteRune(rs[i])
				continue
			}
			if closes(quote, r) {
				quote = 0
				continue
			}
			cur.WriteRune(r)
		case r == '"' || r == '\'' && !inTok || r == '“' || r == '‘' && !inTok:
			quote = r
			inTok = true
		case unicode.IsSpace(r):
			if inTok {
				out = append(out, cur.String())
				cur.Reset()
				inTok = false
			}
		default:
			cur.WriteRune(r)
			inTok = true
		}
	}
	if quote != 0 {
		// An unclosed quote is most likely an apostrophe in free text: keep
		// the words as typed rather than refusing the command.
		return strings.Fields(text)
	}
	if inTok {
		out = append(out, cur.String())
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

// Args are the parsed words and options of one command.
type Args struct {
	Words []string
	Flags map[string]string
}

// Text joins the words from index i on, for free-text arguments.
func (a Args) Text(i int) string {
	if i >= len(a.Words) {
		return ""
	}
	return strings.Join(a.Words[i:], " ")
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
// text, so a typo is never silently kept in a title.
func parseArgs(tokens []string, options, switches []string) (Args, error) {
	a := Args{Flags: map[string]string{}}
	for i := 0; i < len(tokens); i++ {
		t := tokens[i]
		if !isOption(t) {
			a.Words = append(a.Words, t)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(t, "--"), "=")
		name = strings.ToLower(name)
		switch {
		case contains(switches, name):
			if hasValue {
				return a, Errorf(EInvalid, "--%s takes no value", name)
			}
			a.Flags[name] = "true"
		case contains(options, name):
			if !hasValue {
				if i+1 >= len(tokens) || isOption(tokens[i+1]) {
					return a, Errorf(EInvalid, "--%s needs a value", name)
				}
				i++
				value = tokens[i]
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
