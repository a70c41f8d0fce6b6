package template

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/interlock-coe/interlock/bot"
)

// Limits of what a template and its values may hold.
const (
	maxText         = 2000
	maxPlaceholders = 20
	maxValue        = 500
)

// keyPattern is a placeholder's name, as written in {name} and name=value.
var keyPattern = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,31}$`)

// segment is a piece of a template: literal text, or a placeholder.
type segment struct {
	text string
	key  string // "" for literal text
}

// parse splits text into literal pieces and {placeholders}; "{{" and "}}"
// are literal braces. Keys are case-insensitive (kept lower case).
func parse(text string) ([]segment, error) {
	var (
		out []segment
		lit strings.Builder
	)
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case (c == '{' || c == '}') && i+1 < len(text) && text[i+1] == c:
			lit.WriteByte(c)
			i++
		case c == '}':
			return nil, bot.Errorf(bot.EInvalid, "a } without its { at character %d; write }} for a literal brace", i+1)
		case c == '{':
			end := strings.IndexByte(text[i:], '}')
			if end < 0 {
				return nil, bot.Errorf(bot.EInvalid, "a { without its } at character %d; write {{ for a literal brace", i+1)
			}
			key := strings.ToLower(text[i+1 : i+end])
			if !keyPattern.MatchString(key) {
				return nil, bot.Errorf(bot.EInvalid, "placeholder {%s} is not a name: use letters, digits, '_' and '-', starting with a letter", text[i+1:i+end])
			}
			if lit.Len() > 0 {
				out = append(out, segment{text: lit.String()})
				lit.Reset()
			}
			out = append(out, segment{key: key})
			i += end
		default:
			lit.WriteByte(c)
		}
	}
	if lit.Len() > 0 {
		out = append(out, segment{text: lit.String()})
	}
	return out, nil
}

// Placeholders checks a template's text and returns its placeholders'
// names in order of first appearance.
func Placeholders(text string) ([]string, error) {
	if strings.TrimSpace(text) == "" {
		return nil, bot.Errorf(bot.EInvalid, "the template has no text")
	}
	if len(text) > maxText {
		return nil, bot.Errorf(bot.EInvalid, "the template is %d characters long; at most %d", len(text), maxText)
	}
	segs, err := parse(text)
	if err != nil {
		return nil, err
	}
	var keys []string
	for _, s := range segs {
		if s.key != "" && !slices.Contains(keys, s.key) {
			keys = append(keys, s.key)
		}
	}
	if len(keys) > maxPlaceholders {
		return nil, bot.Errorf(bot.EInvalid, "the template has %d placeholders; at most %d", len(keys), maxPlaceholders)
	}
	return keys, nil
}

// Fill puts values in text's placeholders. A placeholder without a value
// and a value without a placeholder are errors naming them; a value is
// inserted as written, never read as a placeholder itself.
func Fill(text string, values map[string]string) (string, error) {
	keys, err := Placeholders(text)
	if err != nil {
		return "", err
	}
	var missing, unknown []string
	for _, k := range keys {
		if _, ok := values[k]; !ok {
			missing = append(missing, k)
		}
	}
	for k := range values {
		if !slices.Contains(keys, k) {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	switch {
	case len(missing) > 0:
		return "", bot.Errorf(bot.EInvalid, "missing %s: add %s", braces(missing), assignments(missing))
	case len(unknown) > 0:
		return "", bot.Errorf(bot.EInvalid, "unknown %s: the template has %s", plural(len(unknown), "key", "keys")+" "+strings.Join(unknown, ", "), orNone(keys))
	}
	segs, _ := parse(text) // checked by Placeholders
	var b strings.Builder
	for _, s := range segs {
		if s.key == "" {
			b.WriteString(s.text)
		} else {
			b.WriteString(values[s.key])
		}
	}
	return b.String(), nil
}

// ParseValues reads key=value words (quotes group a value with spaces:
// order="A 12"). Keys are case-insensitive; a key given twice, an empty
// value or a word without '=' is an error naming it.
func ParseValues(words []string) (map[string]string, error) {
	out := make(map[string]string, len(words))
	for _, w := range words {
		k, v, ok := strings.Cut(w, "=")
		k = strings.ToLower(strings.TrimSpace(k))
		switch {
		case !ok:
			return nil, bot.Errorf(bot.EInvalid, "%q is not key=value", w)
		case !keyPattern.MatchString(k):
			return nil, bot.Errorf(bot.EInvalid, "%q is not a placeholder name", k)
		case strings.TrimSpace(v) == "":
			return nil, bot.Errorf(bot.EInvalid, "%s= has no value", k)
		case len(v) > maxValue:
			return nil, bot.Errorf(bot.EInvalid, "the value of %s is %d characters long; at most %d", k, len(v), maxValue)
		}
		if _, dup := out[k]; dup {
			return nil, bot.Errorf(bot.EInvalid, "%s given twice", k)
		}
		out[k] = strings.TrimSpace(v)
	}
	return out, nil
}

// braces formats keys as "{a}, {b}".
func braces(keys []string) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = "{" + k + "}"
	}
	return strings.Join(parts, ", ")
}

// assignments formats keys as the words to type: "a=… b=…".
func assignments(keys []string) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=…"
	}
	return strings.Join(parts, " ")
}

func orNone(keys []string) string {
	if len(keys) == 0 {
		return "no placeholders"
	}
	return braces(keys)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// describe lists a template's placeholders for people: "{name}, {order}".
func describe(text string) string {
	keys, err := Placeholders(text)
	if err != nil {
		return fmt.Sprintf("(invalid: %v)", bot.ErrorMessage(err))
	}
	return orNone(keys)
}
