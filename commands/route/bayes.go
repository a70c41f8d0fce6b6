package route

import (
	"math"
	"slices"
)

// Example is a past issue the classifier learns from: its text and the
// department that answered it.
type Example struct {
	Text       string
	Department string
}

// Proposal is the classifier's choice for a text.
type Proposal struct {
	Department string
	Confidence float64 // the posterior probability of Department, 0–1
}

// Bayes is a multinomial naive Bayes classifier over lower-cased word
// tokens (the words the rules match), with Laplace smoothing. It is
// immutable once trained, so replicas' copies agree given the same examples
// and one copy may serve concurrent requests.
type Bayes struct {
	depts  []string                  // sorted, so ties break the same way everywhere
	docs   map[string]int            // examples per department
	counts map[string]map[string]int // word counts per department
	total  map[string]int            // words per department
	vocab  map[string]bool
	n      int // examples
}

// TrainBayes learns from the examples of departments that have at least
// minExamples of them; fewer tell too little to route by. It returns nil
// when fewer than two departments qualify: with one class every text would
// be "100% confident".
func TrainBayes(examples []Example, minExamples int) *Bayes {
	perDept := map[string]int{}
	for _, e := range examples {
		perDept[e.Department]++
	}
	b := &Bayes{docs: map[string]int{}, counts: map[string]map[string]int{}, total: map[string]int{}, vocab: map[string]bool{}}
	for _, e := range examples {
		if e.Department == "" || perDept[e.Department] < max(minExamples, 1) {
			continue
		}
		if b.counts[e.Department] == nil {
			b.counts[e.Department] = map[string]int{}
			b.depts = append(b.depts, e.Department)
		}
		b.docs[e.Department]++
		b.n++
		for _, w := range splitWords(e.Text) {
			b.counts[e.Department][w]++
			b.total[e.Department]++
			b.vocab[w] = true
		}
	}
	if len(b.depts) < 2 {
		return nil
	}
	slices.Sort(b.depts)
	return b
}

// Departments lists the departments the classifier may propose.
func (b *Bayes) Departments() []string { return slices.Clone(b.depts) }

// Propose returns the most probable department for text with its
// posterior probability. Words never seen in training say nothing and are
// skipped; a text with no known word gets no proposal (ok false), since
// its "confidence" would only be the departments' share of examples.
func (b *Bayes) Propose(text string) (p Proposal, ok bool) {
	if b == nil {
		return Proposal{}, false
	}
	var words []string
	for _, w := range splitWords(text) {
		if b.vocab[w] {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		return Proposal{}, false
	}
	scores := make([]float64, len(b.depts))
	v := float64(len(b.vocab))
	for i, d := range b.depts {
		s := math.Log(float64(b.docs[d]) / float64(b.n))
		denom := math.Log(float64(b.total[d]) + v)
		for _, w := range words {
			s += math.Log(float64(b.counts[d][w]+1)) - denom
		}
		scores[i] = s
	}
	best := 0
	for i, s := range scores {
		if s > scores[best] {
			best = i
		}
	}
	// The posterior of the best is 1 / Σ exp(s_i − s_best): stable however
	// long the text.
	var sum float64
	for _, s := range scores {
		sum += math.Exp(s - scores[best])
	}
	return Proposal{Department: b.depts[best], Confidence: 1 / sum}, true
}
