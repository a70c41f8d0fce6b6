package discord

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
)

// userMention matches a user mention as Discord writes it inside text.
var userMention = regexp.MustCompile(`<@!?([0-9]{1,20})>`)

// handleOf turns a Discord user id into a person handle.
type handleOf func(discordID string) string

// typedText rebuilds the command a person would have typed from the options
// of an interaction: positional values in usage order, then --flags. Values
// that are not one plain word are quoted, except free text left last, so
// the router reads back exactly the values given.
func (s *commandSpec) typedText(opts []*discordgo.ApplicationCommandInteractionDataOption, handle handleOf) (string, error) {
	values := map[string]any{}
	for _, o := range opts {
		if o != nil {
			values[o.Name] = o.Value
		}
	}
	if s.raw {
		return rawCommand(values[runOption], handle)
	}
	type word struct {
		text string
		rest bool
	}
	var words []word
	var flags []string
	for _, p := range s.params {
		v, ok := values[p.name]
		if !ok || v == nil {
			continue
		}
		text, err := optionText(p, v, handle)
		if err != nil {
			return "", err
		}
		switch {
		case text == "":
		case p.flag != "" && p.kind == kindBoolean:
			if text == "true" {
				flags = append(flags, "--"+p.flag)
			}
		case p.flag != "":
			flags = append(flags, flagText(p.flag, text))
		default:
			words = append(words, word{text: p.prefix + text, rest: p.rest})
		}
	}
	parts := []string{"/" + s.path}
	for i, w := range words {
		if w.rest && i == len(words)-1 && isPlainText(w.text) {
			parts = append(parts, w.text)
			continue
		}
		parts = append(parts, quoteWord(w.text))
	}
	return strings.Join(append(parts, flags...), " "), nil
}

// rawCommand is the text given to /interlock run, with a leading slash.
func rawCommand(v any, handle handleOf) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("option %s: expected text, got %T", runOption, v)
	}
	s = strings.TrimSpace(normalizeMentions(strings.ToValidUTF8(s, "\uFFFD"), handle))
	if !strings.HasPrefix(s, "/") {
		s = "/" + s
	}
	return s, nil
}

// optionText is an option's value as typed: "@handle" for a person, digits
// for an id, "true"/"false" for a switch.
func optionText(p param, v any, handle handleOf) (string, error) {
	switch v := v.(type) {
	case string:
		v = strings.ToValidUTF8(v, "\uFFFD")
		if p.kind == kindUser {
			if !isSnowflake(v) {
				return "", fmt.Errorf("option %s: %q is not a user id", p.name, v)
			}
			return "@" + handle(v), nil
		}
		return normalizeMentions(v, handle), nil
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
			return strconv.FormatInt(int64(v), 10), nil
		}
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(v), nil
	}
	return "", fmt.Errorf("option %s: unexpected value of type %T", p.name, v)
}

// normalizeMentions turns Discord user mentions inside text into "@handle".
func normalizeMentions(s string, handle handleOf) string {
	return userMention.ReplaceAllStringFunc(s, func(m string) string {
		return "@" + handle(userMention.FindStringSubmatch(m)[1])
	})
}

func flagText(name, value string) string {
	if strings.HasPrefix(value, "--") {
		// "--name --x" would read --x as another option.
		return "--" + name + "=" + quoteIfNeeded(value)
	}
	return "--" + name + " " + quoteIfNeeded(value)
}

func quoteIfNeeded(s string) string {
	if isPlainWord(s) {
		return s
	}
	return quote(s)
}

// quoteWord writes a positional value: quoted when it is not one plain
// word, or when it would read as an option (a quoted word never does).
func quoteWord(s string) string {
	if strings.HasPrefix(s, "--") {
		return quote(s)
	}
	return quoteIfNeeded(s)
}

func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// isPlainWord reports whether s reads back as exactly one word. A value
// made only of what the router removes (bidirectional controls) is not:
// unquoted it would vanish and the next word would take its place.
func isPlainWord(s string) bool {
	return bot.NormalizeText(s) != "" && !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || isQuote(r) })
}

// isPlainText reports whether free text reads back unchanged when left
// unquoted: single spaces between words, no quotes, no word like an option.
// It looks at the text as the router will (bidirectional controls
// removed): "a \u202c" is "a " there, whose space an unquoted reading drops.
func isPlainText(s string) bool {
	if strings.ContainsFunc(s, isQuote) {
		return false
	}
	s = bot.NormalizeText(s)
	words := strings.Fields(s)
	if s == "" || strings.Join(words, " ") != s {
		return false
	}
	for _, w := range words {
		if strings.HasPrefix(w, "--") {
			return false
		}
	}
	return true
}

func isQuote(r rune) bool { return strings.ContainsRune("\"'“”‘’", r) }

func isSnowflake(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
