package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

func requestTests() []test {
	return []test{
		{"RequestPlaceAndLoad", testRequestPlaceAndLoad},
		{"RequestCapacityQueues", testRequestCapacityQueues},
		{"RequestCapacityConcurrent", testRequestCapacityConcurrent},
		{"RequestUpdateAndCancel", testRequestUpdateAndCancel},
		{"RequestList", testRequestList},
		{"Workload", testWorkload},
	}
}

// newRequest is a request for service in the week of monday (YYYY-MM-DD).
func newRequest(service, by, week string, at time.Time) store.ServiceRequest {
	return store.ServiceRequest{
		Service: service, Details: "Q4 sentiment", Fields: map[string]string{"brand": "acme", "question": "why?"},
		RequestedBy: by, RequestedAt: at, Week: week, DueAt: at.Add(72 * time.Hour), Status: store.RequestOpen,
	}
}

// weeks returns the request in its week and the n weeks after it.
func weeks(r store.ServiceRequest, n int) []store.ServiceRequest {
	out := []store.ServiceRequest{r}
	monday, _ := time.Parse("2006-01-02", r.Week)
	for i := 1; i <= n; i++ {
		later := r
		later.Week, later.Queued = monday.AddDate(0, 0, 7*i).Format("2006-01-02"), true
		later.DueAt = r.DueAt.AddDate(0, 0, 7*i)
		out = append(out, later)
	}
	return out
}

func placeRequest(t *testing.T, s store.Store, capacity int, cands ...store.ServiceRequest) store.ServiceRequest {
	t.Helper()
	r, err := s.PlaceRequest(t.Context(), cands, capacity, nil)
	if err != nil {
		t.Fatalf("PlaceRequest: %v", err)
	}
	return r
}

func testRequestPlaceAndLoad(t *testing.T, s store.Store) {
	tm := bot.Timer{Kind: "request.remind", Key: "request:x:remind", Due: base().Add(time.Hour), Payload: "{}"}
	var armedFor int64
	arm := func(r store.ServiceRequest) []bot.Timer { armedFor = r.ID; return []bot.Timer{tm} }
	r, err := s.PlaceRequest(t.Context(), weeks(newRequest("report", "priya", "2026-03-02", base()), 2), 3, arm)
	if err != nil {
		t.Fatal(err)
	}
	if r.ID == 0 || armedFor != r.ID {
		t.Fatalf("placed %+v, armed for %d", r, armedFor)
	}
	got := must(s.ServiceRequest(t.Context(), r.ID))(t)
	if got.Service != "report" || got.Week != "2026-03-02" || got.Queued || got.Status != store.RequestOpen ||
		got.Fields["question"] != "why?" || got.RequestedBy != "priya" || got.ClaimedBy != "" {
		t.Errorf("request = %+v", got)
	}
	checkTime(t, "due_at", got.DueAt, base().Add(72*time.Hour))
	checkTime(t, "requested_at", got.RequestedAt, base())
	if !got.ClaimedAt.IsZero() || !got.DoneAt.IsZero() || !got.LateAt.IsZero() {
		t.Errorf("zero times came back set: %+v", got)
	}
	due := must(s.ClaimDueTimers(t.Context(), base().Add(2*time.Hour), time.Minute, 10))(t)
	if len(due) != 1 || due[0].Key != tm.Key {
		t.Errorf("timers = %+v, want the armed one", due)
	}
	if _, err := s.ServiceRequest(t.Context(), r.ID+100); !bot.IsCode(err, bot.ENotFound) {
		t.Errorf("missing request: %v, want ENotFound", err)
	}
}

func testRequestCapacityQueues(t *testing.T, s store.Store) {
	for i := range 3 {
		r := placeRequest(t, s, 3, weeks(newRequest("report", "priya", "2026-03-02", base().Add(time.Duration(i)*time.Minute)), 3)...)
		if r.Week != "2026-03-02" || r.Queued {
			t.Fatalf("request %d went to week %s (queued %v), want the first week", i+1, r.Week, r.Queued)
		}
	}
	fourth := placeRequest(t, s, 3, weeks(newRequest("report", "omar", "2026-03-02", base()), 3)...)
	if fourth.Week != "2026-03-09" || !fourth.Queued {
		t.Errorf("the fourth request went to week %s (queued %v), want 2026-03-09, queued", fourth.Week, fourth.Queued)
	}
	other := placeRequest(t, s, 3, weeks(newRequest("campaign", "omar", "2026-03-02", base()), 3)...)
	if other.Week != "2026-03-02" {
		t.Errorf("another service's request went to week %s: capacity is per service", other.Week)
	}
	_, err := s.PlaceRequest(t.Context(), weeks(newRequest("tiny", "omar", "2026-03-02", base()), 0), 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.PlaceRequest(t.Context(), weeks(newRequest("tiny", "omar", "2026-03-02", base()), 0), 1, nil)
	if !bot.IsCode(err, bot.EConflict) {
		t.Errorf("no week with room: %v, want EConflict", err)
	}
	if rs := must(s.ListRequests(t.Context(), store.RequestQuery{Service: "tiny"}))(t); len(rs) != 1 {
		t.Errorf("a refused request was stored: %d requests", len(rs))
	}
}

func testRequestCapacityConcurrent(t *testing.T, s store.Store) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	perWeek := map[string]int{}
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := s.PlaceRequest(t.Context(), weeks(newRequest("report", fmt.Sprintf("p%d", i), "2026-03-02", base()), 5), 2, nil)
			if err != nil {
				t.Errorf("PlaceRequest: %v", err)
				return
			}
			mu.Lock()
			perWeek[r.Week]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	for week, n := range perWeek {
		if n > 2 {
			t.Errorf("week %s holds %d requests, capacity 2", week, n)
		}
	}
	if len(perWeek) != 4 {
		t.Errorf("weeks used = %v, want 4 weeks of 2", perWeek)
	}
}

func testRequestUpdateAndCancel(t *testing.T, s store.Store) {
	a := placeRequest(t, s, 1, weeks(newRequest("report", "priya", "2026-03-02", base()), 2)...)
	b := placeRequest(t, s, 1, weeks(newRequest("report", "omar", "2026-03-02", base()), 2)...)
	if b.Week != "2026-03-09" {
		t.Fatalf("second request in week %s", b.Week)
	}
	claimed, err := s.UpdateRequest(t.Context(), b.ID, func(r *store.ServiceRequest) error {
		r.ClaimedBy, r.ClaimedAt, r.Note, r.NoteAt = "sam", base(), "draft ready", base()
		r.Service, r.Week = "tampered", "2000-01-03" // not writable
		return nil
	})
	if err != nil || claimed.ClaimedBy != "sam" || claimed.Service != "report" || claimed.Week != "2026-03-09" {
		t.Fatalf("claim: %+v, %v", claimed, err)
	}
	got := must(s.ServiceRequest(t.Context(), b.ID))(t)
	if got.ClaimedBy != "sam" || got.Note != "draft ready" || got.Service != "report" {
		t.Errorf("after claim = %+v", got)
	}
	checkTime(t, "claimed_at", got.ClaimedAt, base())
	refused := bot.Errorf(bot.EConflict, "no")
	if _, err := s.UpdateRequest(t.Context(), a.ID, func(r *store.ServiceRequest) error { r.Status = store.RequestDone; return refused }); err != refused {
		t.Errorf("refused change returned %v", err)
	}
	if got := must(s.ServiceRequest(t.Context(), a.ID))(t); got.Status != store.RequestOpen {
		t.Error("a refused change was written")
	}
	// Cancelling a gives its week's slot back: the next request takes it.
	_, err = s.UpdateRequest(t.Context(), a.ID, func(r *store.ServiceRequest) error {
		r.Status, r.Reason, r.DoneAt = store.RequestCancelled, "not needed", base()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if c := placeRequest(t, s, 1, weeks(newRequest("report", "lee", "2026-03-02", base()), 2)...); c.Week != "2026-03-02" {
		t.Errorf("after a cancellation the next request went to week %s, want the freed 2026-03-02", c.Week)
	}
	// Cancelling twice does not give a slot back twice.
	if _, err := s.UpdateRequest(t.Context(), a.ID, func(r *store.ServiceRequest) error { r.Reason = "again"; return nil }); err != nil {
		t.Fatal(err)
	}
	if d := placeRequest(t, s, 1, weeks(newRequest("report", "kim", "2026-03-02", base()), 2)...); d.Week != "2026-03-16" {
		t.Errorf("next request went to week %s, want 2026-03-16", d.Week)
	}
	if _, err := s.UpdateRequest(t.Context(), 9999, func(*store.ServiceRequest) error { return nil }); !bot.IsCode(err, bot.ENotFound) {
		t.Errorf("missing request: %v", err)
	}
}

func testRequestList(t *testing.T, s store.Store) {
	early := newRequest("report", "priya", "2026-03-02", base())
	early.DueAt = base().Add(time.Hour)
	a := placeRequest(t, s, 10, early)
	b := placeRequest(t, s, 10, newRequest("campaign", "omar", "2026-03-02", base().Add(time.Minute)))
	c := placeRequest(t, s, 10, newRequest("report", "omar", "2026-03-02", base().Add(2*time.Minute)))
	if _, err := s.UpdateRequest(t.Context(), c.ID, func(r *store.ServiceRequest) error {
		r.Status, r.DoneAt, r.ClaimedBy = store.RequestDone, base(), "sam"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	ids := func(q store.RequestQuery) []int64 {
		var out []int64
		for _, r := range must(s.ListRequests(t.Context(), q))(t) {
			out = append(out, r.ID)
		}
		return out
	}
	cases := []struct {
		name string
		q    store.RequestQuery
		want []int64
	}{
		{"all, newest first", store.RequestQuery{}, []int64{c.ID, b.ID, a.ID}},
		{"open", store.RequestQuery{Open: true}, []int64{b.ID, a.ID}},
		{"mine", store.RequestQuery{RequestedBy: "omar"}, []int64{c.ID, b.ID}},
		{"claimed", store.RequestQuery{ClaimedBy: "sam"}, []int64{c.ID}},
		{"service", store.RequestQuery{Service: "report"}, []int64{c.ID, a.ID}},
		{"late", store.RequestQuery{Open: true, DueBefore: base().Add(2 * time.Hour)}, []int64{a.ID}},
		{"requested between", store.RequestQuery{RequestedFrom: base().Add(time.Minute), RequestedTo: base().Add(2 * time.Minute)}, []int64{b.ID}},
		{"limit", store.RequestQuery{Limit: 1}, []int64{c.ID}},
	}
	for _, tc := range cases {
		if got := ids(tc.q); fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s: ids = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func testWorkload(t *testing.T, s store.Store) {
	ctx := t.Context()
	// Requests: sam claims two, one of them done; lee one.
	for i, who := range []string{"sam", "sam", "lee", ""} {
		r := placeRequest(t, s, 10, newRequest("report", "priya", "2026-03-02", base()))
		_, err := s.UpdateRequest(ctx, r.ID, func(r *store.ServiceRequest) error {
			r.ClaimedBy = who
			if i == 1 {
				r.Status = store.RequestDone
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// Routed issues: sam claims one open and one resolved.
	for i, status := range []string{store.IssueClaimed, store.IssueResolved} {
		is := createIssue(t, s, newIssue("inbox", fmt.Sprintf("w%d", i), "", "care", base()))
		if _, err := s.UpdateRoutedIssue(ctx, is.ID, func(u *store.RoutedIssue) error {
			u.ClaimedBy, u.Status = "sam", status
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	// Crises: lee is in an open and a resolved room.
	open := openCrisis(t, s, newCrisis("acme", "outage", base()))
	closed := openCrisis(t, s, newCrisis("acme", "old", base()))
	for _, c := range []store.Crisis{open, closed} {
		if err := s.AddCrisisMembers(ctx, c.ID, []store.CrisisMember{{Person: "lee", InvitedAt: base()}}); err != nil {
			t.Fatal(err)
		}
	}
	closed.Status, closed.ResolvedAt = store.CrisisResolved, base()
	if err := s.SaveCrisis(ctx, closed); err != nil {
		t.Fatal(err)
	}
	// Content: comms (kim for acme, sam for all brands) must answer the
	// first stage of two items; kim answered one; priya submitted the other
	// and holds comms too; the backup ann is not counted.
	for _, a := range []store.RoleAssignment{
		{Role: "comms", Person: "kim", Brand: "acme"}, {Role: "comms", Person: "sam"}, {Role: "comms", Person: "priya"},
		{Role: "comms", Person: "ann", Backup: true}, {Role: "comms", Person: "bo", Brand: "other"},
		{Role: "com_s", Person: "zed"},
	} {
		a.AssignedBy, a.AssignedAt = "test", base()
		if _, err := s.AssignRole(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	first := submitContent(t, s, "one", "priya")
	submitContent(t, s, "two", "omar")
	if _, err := s.UpdateContent(ctx, first.ID, func(u *store.ContentUpdate) error {
		u.NewAnswers = append(u.NewAnswers, store.ContentAnswer{Position: 0, Version: 1, Person: "kim", Role: "comms", Verdict: store.VerdictChanges, At: base()})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	got := must(s.Workload(ctx))(t)
	want := []store.Workload{
		{Person: "sam", Requests: 1, Issues: 1, Content: 2},
		{Person: "lee", Requests: 1, Crises: 1},
		{Person: "kim", Content: 1},
		{Person: "priya", Content: 1},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("workload =\n%+v\nwant\n%+v", got, want)
	}
}
