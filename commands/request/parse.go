package request

import (
	"strings"
	"unicode"

	"github.com/interlock-coe/interlock/bot"
)

// placement is what /request <service> <details…> [--field value…] was given.
type placement struct {
	Service string
	Details string
	Fields  map[string]string
	Order   []string // field names as given
}

// parsePlacement reads the words after "/request". The router's parse takes
// one word per option; a field's value here runs to the next --field, so
// "--question why did sentiment drop" needs no quotes. Details are the words
// before the first field.
func parsePlacement(tokens []string) (placement, error) {
	p := placement{Fields: map[string]string{}}
	var words []string
	i := 0
	for ; i < len(tokens) && !isOption(tokens[i]); i++ {
		words = append(words, tokens[i])
	}
	for i < len(tokens) {
		name, value, hasValue := strings.Cut(strings.TrimPrefix(tokens[i], "--"), "=")
		name = strings.ToLower(name)
		var parts []string
		if hasValue && value != "" {
			parts = append(parts, value)
		}
		for i++; i < len(tokens) && !isOption(tokens[i]); i++ {
			parts = append(parts, tokens[i])
		}
		v := strings.TrimSpace(strings.Join(parts, " "))
		if _, dup := p.Fields[name]; dup {
			return p, bot.Errorf(bot.EInvalid, "--%s given twice", name)
		}
		if v == "" {
			return p, bot.Errorf(bot.EInvalid, "--%s needs a value", name)
		}
		p.Fields[name] = v
		p.Order = append(p.Order, name)
	}
	if len(words) > 0 {
		p.Service = strings.ToLower(words[0])
		p.Details = strings.TrimSpace(strings.Join(words[1:], " "))
	}
	return p, nil
}

// isOption tells a --name (or --name=value) from a word; "--" followed by
// no letter (a dash in the text, "--5") is a word.
func isOption(t string) bool {
	return len(t) > 2 && strings.HasPrefix(t, "--") && unicode.IsLetter(rune(t[2]))
}

// commandTokens returns the typed words after "/request" (or
// "/interlock request"), quotes grouped as the router groups them.
func commandTokens(text string) []string {
	tokens := bot.Tokenize(text)
	if len(tokens) > 0 && strings.EqualFold(strings.TrimPrefix(tokens[0], "/"), "interlock") {
		tokens = tokens[1:]
	}
	if len(tokens) > 0 && strings.EqualFold(strings.TrimPrefix(tokens[0], "/"), "request") {
		tokens = tokens[1:]
	}
	return tokens
}
