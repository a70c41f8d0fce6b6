// Package evidence says what a listening spike is about without a language
// model: the terms whose share of the words rose most in the spike window
// against the baseline window, ranked by a log-odds ratio with an
// informative Dirichlet prior (Monroe, Colaresi and Quinn, "Fightin'
// Words", 2008), stop-words of the brand's languages left out; and the
// lines that show an alert's evidence on its card and in the crisis brief.
package evidence

import (
	"cmp"
	"embed"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/interlock-coe/interlock/commands/alerts/spike"
	"github.com/interlock-coe/interlock/store"
)

//go:embed stopwords/*.txt
var stopwordFiles embed.FS

// Languages are those with a stop-word list.
var Languages = []string{"de", "en", "es", "fr"}

// Tuning of the ranking.
const (
	// priorMass is α0, the weight of the prior: the pooled frequencies of
	// both windows count as this many words, which shrinks the log-odds of
	// rare words towards zero.
	priorMass = 500.0
	// minCount is how often a term must appear in the spike window.
	minCount = 3
	// minZ is the z-score below which a rise is not shown (≈ 95%).
	minZ = 1.96
)

// StopWords returns the stop-words of langs (unknown ones are ignored).
func StopWords(langs []string) map[string]bool {
	out := map[string]bool{}
	for _, lang := range langs {
		b, err := stopwordFiles.ReadFile("stopwords/" + lang + ".txt")
		if err != nil {
			continue
		}
		for _, w := range strings.Fields(string(b)) {
			out[w] = true
		}
	}
	return out
}

// Tokens splits text into lower-case words, hashtags kept with their '#';
// links, handles, numbers, one-letter words and stop-words are left out.
func Tokens(text string, stop map[string]bool) []string {
	var out []string
	for _, f := range strings.Fields(strings.ToLower(text)) {
		if strings.HasPrefix(f, "http://") || strings.HasPrefix(f, "https://") || strings.HasPrefix(f, "@") {
			continue
		}
		words := strings.FieldsFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '#' && r != '\'' })
		for _, w := range words {
			hashtag := strings.HasPrefix(w, "#")
			w = strings.Trim(w, "#'")
			if len([]rune(w)) < 2 || stop[w] || strings.IndexFunc(w, unicode.IsLetter) < 0 {
				continue
			}
			if hashtag {
				w = "#" + w
			}
			out = append(out, w)
		}
	}
	return out
}

// counts tallies the tokens of texts.
func counts(texts []string, stop map[string]bool) (map[string]int64, int64) {
	c := map[string]int64{}
	var n int64
	for _, t := range texts {
		for _, w := range Tokens(t, stop) {
			c[w]++
			n++
		}
	}
	return c, n
}

// Rising returns at most limit terms whose share rose most in spike
// against baseline: δ = log-odds in spike − log-odds in baseline, each
// smoothed by the prior α_w = α0 · (pooled share of w), over its standard
// error √(1/(y_s+α_w) + 1/(y_b+α_w)). Only rises with z ≥ 1.96 and at least
// 3 uses in the spike window are kept.
func Rising(spike, baseline []string, langs []string, limit int) []store.RisingTerm {
	stop := StopWords(langs)
	ys, ns := counts(spike, stop)
	yb, nb := counts(baseline, stop)
	if ns == 0 {
		return nil
	}
	total := float64(ns + nb)
	var out []store.RisingTerm
	for w, s := range ys {
		if s < minCount {
			continue
		}
		b := yb[w]
		a := priorMass * float64(s+b) / total
		logOdds := func(y, n float64) float64 { return math.Log((y + a) / (n + priorMass - y - a)) }
		delta := logOdds(float64(s), float64(ns)) - logOdds(float64(b), float64(nb))
		z := delta / math.Sqrt(1/(float64(s)+a)+1/(float64(b)+a))
		if z >= minZ {
			out = append(out, store.RisingTerm{Term: w, Z: math.Round(z*100) / 100, Count: s, Baseline: b})
		}
	}
	slices.SortFunc(out, func(x, y store.RisingTerm) int { return cmp.Or(cmp.Compare(y.Z, x.Z), cmp.Compare(x.Term, y.Term)) })
	return out[:min(len(out), limit)]
}

// Lines shows evidence as the lines of a card field: the top posts
// (linked), the rising terms, the negative share and its change.
func Lines(e *store.Evidence) []string {
	if e == nil {
		return nil
	}
	var lines []string
	for _, m := range e.TopMentions {
		line := fmt.Sprintf("@%s (%s followers): %s", m.Author, count(m.Followers), truncate(m.Text, 140))
		if m.URL != "" {
			line += " " + m.URL
		}
		lines = append(lines, line)
	}
	if len(e.RisingTerms) > 0 {
		terms := make([]string, len(e.RisingTerms))
		for i, t := range e.RisingTerms {
			terms[i] = fmt.Sprintf("%q (%d, was %d)", t.Term, t.Count, t.Baseline)
		}
		lines = append(lines, "Rising terms: "+strings.Join(terms, ", "))
	}
	if e.Mentions > 0 {
		neg := fmt.Sprintf("Negative: %.0f%% of %s mentions", 100*e.NegativeShare, count(e.Mentions))
		if e.BaselineMentions > 0 {
			neg += fmt.Sprintf(" (baseline %.0f%%, %+.0f points)", 100*e.BaselineNegativeShare, 100*(e.NegativeShare-e.BaselineNegativeShare))
		}
		lines = append(lines, neg)
	}
	return lines
}

func count(n int64) string { return spike.FormatCount(float64(n)) }

// truncate shortens s to n characters, marking the cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
