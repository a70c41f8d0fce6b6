package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

func decisionTests() []test {
	return []test{
		{"DecisionAppend", testDecisionAppend},
		{"DecisionOrder", testDecisionOrder},
		{"DecisionFilters", testDecisionFilters},
		{"DecisionDefaultLimit", testDecisionLimit},
		{"DecisionLogIsAppendOnly", testDecisionAppendOnly},
		{"DecisionSearchIsLiteralAndBounded", testDecisionSearchBounded},
	}
}

func texts(ds []store.Decision) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Text)
	}
	return out
}

func appendDecision(t *testing.T, s store.Store, d store.Decision) store.Decision {
	t.Helper()
	return must(s.AppendDecision(t.Context(), d))(t)
}

func listTexts(t *testing.T, s store.Store, q store.DecisionQuery) []string {
	t.Helper()
	return texts(must(s.ListDecisions(t.Context(), q))(t))
}

func testDecisionAppend(t *testing.T, s store.Store) {
	at := base()
	want := store.Decision{
		Kind: store.KindApproval, Text: "approved the holding statement", Context: "legal agreed",
		Actor: "dana", Brand: "acme", CrisisID: 3, Ref: "proposal:2", At: at,
	}
	first := appendDecision(t, s, want)
	if first.ID <= 0 {
		t.Errorf("AppendDecision gave id %d, want a positive one", first.ID)
	}
	checkTime(t, "returned At", first.At, at)
	got := must(s.ListDecisions(t.Context(), store.DecisionQuery{}))(t)
	if len(got) != 1 {
		t.Fatalf("ListDecisions = %+v, want one", got)
	}
	g := got[0]
	want.ID, want.At = first.ID, g.At
	if g != want {
		t.Errorf("ListDecisions = %+v\nwant %+v", g, want)
	}
	checkTime(t, "listed At", g.At, at)

	second := appendDecision(t, s, store.Decision{Text: "no kind given", Actor: "lee", At: at})
	if second.ID <= first.ID {
		t.Errorf("second id %d is not above the first, %d", second.ID, first.ID)
	}
	if second.Kind != store.KindDecision {
		t.Errorf("empty kind became %q, want %q", second.Kind, store.KindDecision)
	}
	if _, err := s.AppendDecision(t.Context(), store.Decision{Actor: "lee", At: at}); !bot.IsCode(err, bot.EInvalid) {
		t.Errorf("AppendDecision without text = %v, want an %s error", err, bot.EInvalid)
	}
}

func testDecisionOrder(t *testing.T, s store.Store) {
	at := base()
	appendDecision(t, s, store.Decision{Text: "first", Actor: "lee", At: at})
	appendDecision(t, s, store.Decision{Text: "latest", Actor: "lee", At: at.Add(time.Hour)})
	appendDecision(t, s, store.Decision{Text: "same time as first, added later", Actor: "lee", At: at})
	// A microsecond apart: the stored precision still orders them.
	appendDecision(t, s, store.Decision{Text: "just after first", Actor: "lee", At: at.Add(time.Microsecond)})
	checkStrings(t, "newest first", listTexts(t, s, store.DecisionQuery{}),
		[]string{"latest", "just after first", "same time as first, added later", "first"})
}

func testDecisionFilters(t *testing.T, s store.Store) {
	at := base()
	for _, d := range []store.Decision{
		{Kind: store.KindDecision, Text: "Pause all promoted posts", At: at},
		{Kind: store.KindApproval, Text: "approved holding statement", Context: "Legal OK", CrisisID: 3, At: at.Add(time.Hour)},
		{Kind: store.KindResult, Text: "Variant B wins", Ref: "test:7", At: at.Add(2 * time.Hour)},
		{Kind: store.KindDecision, Text: "100% refund for order 42_a", At: at.Add(3 * time.Hour)},
		{Kind: store.KindDecision, Text: "refund policy unchanged", Context: "see 42xa", At: at.Add(4 * time.Hour)},
	} {
		d.Actor = "lee"
		appendDecision(t, s, d)
	}
	tests := []struct {
		q    store.DecisionQuery
		want []string
	}{
		{store.DecisionQuery{Search: "PAUSE"}, []string{"Pause all promoted posts"}},
		{store.DecisionQuery{Search: "legal ok"}, []string{"approved holding statement"}},
		{store.DecisionQuery{Search: "%"}, []string{"100% refund for order 42_a"}},
		{store.DecisionQuery{Search: "42_a"}, []string{"100% refund for order 42_a"}},
		{store.DecisionQuery{Search: "refund"}, []string{"refund policy unchanged", "100% refund for order 42_a"}},
		{store.DecisionQuery{Since: at.Add(3 * time.Hour)}, []string{"refund policy unchanged", "100% refund for order 42_a"}},
		{store.DecisionQuery{Kind: store.KindDecision, Limit: 2}, []string{"refund policy unchanged", "100% refund for order 42_a"}},
		{store.DecisionQuery{CrisisID: 3}, []string{"approved holding statement"}},
		{store.DecisionQuery{Ref: "test:7"}, []string{"Variant B wins"}},
		{store.DecisionQuery{Search: "b", Kind: store.KindResult}, []string{"Variant B wins"}},
		{store.DecisionQuery{Search: "nothing like this"}, nil},
		{store.DecisionQuery{Limit: 1}, []string{"refund policy unchanged"}},
	}
	for _, tc := range tests {
		checkStrings(t, fmt.Sprintf("%+v", tc.q), listTexts(t, s, tc.q), tc.want)
	}
}

func testDecisionLimit(t *testing.T, s store.Store) {
	at := base()
	for i := range 55 {
		appendDecision(t, s, store.Decision{Text: fmt.Sprintf("decision %d", i), Actor: "lee", At: at.Add(time.Duration(i) * time.Minute)})
	}
	got := listTexts(t, s, store.DecisionQuery{})
	if len(got) != 50 || got[0] != "decision 54" {
		t.Errorf("default listing has %d decisions starting %q, want 50 starting with decision 54", len(got), got[0])
	}
	if n := len(listTexts(t, s, store.DecisionQuery{Limit: 60})); n != 55 {
		t.Errorf("listing with limit 60 has %d decisions, want 55", n)
	}
}

// testDecisionAppendOnly checks that the database itself, not only the
// store's code, refuses to change the log.
func testDecisionAppendOnly(t *testing.T, s store.Store) {
	raw := rawExecer(t, s)
	d := appendDecision(t, s, store.Decision{Text: "keep me", Actor: "lee", At: base()})
	for _, sql := range []string{
		`UPDATE decisions SET text = 'changed'`,
		fmt.Sprintf(`UPDATE decisions SET actor = 'mallory' WHERE id = %d`, d.ID),
		`DELETE FROM decisions`,
		fmt.Sprintf(`DELETE FROM decisions WHERE id = %d`, d.ID),
	} {
		if err := raw.ExecRaw(t.Context(), sql); err == nil {
			t.Errorf("%s: the database allowed it", sql)
		}
	}
	got := must(s.ListDecisions(t.Context(), store.DecisionQuery{}))(t)
	if len(got) != 1 || got[0].Text != "keep me" || got[0].Actor != "lee" {
		t.Errorf("after the refused changes the log is %+v, want the one decision unchanged", got)
	}
}

// testDecisionSearchBounded checks that LIKE wildcards and the escape
// character match themselves, and that a search text over
// store.MaxSearchLen is refused as invalid rather than failing in the
// database (SQLite: "LIKE or GLOB pattern too complex").
func testDecisionSearchBounded(t *testing.T, s store.Store) {
	at := base()
	for i, text := range []string{`C:\temp\x`, "50% off", "5_0 off", strings.Repeat("%", store.MaxSearchLen)} {
		appendDecision(t, s, store.Decision{Text: text, Actor: "lee", At: at.Add(time.Duration(i) * time.Minute)})
	}
	for search, want := range map[string][]string{
		`\`:                                     {`C:\temp\x`},
		`:\t`:                                   {`C:\temp\x`},
		"%":                                     {strings.Repeat("%", store.MaxSearchLen), "50% off"},
		"_":                                     {"5_0 off"},
		"5%":                                    nil,
		strings.Repeat("%", store.MaxSearchLen): {strings.Repeat("%", store.MaxSearchLen)},
	} {
		checkStrings(t, fmt.Sprintf("search %.20q", search), listTexts(t, s, store.DecisionQuery{Search: search}), want)
	}
	for _, search := range []string{strings.Repeat("%", 100_000), strings.Repeat("é", store.MaxSearchLen+1)} {
		_, err := s.ListDecisions(t.Context(), store.DecisionQuery{Search: search})
		if !bot.IsCode(err, bot.EInvalid) || !strings.Contains(bot.ErrorMessage(err), "at most 200") {
			t.Errorf("search of %d characters: err = %v, want %s saying at most 200", len([]rune(search)), err, bot.EInvalid)
		}
	}
}
