package route

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/interlock-coe/interlock/config"
)

// Match is the outcome of classifying a message: the department it goes to
// and why.
type Match struct {
	Department string
	Rule       string // the rule's name ("rule N" when unnamed); "" when no rule matched
	Keyword    string // the keyword that matched; "" when no rule matched
	// Confidence is the classifier's when no rule matched and it chose the
	// department; 0 otherwise.
	Confidence float64
}

// Default reports whether no rule matched and the default department was
// used.
func (m Match) Default() bool { return m.Rule == "" && m.Confidence == 0 }

// Reason says in words why the message went where it did.
func (m Match) Reason() string {
	switch {
	case m.Confidence > 0:
		return fmt.Sprintf("no rule matched; routed to %s by the classifier, %.0f%% confident", m.Department, 100*m.Confidence)
	case m.Default():
		return "no rule matched, so it went to the default department"
	}
	return "rule " + quote(m.Rule) + " matched " + quote(m.Keyword)
}

// Classify routes text by rules, in order: the first rule with a keyword
// that appears in text as a whole word or phrase (ignoring case and
// punctuation) wins, and within a rule the first keyword listed that
// appears. When no rule matches, text goes to def.
func Classify(rules []config.RoutingRule, def, text string) Match {
	words := splitWords(text)
	for i, r := range rules {
		for _, k := range r.Keywords {
			phrase := splitWords(k)
			if len(phrase) > 0 && containsPhrase(words, phrase) {
				return Match{Department: r.Department, Rule: ruleName(r, i), Keyword: strings.Join(phrase, " ")}
			}
		}
	}
	return Match{Department: def}
}

// ruleName names rule i for people.
func ruleName(r config.RoutingRule, i int) string {
	if name := strings.TrimSpace(r.Name); name != "" {
		return name
	}
	return "rule " + itoa(i+1)
}

// splitWords lower-cases s and splits it into runs of letters and digits,
// so that "GDPR-request!" is ["gdpr", "request"].
func splitWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// containsPhrase reports whether phrase occurs in words as consecutive
// words.
func containsPhrase(words, phrase []string) bool {
	for i := 0; i+len(phrase) <= len(words); i++ {
		if slices.Equal(words[i:i+len(phrase)], phrase) {
			return true
		}
	}
	return false
}
