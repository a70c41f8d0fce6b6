package discord

import (
	"slices"
	"strings"
	"unicode"
)

// optionKind is the Discord type a command argument is registered as.
type optionKind int

const (
	kindString optionKind = iota
	kindInteger
	kindBoolean
	kindUser
)

// param is one argument of a command, read from its usage string: a
// positional word, a --flag with a value, or a --switch.
type param struct {
	name     string // Discord option name
	kind     optionKind
	required bool
	choices  []string // fixed values offered as Discord choices
	flag     string   // "brand" for --brand; "" for positional words
	rest     bool     // free text: every remaining word
	prefix   string   // literal typed before the value: "a=" in a=<successes>/<trials>
	desc     string
}

// parseUsage reads a command's Args usage string into its parameters.
// placeholders are the words used as <word> anywhere in the router: an
// alternative list naming one of them (<department|auto>) is a free value,
// not a fixed choice. The forms understood are listed in README.md.
func parseUsage(usage string, placeholders map[string]bool) []param {
	var out []param
	els := usageElements(usage)
	for i := 0; i < len(els); i++ {
		el := els[i]
		// "--link URL" outside brackets: a required option with its value.
		if strings.HasPrefix(el, "--") && !strings.Contains(el, " ") && i+1 < len(els) && isValueWord(els[i+1]) {
			el += " " + els[i+1]
			i++
		}
		out = append(out, parseElement(el, placeholders)...)
	}
	return out
}

// isValueWord tells a flag's value placeholder written in capitals (URL, B).
func isValueWord(el string) bool {
	return el != "" && strings.IndexFunc(el, func(r rune) bool { return !unicode.IsUpper(r) }) < 0
}

// usageElements splits a usage string at spaces outside [...] and <...>.
func usageElements(usage string) []string {
	var (
		out   []string
		cur   strings.Builder
		depth int
	)
	for _, r := range usage {
		switch {
		case r == '[' || r == '<':
			depth++
		case (r == ']' || r == '>') && depth > 0:
			depth--
		case unicode.IsSpace(r) && depth == 0:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
			continue
		}
		cur.WriteRune(r)
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

func parseElement(el string, placeholders map[string]bool) []param {
	if inner, ok := enclosed(el, '[', ']'); ok {
		ps := parseElement(inner, placeholders)
		for i := range ps {
			ps[i].required = false
		}
		return ps
	}
	if strings.HasPrefix(el, "--") {
		ps := parseFlag(el)
		for i := range ps {
			ps[i].required = ps[i].kind != kindBoolean
		}
		return ps
	}
	p := parsePositional(el, placeholders)
	p.required = true
	return []param{p}
}

// parseFlag reads "--brand B", "--backup", "--period 7d|30d" or "--open|--mine".
func parseFlag(el string) []param {
	name, value, hasValue := strings.Cut(el, " ")
	if !hasValue && strings.Contains(name, "|") {
		var out []param
		for _, alt := range strings.Split(name, "|") {
			out = append(out, parseFlag(alt)...)
		}
		return out
	}
	flag := strings.ToLower(strings.TrimPrefix(name, "--"))
	if flag == "" {
		return nil
	}
	if !hasValue {
		return []param{{name: flag, flag: flag, kind: kindBoolean, desc: "Set --" + flag}}
	}
	value = strings.TrimSpace(value)
	p := param{name: flag, flag: flag, kind: kindString, desc: humanName(flag) + " (" + value + ")"}
	if strings.Contains(value, "|") {
		p.choices = splitAlternatives(value)
		p.desc = humanName(flag) + ": " + strings.Join(p.choices, ", ")
	}
	return []param{p}
}

// parsePositional reads "<title…>", "<sev1|sev2>", "<id>", "@user",
// "a=<successes>/<trials>", "[command]"'s "command" and "search…".
func parsePositional(el string, placeholders map[string]bool) param {
	if user, ok := strings.CutPrefix(el, "@"); ok {
		return param{name: orDefault(user, "user"), kind: kindUser, desc: "Person (@" + orDefault(user, "user") + ")"}
	}
	if inner, ok := enclosed(el, '<', '>'); ok {
		el = inner
	} else if prefix, _, ok := strings.Cut(el, "=<"); ok && prefix != "" {
		return param{name: prefix, kind: kindString, prefix: prefix + "=", desc: "Value of " + el}
	}
	if word, ok := cutEllipsis(el); ok {
		return param{name: word, kind: kindString, rest: true, desc: humanName(word) + " (free text)"}
	}
	if strings.Contains(el, "|") {
		return parseAlternatives(el, placeholders)
	}
	if el == "id" || strings.HasSuffix(el, "-id") {
		return param{name: el, kind: kindInteger, desc: humanName(el) + " (the number shown as #N)"}
	}
	return param{name: el, kind: kindString, desc: humanName(el)}
}

// parseAlternatives reads "sev1|sev2|sev3" (fixed choices) or
// "department|auto" (a free value, since "department" is a placeholder).
func parseAlternatives(el string, placeholders map[string]bool) param {
	alts := splitAlternatives(el)
	for _, alt := range alts {
		if placeholders[alt] {
			return param{name: alt, kind: kindString, desc: humanName(alt) + " or " + strings.Join(without(alts, alt), ", ")}
		}
	}
	return param{name: commonPrefix(alts), kind: kindString, choices: alts, desc: "One of " + strings.Join(alts, ", ")}
}

// placeholderWords collects the words used as <word> (or <word…>) in usage
// strings.
func placeholderWords(usages []string) map[string]bool {
	out := map[string]bool{}
	for _, u := range usages {
		for _, el := range usageElements(u) {
			el = strings.Trim(el, "[]")
			if inner, ok := enclosed(el, '<', '>'); ok && !strings.Contains(inner, "|") {
				word, _ := cutEllipsis(inner)
				out[word] = true
			}
		}
	}
	return out
}

func enclosed(s string, open, closing byte) (string, bool) {
	if len(s) >= 2 && s[0] == open && s[len(s)-1] == closing {
		return strings.TrimSpace(s[1 : len(s)-1]), true
	}
	return s, false
}

func cutEllipsis(s string) (string, bool) {
	for _, e := range []string{"…", "..."} {
		if w, ok := strings.CutSuffix(s, e); ok {
			return w, true
		}
	}
	return s, false
}

func splitAlternatives(s string) []string {
	var out []string
	for _, alt := range strings.Split(s, "|") {
		if alt = strings.TrimSpace(alt); alt != "" && !slices.Contains(out, alt) {
			out = append(out, alt)
		}
	}
	return out
}

func without(list []string, drop string) []string {
	return slices.DeleteFunc(slices.Clone(list), func(s string) bool { return s == drop })
}

// commonPrefix names a choice list after the letters its values share
// ("sev" for sev1|sev2), or "choice".
func commonPrefix(alts []string) string {
	prefix := alts[0]
	for _, a := range alts[1:] {
		for !strings.HasPrefix(a, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	prefix = strings.TrimRightFunc(prefix, func(r rune) bool { return !unicode.IsLetter(r) })
	if len(prefix) < 3 {
		return "choice"
	}
	return prefix
}

func humanName(name string) string {
	r := []rune(strings.ReplaceAll(name, "-", " "))
	if len(r) == 0 {
		return "Value"
	}
	return string(unicode.ToUpper(r[0])) + string(r[1:])
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
