package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

func routeTests() []test {
	return []test{
		{"RouteCreateAndLoad", testRouteCreate},
		{"RouteExternalIDIsUnique", testRouteExternalUnique},
		{"RouteCreateArmsTimers", testRouteCreateArmsTimers},
		{"RouteUpdate", testRouteUpdate},
		{"RouteUpdateRefusedChangesNothing", testRouteUpdateRefused},
		{"RouteConcurrentClaims", testRouteConcurrentClaims},
		{"RouteList", testRouteList},
		{"RouteBetween", testRouteBetween},
		{"RouteNotFound", testRouteNotFound},
		{"RouteWithRoster", testRouteWithRoster},
		{"RouteMark", testRouteMark},
		{"RouteExamplesForTheClassifier", testRouteExamples},
	}
}

// newIssue is an open issue received at at.
func newIssue(source, externalID, brand, dept string, at time.Time) store.RoutedIssue {
	return store.RoutedIssue{
		Source: source, ExternalID: externalID, Brand: brand, Platform: "x", Author: "@ann",
		Text: "my parcel never came", URL: "https://x.com/ann/1", Department: dept,
		Rule: "orders", Keyword: "parcel", RoutedBy: "", Status: store.IssueOpen,
		ReceivedAt: at, RoutedAt: at.Add(time.Minute), DueAt: at.Add(61 * time.Minute),
	}
}

func createIssue(t *testing.T, s store.Store, is store.RoutedIssue) store.RoutedIssue {
	t.Helper()
	got, created, err := s.CreateRoutedIssue(t.Context(), is, nil)
	if err != nil || !created {
		t.Fatalf("CreateRoutedIssue: created %v, %v", created, err)
	}
	return got
}

func testRouteCreate(t *testing.T, s store.Store) {
	at := base()
	want := newIssue("zendesk", "z-1", "acme", "customer-care", at)
	got := createIssue(t, s, want)
	if got.ID != 1 {
		t.Errorf("first id = %d, want 1", got.ID)
	}
	loaded := must(s.RoutedIssue(t.Context(), got.ID))(t)
	if loaded.Source != "zendesk" || loaded.ExternalID != "z-1" || loaded.Brand != "acme" || loaded.Platform != "x" ||
		loaded.Author != "@ann" || loaded.Text != want.Text || loaded.URL != want.URL || loaded.Department != "customer-care" ||
		loaded.Rule != "orders" || loaded.Keyword != "parcel" || loaded.Status != store.IssueOpen {
		t.Errorf("loaded %+v", loaded)
	}
	checkTime(t, "ReceivedAt", loaded.ReceivedAt, at)
	checkTime(t, "RoutedAt", loaded.RoutedAt, want.RoutedAt)
	checkTime(t, "DueAt", loaded.DueAt, want.DueAt)
	for name, z := range map[string]time.Time{"PostedAt": loaded.PostedAt, "ClaimedAt": loaded.ClaimedAt,
		"AnsweredAt": loaded.AnsweredAt, "ResolvedAt": loaded.ResolvedAt, "DeliveredAt": loaded.DeliveredAt} {
		if !z.IsZero() {
			t.Errorf("%s = %v, want zero", name, z)
		}
	}
	// Typed issues have no source and are never de-duplicated.
	typed := newIssue("", "", "", "sales", at)
	a, b := createIssue(t, s, typed), createIssue(t, s, typed)
	if a.ID != 2 || b.ID != 3 {
		t.Errorf("typed ids = %d, %d, want 2, 3", a.ID, b.ID)
	}
	if _, _, err := s.CreateRoutedIssue(t.Context(), store.RoutedIssue{Text: "no times"}, nil); !bot.IsCode(err, bot.EInvalid) {
		t.Errorf("incomplete issue: %v, want %s", err, bot.EInvalid)
	}
}

func testRouteExternalUnique(t *testing.T, s store.Store) {
	at := base()
	first := createIssue(t, s, newIssue("zendesk", "z-1", "acme", "customer-care", at))
	again := newIssue("zendesk", "z-1", "globex", "sales", at.Add(time.Hour))
	armed := func(store.RoutedIssue) []bot.Timer {
		t.Error("a repeat armed timers")
		return nil
	}
	got, created, err := s.CreateRoutedIssue(t.Context(), again, armed)
	if err != nil || created || got.ID != first.ID || got.Department != "customer-care" || got.Brand != "acme" {
		t.Fatalf("repeat: %+v created=%v err=%v, want the first issue unchanged", got, created, err)
	}
	// The repeat used up no id; other sources and ids are new issues.
	if id := createIssue(t, s, newIssue("zendesk", "z-2", "", "hr", at)).ID; id != 2 {
		t.Errorf("next id = %d, want 2", id)
	}
	if id := createIssue(t, s, newIssue("sprout", "z-1", "", "hr", at)).ID; id != 3 {
		t.Errorf("other source id = %d, want 3", id)
	}
	// Concurrent deliveries of one message make one issue.
	var wg sync.WaitGroup
	ids := make([]int64, 8)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			is, _, err := s.CreateRoutedIssue(t.Context(), newIssue("zendesk", "z-race", "", "hr", at), nil)
			if err != nil {
				t.Errorf("concurrent create: %v", err)
			}
			ids[i] = is.ID
		}()
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("concurrent deliveries made issues %v", ids)
		}
	}
}

func testRouteCreateArmsTimers(t *testing.T, s store.Store) {
	at := base()
	createIssue(t, s, newIssue("", "", "", "sales", at))
	is, created, err := s.CreateRoutedIssue(t.Context(), newIssue("", "", "", "sales", at), func(is store.RoutedIssue) []bot.Timer {
		return []bot.Timer{{Kind: "route.remind", Key: fmt.Sprintf("route:%d:remind", is.ID), Due: is.RoutedAt, Payload: "{}"}}
	})
	if err != nil || !created {
		t.Fatalf("create: %v", err)
	}
	due := must(s.ClaimDueTimers(t.Context(), at.Add(time.Hour), time.Minute, 10))(t)
	if len(due) != 1 || due[0].Key != fmt.Sprintf("route:%d:remind", is.ID) {
		t.Fatalf("armed timers = %+v, want route:%d:remind", due, is.ID)
	}
	checkTime(t, "timer due", due[0].Due, is.RoutedAt)
}

func testRouteUpdate(t *testing.T, s store.Store) {
	at := base()
	is := createIssue(t, s, newIssue("zendesk", "z-1", "acme", "customer-care", at))
	claimed := at.Add(10 * time.Minute)
	got := must(s.UpdateRoutedIssue(t.Context(), is.ID, func(u *store.RoutedIssue) error {
		u.Status, u.ClaimedBy, u.ClaimedAt = store.IssueClaimed, "lee", claimed
		u.PostChannel, u.PostID, u.PostedAt = "#customer-care", "m1", at
		u.Reply, u.AnsweredBy, u.AnsweredAt = "on its way", "lee", claimed
		u.Delivery, u.DeliveryAttempts, u.DeliveryError = store.DeliveryPending, 2, "503"
		u.ID, u.Source = 99, "changed" // neither can change
		return nil
	}))(t)
	loaded := must(s.RoutedIssue(t.Context(), is.ID))(t)
	for _, g := range []store.RoutedIssue{got, loaded} {
		if g.ID != is.ID || g.Source != "zendesk" || g.Status != store.IssueClaimed || g.ClaimedBy != "lee" ||
			g.PostChannel != "#customer-care" || g.PostID != "m1" || g.Reply != "on its way" ||
			g.Delivery != store.DeliveryPending || g.DeliveryAttempts != 2 || g.DeliveryError != "503" {
			t.Errorf("after update: %+v", g)
		}
		checkTime(t, "ClaimedAt", g.ClaimedAt, claimed)
		checkTime(t, "PostedAt", g.PostedAt, at)
	}
	// Timers given with a change are armed with it.
	due := at.Add(time.Hour)
	must(s.UpdateRoutedIssue(t.Context(), is.ID, func(u *store.RoutedIssue) error { return nil },
		bot.Timer{Kind: "route.deliver", Key: "route:1:deliver", Due: due, Payload: `{"issue_id":1}`}))(t)
	next, ok := must2(s.NextTimerDue(t.Context()))(t)
	if !ok {
		t.Fatal("the timer given with the change is not pending")
	}
	checkTime(t, "timer due", next, due)
	// Zero times go back to "not yet".
	got = must(s.UpdateRoutedIssue(t.Context(), is.ID, func(u *store.RoutedIssue) error {
		u.ClaimedBy, u.ClaimedAt, u.PostedAt = "", time.Time{}, time.Time{}
		return nil
	}))(t)
	if !got.ClaimedAt.IsZero() || !got.PostedAt.IsZero() {
		t.Errorf("zeroed times came back as %v, %v", got.ClaimedAt, got.PostedAt)
	}
}

func testRouteUpdateRefused(t *testing.T, s store.Store) {
	is := createIssue(t, s, newIssue("", "", "", "sales", base()))
	refused := bot.Errorf(bot.EConflict, "already claimed")
	_, err := s.UpdateRoutedIssue(t.Context(), is.ID, func(u *store.RoutedIssue) error {
		u.Status = store.IssueResolved
		return refused
	}, bot.Timer{Kind: "route.deliver", Key: "route:1:deliver", Due: base(), Payload: "{}"})
	if !errors.Is(err, refused) {
		t.Errorf("err = %v, want the change's own error", err)
	}
	if got := must(s.RoutedIssue(t.Context(), is.ID))(t); got.Status != store.IssueOpen {
		t.Errorf("status = %s after a refused change", got.Status)
	}
	if _, ok := must2(s.NextTimerDue(t.Context()))(t); ok {
		t.Error("a refused change armed its timer")
	}
	_, err = s.UpdateRoutedIssue(t.Context(), 42, func(*store.RoutedIssue) error { return nil })
	if !bot.IsCode(err, bot.ENotFound) {
		t.Errorf("missing issue: %v, want %s", err, bot.ENotFound)
	}
}

// testRouteConcurrentClaims checks that read-modify-write is atomic: of
// several people claiming at once, exactly one wins.
func testRouteConcurrentClaims(t *testing.T, s store.Store) {
	is := createIssue(t, s, newIssue("", "", "", "sales", base()))
	var wg sync.WaitGroup
	var mu sync.Mutex
	winners := 0
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.UpdateRoutedIssue(t.Context(), is.ID, func(u *store.RoutedIssue) error {
				if u.ClaimedBy != "" {
					return bot.Errorf(bot.EConflict, "taken")
				}
				u.ClaimedBy, u.Status = fmt.Sprintf("p%d", i), store.IssueClaimed
				return nil
			})
			switch {
			case err == nil:
				mu.Lock()
				winners++
				mu.Unlock()
			case !bot.IsCode(err, bot.EConflict):
				t.Errorf("claim: %v", err)
			}
		}()
	}
	wg.Wait()
	if winners != 1 {
		t.Errorf("%d claims won, want 1", winners)
	}
}

func testRouteList(t *testing.T, s store.Store) {
	at := base()
	for i, dept := range []string{"sales", "legal", "sales", "hr"} {
		createIssue(t, s, newIssue("", "", "", dept, at.Add(time.Duration(i)*time.Minute)))
	}
	must(s.UpdateRoutedIssue(t.Context(), 3, func(u *store.RoutedIssue) error { u.Status = store.IssueResolved; return nil }))(t)
	ids := func(q store.RoutedIssueQuery) []string {
		var out []string
		for _, is := range must(s.ListRoutedIssues(t.Context(), q))(t) {
			out = append(out, fmt.Sprint(is.ID))
		}
		return out
	}
	checkStrings(t, "all", ids(store.RoutedIssueQuery{}), []string{"4", "3", "2", "1"})
	checkStrings(t, "unresolved", ids(store.RoutedIssueQuery{Unresolved: true}), []string{"4", "2", "1"})
	checkStrings(t, "sales", ids(store.RoutedIssueQuery{Department: "sales"}), []string{"3", "1"})
	checkStrings(t, "limit", ids(store.RoutedIssueQuery{Limit: 2}), []string{"4", "3"})
}

func testRouteBetween(t *testing.T, s store.Store) {
	at := base()
	createIssue(t, s, newIssue("", "", "acme", "sales", at.Add(2*time.Hour)))   // 1: after
	createIssue(t, s, newIssue("", "", "acme", "sales", at.Add(time.Hour)))     // 2: in
	createIssue(t, s, newIssue("", "", "globex", "sales", at.Add(time.Minute))) // 3: in, other brand
	createIssue(t, s, newIssue("", "", "acme", "sales", at))                    // 4: at from: in
	createIssue(t, s, newIssue("", "", "acme", "sales", at.Add(-time.Second)))  // 5: before
	ids := func(brand string) []string {
		var out []string
		for _, is := range must(s.RoutedIssuesBetween(t.Context(), at, at.Add(2*time.Hour), brand))(t) {
			out = append(out, fmt.Sprint(is.ID))
		}
		return out
	}
	checkStrings(t, "every brand, oldest first", ids(""), []string{"4", "3", "2"})
	checkStrings(t, "acme", ids("acme"), []string{"4", "2"})
}

func testRouteNotFound(t *testing.T, s store.Store) {
	if _, err := s.RoutedIssue(t.Context(), 7); !bot.IsCode(err, bot.ENotFound) {
		t.Errorf("RoutedIssue(7): %v, want %s", err, bot.ENotFound)
	}
}

// testRouteWithRoster reads issues with the assignments of the roles
// named for any of them, and those only; a missing id is left out.
func testRouteWithRoster(t *testing.T, s store.Store) {
	at := base()
	sales := createIssue(t, s, newIssue("", "", "acme", "sales", at))
	hr := createIssue(t, s, newIssue("", "", "", "hr", at))
	assign(t, s, assignment("sales-liaison", "sam", "", false, at))
	assign(t, s, assignment("sales-liaison", "sue", "acme", true, at))
	assign(t, s, assignment("social-lead", "lee", "", false, at))
	assign(t, s, assignment("hr-liaison", "hal", "", false, at))
	assign(t, s, assignment("legal-liaison", "lou", "", false, at))
	roles := func(got store.RoutedIssue) []string {
		switch got.Department {
		case "sales":
			return []string{"sales-liaison", "social-lead"}
		case "hr":
			return []string{"hr-liaison", "social-lead"}
		}
		t.Errorf("roles asked for issue %+v", got)
		return nil
	}
	issues, roster, err := s.RoutedIssuesWithRoster(t.Context(), []int64{hr.ID, 99, sales.ID, hr.ID}, roles)
	if err != nil || len(issues) != 2 || issues[0].ID != sales.ID || issues[1].ID != hr.ID || issues[1].Department != "hr" {
		t.Fatalf("RoutedIssuesWithRoster = %+v, %v, want issues %d and %d", issues, err, sales.ID, hr.ID)
	}
	want := "[hr-liaison//hal/false sales-liaison//sam/false sales-liaison/acme/sue/true social-lead//lee/false]"
	if got := rosterText(roster); got != want {
		t.Errorf("roster = %v, want %s", got, want)
	}
	issues, roster, err = s.RoutedIssuesWithRoster(t.Context(), []int64{sales.ID}, roles)
	want = "[sales-liaison//sam/false sales-liaison/acme/sue/true social-lead//lee/false]"
	if err != nil || len(issues) != 1 || rosterText(roster) != want {
		t.Errorf("one issue: %+v, roster %v, %v, want its own roster %s", issues, rosterText(roster), err, want)
	}
	if _, roster, err := s.RoutedIssuesWithRoster(t.Context(), []int64{sales.ID}, func(store.RoutedIssue) []string { return nil }); err != nil || len(roster) != 0 {
		t.Errorf("no roles: roster %v, %v, want none", roster, err)
	}
	if issues, roster, err := s.RoutedIssuesWithRoster(t.Context(), []int64{99}, roles); err != nil || len(issues)+len(roster) != 0 {
		t.Errorf("RoutedIssuesWithRoster(99) = %+v, %v, %v, want nothing", issues, roster, err)
	}
	if issues, _, err := s.RoutedIssuesWithRoster(t.Context(), nil, roles); err != nil || len(issues) != 0 {
		t.Errorf("RoutedIssuesWithRoster(no ids) = %+v, %v, want nothing", issues, err)
	}
}

// rosterText lists assignments as role/brand/person/backup.
func rosterText(roster []store.RoleAssignment) string {
	var people []string
	for _, a := range roster {
		people = append(people, fmt.Sprintf("%s/%s/%s/%v", a.Role, a.Brand, a.Person, a.Backup))
	}
	return fmt.Sprint(people)
}

// testRouteMark records timers' times on open issues, several at once, and
// leaves an issue that is no longer open alone.
func testRouteMark(t *testing.T, s store.Store) {
	ctx := t.Context()
	at := base()
	is := createIssue(t, s, newIssue("", "", "", "sales", at))
	other := createIssue(t, s, newIssue("", "", "", "hr", at))
	mark := func(m store.IssueMark, when time.Time, ids ...int64) string {
		t.Helper()
		return fmt.Sprint(must(s.MarkRoutedIssues(ctx, m, when, ids...))(t))
	}
	both := fmt.Sprint([]int64{is.ID, other.ID})
	if got := mark(store.IssueReminded, at.Add(30*time.Minute), other.ID, is.ID, 99); got != both {
		t.Errorf("reminders of open issues marked %s, want %s", got, both)
	}
	if got := mark(store.IssueEscalated, at.Add(time.Hour), is.ID); got != fmt.Sprint([]int64{is.ID}) {
		t.Errorf("escalation of an open issue marked %s, want [%d]", got, is.ID)
	}
	got := must(s.RoutedIssue(ctx, is.ID))(t)
	checkTime(t, "RemindedAt", got.RemindedAt, at.Add(30*time.Minute))
	checkTime(t, "EscalatedAt", got.EscalatedAt, at.Add(time.Hour))
	checkTime(t, "the other's RemindedAt", must(s.RoutedIssue(ctx, other.ID))(t).RemindedAt, at.Add(30*time.Minute))
	if !must(s.RoutedIssue(ctx, other.ID))(t).EscalatedAt.IsZero() {
		t.Error("the other issue was escalated too")
	}
	if got.Status != store.IssueOpen || !got.ClaimedAt.IsZero() {
		t.Errorf("marking changed more: %+v", got)
	}
	must(s.UpdateRoutedIssue(ctx, is.ID, func(u *store.RoutedIssue) error {
		u.Status, u.ClaimedBy, u.ClaimedAt = store.IssueClaimed, "sam", at.Add(40*time.Minute)
		return nil
	}))(t)
	if got := mark(store.IssueReminded, at.Add(50*time.Minute), is.ID, other.ID); got != fmt.Sprint([]int64{other.ID}) {
		t.Errorf("marked %s, want only the open issue [%d]", got, other.ID)
	}
	checkTime(t, "RemindedAt after a refused mark", must(s.RoutedIssue(ctx, is.ID))(t).RemindedAt, at.Add(30*time.Minute))
	if got := mark(store.IssueReminded, at); got != "[]" {
		t.Errorf("no ids marked %s", got)
	}
	if _, err := s.MarkRoutedIssues(ctx, store.IssueMark("answered"), at, is.ID); err == nil {
		t.Error("an unknown mark was accepted")
	}
}

// must2(a, b, err)(t) returns a and b, or fails t when err is not nil.
func must2[A, B any](a A, b B, err error) func(t *testing.T) (A, B) {
	return func(t *testing.T) (A, B) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return a, b
	}
}

// testRouteExamples checks what the routing classifier learns from: the
// answered issues with their department now, and a stamp that changes
// whenever they do.
func testRouteExamples(t *testing.T, s store.Store) {
	ctx := t.Context()
	stamp := func() store.RoutingStamp { return must(s.RoutingExamplesStamp(ctx))(t) }
	empty := stamp()
	if empty.Answered != 0 || len(must(s.RoutingExamples(ctx, 0))(t)) != 0 {
		t.Fatalf("examples of an empty store: stamp %+v", empty)
	}
	classified := newIssue("", "", "", "sales", base())
	classified.Rule, classified.Keyword, classified.Confidence = "", "", 0.82
	first := createIssue(t, s, classified)
	if got := must(s.RoutedIssue(ctx, first.ID))(t); got.Confidence != 0.82 {
		t.Errorf("Confidence = %v, want 0.82", got.Confidence)
	}
	second := createIssue(t, s, newIssue("", "", "", "customer-care", base()))
	if stamp() != empty {
		t.Errorf("unanswered issues changed the stamp: %+v", stamp())
	}
	answer := func(id int64, at time.Time) {
		must(s.UpdateRoutedIssue(ctx, id, func(is *store.RoutedIssue) error {
			is.Status, is.AnsweredBy, is.AnsweredAt = store.IssueAnswered, "kim", at
			return nil
		}))(t)
	}
	answer(second.ID, base().Add(time.Hour))
	answer(first.ID, base().Add(2*time.Hour))
	one := stamp()
	if one.Answered != 2 {
		t.Errorf("stamp after two answers = %+v", one)
	}
	got := must(s.RoutingExamples(ctx, 0))(t)
	want := []store.RoutingExample{
		{IssueID: first.ID, Text: classified.Text, Department: "sales"},
		{IssueID: second.ID, Text: classified.Text, Department: "customer-care"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("RoutingExamples = %+v, want %+v (latest answer first)", got, want)
	}
	if got := must(s.RoutingExamples(ctx, 1))(t); len(got) != 1 || got[0].IssueID != first.ID {
		t.Errorf("RoutingExamples(1) = %+v", got)
	}

	// Reassigning an answered issue changes its label, and the stamp.
	must(s.UpdateRoutedIssue(ctx, second.ID, func(is *store.RoutedIssue) error {
		is.Department = "sales"
		return nil
	}))(t)
	if two := stamp(); two == one || two.Answered != 2 {
		t.Errorf("stamp after a reassignment = %+v, was %+v", two, one)
	}
	if got := must(s.RoutingExamples(ctx, 0))(t); got[1].Department != "sales" {
		t.Errorf("reassigned example = %+v, want sales", got[1])
	}
}
