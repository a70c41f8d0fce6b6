package route_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/route"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
	"github.com/interlock-coe/interlock/store/postgres"
	"github.com/interlock-coe/interlock/store/storetest"
)

// The lead that no keyword rule catches.
const lead = "I want to buy 500 units for my company"

// Sales leads and customer-care issues that match no rule of the example
// configuration, so the fallback sends them all to customer care.
var (
	salesLeads = []string{
		"We'd like to buy 200 licences for our team",
		"Can we buy in bulk for our company?",
		"Looking to purchase 50 units for the office",
		"How much would 1000 units cost for my company",
		"Our company wants to buy seats for everyone",
	}
	careIssues = []string{
		"The colour faded after one wash",
		"I cannot log in to my account",
		"Thanks for the quick help yesterday",
		"The zip broke on my jacket after a week",
		"My voucher code does not work at checkout",
	}
)

// routeAuto routes text with /route auto and returns the issue.
func (f *fixture) routeAuto(t *testing.T, text string) store.RoutedIssue {
	t.Helper()
	r := f.Say("@priya /route auto " + text)
	if r.Err != nil {
		t.Fatalf("/route auto %s: %v", text, r.Err)
	}
	issues, err := f.Store.ListRoutedIssues(context.Background(), store.RoutedIssueQuery{Limit: 1})
	if err != nil || len(issues) != 1 {
		t.Fatalf("newest issue: %v", err)
	}
	return issues[0]
}

// teach routes the leads and issues as customers send them: every one
// lands in customer care by the fallback; customer care reassigns the leads
// to sales, which answers them, and answers the rest itself.
func (f *fixture) teach(t *testing.T) {
	t.Helper()
	for _, text := range salesLeads {
		is := f.routeAuto(t, text)
		if is.Department != "customer-care" || is.Rule != "" {
			t.Fatalf("%q went to %s by %q before any learning, want customer-care by the fallback", text, is.Department, is.Rule)
		}
		f.mustSay(t, fmt.Sprintf("@lee /route reassign %d sales", is.ID))
		f.mustSay(t, fmt.Sprintf("@sam /route answer %d Happy to help: a quote is on its way.", is.ID))
	}
	for _, text := range careIssues {
		is := f.routeAuto(t, text)
		f.mustSay(t, fmt.Sprintf("@lee /route answer %d Sorry about that, we're on it.", is.ID))
	}
}

func (f *fixture) mustSay(t *testing.T, line string) {
	t.Helper()
	if r := f.Say(line); r.Err != nil {
		t.Fatalf("%s: %v", line, r.Err)
	}
}

func TestClassifierLearnsFromReassignments(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testClassifierLearns(t, newFixture(t)) })
	t.Run("postgres", func(t *testing.T) {
		st, err := postgres.Open(context.Background(), storetest.PostgresURL(t), slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		testClassifierLearns(t, newFixture(t, commandstest.WithStore(st)))
	})
}

func testClassifierLearns(t *testing.T, f *fixture) {
	f.assignLiaisons(t)
	// A second replica over the same store, which builds its model now,
	// before anything is learnt.
	replica := route.New(f.Deps, nil)
	if _, _, err := replica.Ingest(context.Background(), route.Message{Text: "hello there"}); err != nil {
		t.Fatal(err)
	}

	before := f.routeAuto(t, lead)
	if before.Department != "customer-care" {
		t.Fatalf("before learning the lead went to %s, want customer-care", before.Department)
	}
	f.teach(t)

	r := f.Say("@priya /route auto " + lead)
	r.Contains(t, "to Sales (#sales)", "no rule matched; routed to sales by the classifier", "% confident", "@sam on duty")
	is := f.routeAuto(t, "We want to buy 300 units for our company")
	if is.Department != "sales" || is.Confidence < 0.6 || is.Rule != "" {
		t.Errorf("next lead = %s with confidence %.2f by %q, want sales above 60%% by the classifier", is.Department, is.Confidence, is.Rule)
	}
	post := f.posts("#sales")
	if last := post[len(post)-1]; !strings.Contains(last, fmt.Sprintf("routed to sales by the classifier, %.0f%% confident", 100*is.Confidence)) {
		t.Errorf("the sales post does not say why:\n%s", last)
	}
	// Care issues still go to care, by the classifier too.
	if is := f.routeAuto(t, "my voucher code does not work"); is.Department != "customer-care" {
		t.Errorf("a care issue went to %s", is.Department)
	}
	// A keyword rule still wins over the classifier.
	if is := f.routeAuto(t, "I want to buy 500 units, what is the pricing?"); is.Rule != "pricing, demo, quote" || is.Confidence != 0 {
		t.Errorf("a pricing question was routed by %q at %.2f, want the pricing rule", is.Rule, is.Confidence)
	}

	// The replica sees what the other one learnt.
	id, _, err := replica.Ingest(context.Background(), route.Message{Text: lead})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := f.Store.RoutedIssue(context.Background(), id); got.Department != "sales" {
		t.Errorf("the replica routed the lead to %s, want sales", got.Department)
	}
}

func TestClassifierSettings(t *testing.T) {
	tests := []struct {
		name     string
		settings string
		want     string
	}{
		{"disabled", "enabled: false", "customer-care"},
		{"threshold above its confidence", "threshold: 0.9999", "customer-care"},
		{"more examples needed", "min_examples: 6", "customer-care"},
		{"defaults", "enabled: true", "sales"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, commandstest.WithConfig(classifierConfig(t, tt.settings)))
			f.assignLiaisons(t)
			f.teach(t)
			if is := f.routeAuto(t, lead); is.Department != tt.want {
				t.Errorf("the lead went to %s at %.2f, want %s", is.Department, is.Confidence, tt.want)
			}
		})
	}
}

// classifierConfig is the outbound test configuration with one classifier
// setting replaced by settings.
func classifierConfig(t *testing.T, settings string) string {
	t.Helper()
	yaml := configWithOutbound(t, "http://127.0.0.1:1/unused")
	key, _, _ := strings.Cut(settings, ":")
	lines := strings.Split(yaml, "\n")
	found := false
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), key+":") && strings.HasPrefix(l, "    ") {
			lines[i] = "    " + settings
			found = true
			break
		}
	}
	if !found {
		t.Fatalf("no routing.classifier.%s in the example configuration", key)
	}
	if _, err := config.Parse([]byte(strings.Join(lines, "\n")), "test.yaml"); err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}
