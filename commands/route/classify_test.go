package route

import (
	"strings"
	"testing"

	"github.com/interlock-coe/interlock/config"
)

// exampleRules are the example configuration's routing rules.
func exampleRules(t testing.TB) ([]config.RoutingRule, string) {
	t.Helper()
	cfg, err := config.Parse(config.Example(), "example.yaml")
	if err != nil {
		t.Fatalf("parse example: %v", err)
	}
	return cfg.Routing.Rules, cfg.Routing.Default
}

func TestClassifyExampleRules(t *testing.T) {
	rules, def := exampleRules(t)
	tests := []struct {
		text, dept, rule, keyword string
	}{
		{"My shipment never arrived", "customer-care", "orders, shipping, refunds", "shipment"},
		{"Where is my ORDER?!", "customer-care", "orders, shipping, refunds", "order"},
		{"What's the pricing for teams", "sales", "pricing, demo, quote", "pricing"},
		{"Can I get a demo, please", "sales", "pricing, demo, quote", "demo"},
		{"Are you hiring designers?", "hr", "jobs, careers, hiring", "hiring"},
		{"GDPR request: delete my data", "legal", "lawsuit, lawyer, GDPR, privacy", "gdpr"},
		{"I'd like to make a data request", "legal", "lawsuit, lawyer, GDPR, privacy", "data request"},
		{"the app is broken after the update", "product", "bug, feature, broken", "broken"},
		// Earlier rules win: a refund for a bug goes to customer care.
		{"refund me, the bug ate my order", "customer-care", "orders, shipping, refunds", "order"},
		// Whole words only: "debugging" is not "bug", "reorder" is not "order".
		{"debugging the reorder flow", "customer-care", "", ""},
		// A phrase must be consecutive words.
		{"my data, and a request", "customer-care", "", ""},
		{"", "customer-care", "", ""},
		{"love the new colours", "customer-care", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			m := Classify(rules, def, tt.text)
			if m.Department != tt.dept || m.Rule != tt.rule || m.Keyword != tt.keyword {
				t.Errorf("Classify(%q) = %+v, want %s via %q/%q", tt.text, m, tt.dept, tt.rule, tt.keyword)
			}
			if m.Default() != (tt.rule == "") {
				t.Errorf("Default() = %v", m.Default())
			}
		})
	}
}

func TestClassifyRuleOrderAndNames(t *testing.T) {
	rules := []config.RoutingRule{
		{Keywords: []string{"late"}, Department: "ops"},
		{Name: "Refunds", Keywords: []string{"money back", "late"}, Department: "billing"},
	}
	if m := Classify(rules, "care", "I want my money back"); m.Department != "billing" || m.Rule != "Refunds" || m.Keyword != "money back" {
		t.Errorf("got %+v", m)
	}
	if m := Classify(rules, "care", "Late and I want my money back"); m.Department != "ops" || m.Rule != "rule 1" {
		t.Errorf("first rule should win, got %+v", m)
	}
	if m := Classify(nil, "care", "anything"); m.Department != "care" || !m.Default() {
		t.Errorf("no rules: got %+v", m)
	}
}

func TestMatchReason(t *testing.T) {
	if got := (Match{Department: "sales", Rule: "pricing", Keyword: "quote"}).Reason(); got != `rule "pricing" matched "quote"` {
		t.Errorf("Reason = %q", got)
	}
	if got := (Match{Department: "care"}).Reason(); !strings.Contains(got, "default") {
		t.Errorf("Reason = %q", got)
	}
}

func FuzzClassify(f *testing.F) {
	rules, def := exampleRules(f)
	for _, s := range []string{"my shipment", "GDPR!", "data request", "ÜBER price", "\xff\xfe", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		m := Classify(rules, def, text)
		if m.Department == "" {
			t.Fatalf("no department for %q", text)
		}
		if m.Default() {
			if m.Department != def || m.Keyword != "" {
				t.Fatalf("default match %+v for %q", m, text)
			}
			return
		}
		// The keyword reported really is in the text, as whole words.
		if !containsPhrase(splitWords(text), splitWords(m.Keyword)) {
			t.Fatalf("keyword %q not found in %q", m.Keyword, text)
		}
	})
}
