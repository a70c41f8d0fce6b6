package route

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func examples(dept string, texts ...string) []Example {
	out := make([]Example, len(texts))
	for i, t := range texts {
		out[i] = Example{Text: t, Department: dept}
	}
	return out
}

// tiny is small enough to work out by hand: vocabulary {x, y, z}, one
// example each, so both priors are ½; A has 3 words, B has 2.
var tiny = slices.Concat(examples("a", "x x y"), examples("b", "y z"))

func TestBayesPropose(t *testing.T) {
	sales := examples("sales",
		"we want to buy 200 licences for our team",
		"can we buy in bulk for our company",
		"looking to purchase 50 units for the office",
		"how much for 1000 units",
		"our company would like to buy seats",
	)
	care := examples("customer-care",
		"my parcel never arrived",
		"the box came damaged and I want my money back",
		"thanks for the quick help",
		"the colour faded after one wash",
		"I cannot log in to my account",
	)
	trained := slices.Concat(sales, care)
	tests := []struct {
		name     string
		train    []Example
		text     string
		dept     string
		conf     float64 // exact, when not 0
		minConf  float64
		proposes bool
	}{
		// P(x|a) = (2+1)/(3+3) = ½, P(x|b) = (0+1)/(2+3) = ⅕: a with ½/(½+⅕).
		{name: "laplace by hand", train: tiny, text: "x", dept: "a", conf: 0.5 / 0.7, proposes: true},
		// P(y|a) = ⅓, P(y|b) = ⅖: b with ⅖/(⅓+⅖).
		{name: "fewer words make a word likelier", train: tiny, text: "y", dept: "b", conf: 0.4 / (0.4 + 1.0/3), proposes: true},
		{name: "case and punctuation ignored", train: tiny, text: "X!", dept: "a", conf: 0.5 / 0.7, proposes: true},
		{name: "unknown words skipped", train: tiny, text: "x, quux", dept: "a", conf: 0.5 / 0.7, proposes: true},
		{name: "no known word, no proposal", train: tiny, text: "hello there", proposes: false},
		{name: "empty text", train: tiny, text: "", proposes: false},
		// Equal scores: the first department in sorted order, at ½.
		{name: "tie breaks by name", train: slices.Concat(examples("b", "x"), examples("a", "y")), text: "x y", dept: "a", conf: 0.5, proposes: true},
		{name: "sales lead", train: trained, text: "I want to buy 500 units for my company", dept: "sales", minConf: 0.8, proposes: true},
		{name: "care issue", train: trained, text: "my parcel arrived damaged", dept: "customer-care", minConf: 0.8, proposes: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := TrainBayes(tt.train, 1)
			p, ok := b.Propose(tt.text)
			if ok != tt.proposes {
				t.Fatalf("Propose(%q) ok = %v, want %v (%+v)", tt.text, ok, tt.proposes, p)
			}
			if !ok {
				return
			}
			if p.Department != tt.dept {
				t.Errorf("Propose(%q) = %+v, want %s", tt.text, p, tt.dept)
			}
			if tt.conf != 0 && math.Abs(p.Confidence-tt.conf) > 1e-9 {
				t.Errorf("confidence = %.6f, want %.6f", p.Confidence, tt.conf)
			}
			if p.Confidence < tt.minConf {
				t.Errorf("confidence = %.3f, want at least %.2f", p.Confidence, tt.minConf)
			}
		})
	}
}

func TestTrainBayesNeedsTwoDepartmentsWithEnoughExamples(t *testing.T) {
	five := func(dept string) []Example { return examples(dept, "a", "b", "c", "d", "e") }
	tests := []struct {
		name  string
		train []Example
		min   int
		depts []string // nil: no model
	}{
		{name: "nothing", min: 5},
		{name: "one department", train: five("sales"), min: 5},
		{name: "second below the minimum", train: slices.Concat(five("sales"), examples("hr", "a")), min: 5},
		{name: "both at the minimum", train: slices.Concat(five("sales"), five("hr")), min: 5, depts: []string{"hr", "sales"}},
		{name: "the small one left out", train: slices.Concat(five("sales"), five("hr"), examples("legal", "a")), min: 5, depts: []string{"hr", "sales"}},
		{name: "no department is no class", train: slices.Concat(five("sales"), five("")), min: 1},
		{name: "minimum below one means one", train: slices.Concat(examples("sales", "a"), examples("hr", "b")), min: 0, depts: []string{"hr", "sales"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := TrainBayes(tt.train, tt.min)
			if tt.depts == nil {
				if b != nil {
					t.Errorf("model over %v, want none", b.Departments())
				}
				if _, ok := b.Propose("a"); ok {
					t.Error("a nil model proposed")
				}
				return
			}
			if b == nil {
				t.Fatalf("no model, want one over %v", tt.depts)
			}
			if got := b.Departments(); !slices.Equal(got, tt.depts) {
				t.Errorf("departments = %v, want %v", got, tt.depts)
			}
		})
	}
}

// FuzzBayesPropose feeds customer text, which comes from outside, to a
// trained model: a proposal is one of its departments with a confidence
// that is a probability no lower than an even split.
func FuzzBayesPropose(f *testing.F) {
	b := TrainBayes(slices.Concat(tiny, examples("c", "ünïcode wörds", "x z z"), examples("a", "buy 500 units")), 1)
	for _, s := range []string{"x", "I want to buy 500 units for my company", "ÜNÏCODE", "\xff\xfe x", "", "x y z x y z x y z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p, ok := b.Propose(text)
		if !ok {
			return
		}
		if !slices.Contains(b.Departments(), p.Department) {
			t.Fatalf("proposed %q, not a department", p.Department)
		}
		n := float64(len(b.Departments()))
		if math.IsNaN(p.Confidence) || p.Confidence < 1/n-1e-9 || p.Confidence > 1 {
			t.Fatalf("confidence %v for %q", p.Confidence, text)
		}
	})
}

// manyExamples is n answered issues over five departments, the size the
// store hands the classifier (at most 5,000).
func manyExamples(n int) []Example {
	words := strings.Fields("buy units company parcel arrived broken login account refund job career lawyer privacy " +
		"quote team office colour wash voucher code checkout seats licences bulk purchase week jacket zip help")
	depts := []string{"customer-care", "sales", "hr", "legal", "product"}
	out := make([]Example, n)
	for i := range out {
		var text []string
		for j := range 12 {
			text = append(text, words[(i*7+j*(i%5+1))%len(words)])
		}
		out[i] = Example{Text: strings.Join(text, " "), Department: depts[i%len(depts)]}
	}
	return out
}

func BenchmarkTrainBayes(b *testing.B) {
	examples := manyExamples(5000)
	for b.Loop() {
		TrainBayes(examples, 5)
	}
}

func BenchmarkBayesPropose(b *testing.B) {
	m := TrainBayes(manyExamples(5000), 5)
	for b.Loop() {
		m.Propose("I want to buy 500 units for my company")
	}
}
