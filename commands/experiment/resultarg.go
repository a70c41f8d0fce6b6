package experiment

import (
	"strconv"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// maxTrials bounds the numbers people type, so that sums and products stay
// exact in float64.
const maxTrials = 1_000_000_000_000

// ParseArms reads the two variants of a result, "a=<successes>/<trials>" and
// "b=<successes>/<trials>", in either order. Thousands separators (",", "_")
// are accepted in the numbers.
func ParseArms(words []string) (a, b store.Arm, err error) {
	if len(words) != 2 {
		return a, b, bot.Errorf(bot.EInvalid, "give both variants as a=<successes>/<trials> b=<successes>/<trials>")
	}
	seen := map[string]store.Arm{}
	for _, w := range words {
		name, arm, err := parseArm(w)
		if err != nil {
			return a, b, err
		}
		if _, dup := seen[name]; dup {
			return a, b, bot.Errorf(bot.EInvalid, "variant %s is given twice", name)
		}
		seen[name] = arm
	}
	return seen["a"], seen["b"], nil
}

// parseArm reads one "a=120/4000".
func parseArm(word string) (string, store.Arm, error) {
	name, counts, ok := strings.Cut(word, "=")
	name = strings.ToLower(strings.TrimSpace(name))
	if !ok || (name != "a" && name != "b") {
		return "", store.Arm{}, bot.Errorf(bot.EInvalid, "%q is not a variant; write a=<successes>/<trials> or b=<successes>/<trials>", word)
	}
	s, n, ok := strings.Cut(counts, "/")
	if !ok {
		return "", store.Arm{}, bot.Errorf(bot.EInvalid, "%s: write successes/trials, like %s=120/4000", word, name)
	}
	successes, err := count(s)
	if err != nil {
		return "", store.Arm{}, bot.Errorf(bot.EInvalid, "%s: successes %v", word, err)
	}
	trials, err := count(n)
	if err != nil {
		return "", store.Arm{}, bot.Errorf(bot.EInvalid, "%s: trials %v", word, err)
	}
	switch {
	case trials == 0:
		return "", store.Arm{}, bot.Errorf(bot.EInvalid, "%s: a variant needs at least one trial", word)
	case successes > trials:
		return "", store.Arm{}, bot.Errorf(bot.EInvalid, "%s: more successes than trials", word)
	}
	return name, store.Arm{Successes: successes, Trials: trials}, nil
}

// count reads a non-negative whole number up to maxTrials.
func count(s string) (int64, error) {
	s = strings.NewReplacer(",", "", "_", "").Replace(strings.TrimSpace(s))
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, errNotCount
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > maxTrials {
		return 0, errTooLarge
	}
	return n, nil
}

type countError string

func (e countError) Error() string { return string(e) }

const (
	errNotCount = countError("must be a whole number ≥ 0")
	errTooLarge = countError("is too large")
)

// formatArm writes an arm back the way it is typed.
func formatArm(name string, a store.Arm) string {
	return name + "=" + strconv.FormatInt(a.Successes, 10) + "/" + strconv.FormatInt(a.Trials, 10)
}
