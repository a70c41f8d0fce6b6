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

func crisisTests() []test {
	return []test{
		{"CrisisCreateAndLoad", testCrisisCreate},
		{"CrisisOneOpenPerTitle", testCrisisOneOpenPerTitle},
		{"CrisisConcurrentCreate", testCrisisConcurrentCreate},
		{"CrisisSaveRoundTrip", testCrisisSave},
		{"CrisisByRoomAndList", testCrisisByRoomAndList},
		{"CrisisSteps", testCrisisSteps},
		{"CrisisMembers", testCrisisMembers},
		{"CrisisTimeline", testCrisisTimeline},
		{"CrisisProposalsAndVotes", testCrisisProposals},
		{"CrisisProposalDecidedOnce", testProposalDecidedOnce},
		{"CrisisPendingProposals", testPendingProposals},
		{"CrisisNotFound", testCrisisNotFound},
	}
}

var crisisSteps = []string{"room", "invite", "topic", "brief", "pin", "checkin"}

// newCrisis is a crisis as /crisis open makes it, opened at at.
func newCrisis(brand, title string, at time.Time) store.Crisis {
	return store.Crisis{Brand: brand, Title: title, Severity: "sev2", Status: store.CrisisOpen, OpenedBy: "dana", OpenedAt: at}
}

func openCrisis(t *testing.T, s store.Store, c store.Crisis) store.Crisis {
	t.Helper()
	got, created, err := s.CreateCrisis(t.Context(), c, crisisSteps)
	if err != nil || !created {
		t.Fatalf("CreateCrisis(%q): created %v, %v", c.Title, created, err)
	}
	return got
}

// checkCrisis fails unless got is want as stored: times in UTC to the
// microsecond, zero times still zero.
func checkCrisis(t *testing.T, what string, got, want store.Crisis) {
	t.Helper()
	for _, pair := range []struct {
		name      string
		got, want *time.Time
	}{
		{"OpenedAt", &got.OpenedAt, &want.OpenedAt},
		{"AssembledAt", &got.AssembledAt, &want.AssembledAt},
		{"FirstStatusAt", &got.FirstStatusAt, &want.FirstStatusAt},
		{"FirstApprovedAt", &got.FirstApprovedAt, &want.FirstApprovedAt},
		{"LastCheckInAt", &got.LastCheckInAt, &want.LastCheckInAt},
		{"ResolvedAt", &got.ResolvedAt, &want.ResolvedAt},
	} {
		if pair.want.IsZero() {
			if !pair.got.IsZero() {
				t.Errorf("%s: %s = %v, want zero", what, pair.name, *pair.got)
			}
		} else {
			checkTime(t, what+": "+pair.name, *pair.got, *pair.want)
		}
		*pair.got, *pair.want = time.Time{}, time.Time{}
	}
	// Versions are checked by the version tests; here only that one is set.
	if got.Version <= 0 {
		t.Errorf("%s: Version = %d, want a positive one", what, got.Version)
	}
	got.Version, want.Version = 0, 0
	if got != want {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

func testCrisisCreate(t *testing.T, s store.Store) {
	at := base()
	want := newCrisis("acme", "Checkout outage", at)
	want.Status = "" // a new crisis is open whatever it says
	got := openCrisis(t, s, want)
	want.ID, want.Status = got.ID, store.CrisisOpen
	if got.ID <= 0 {
		t.Fatalf("CreateCrisis gave id %d", got.ID)
	}
	checkCrisis(t, "created", got, want)
	checkCrisis(t, "loaded", must(s.Crisis(t.Context(), got.ID))(t), want)

	steps := must(s.CrisisSteps(t.Context(), got.ID))(t)
	var names []string
	for _, st := range steps {
		names = append(names, st.Name)
		if st.Done || st.Attempts != 0 || st.LastError != "" {
			t.Errorf("new step %+v, want pending with no attempt", st)
		}
		checkTime(t, "step "+st.Name+" UpdatedAt", st.UpdatedAt, at)
	}
	checkStrings(t, "steps in creation order", names, crisisSteps)

	for _, bad := range []store.Crisis{newCrisis("", "", at), {Title: "no severity", OpenedBy: "dana", OpenedAt: at}} {
		_, _, err := s.CreateCrisis(t.Context(), bad, nil)
		checkCode(t, fmt.Sprintf("CreateCrisis(%+v)", bad), err, bot.EInvalid)
	}
}

func testCrisisOneOpenPerTitle(t *testing.T, s store.Store) {
	ctx, at := t.Context(), base()
	first := openCrisis(t, s, newCrisis("acme", "Checkout outage", at))
	again := newCrisis("acme", "CHECKOUT Outage", at.Add(time.Hour))
	again.Severity = "sev1"
	got, created, err := s.CreateCrisis(ctx, again, crisisSteps)
	if err != nil || created || got.ID != first.ID || got.Title != "Checkout outage" || got.Severity != "sev2" {
		t.Fatalf("same title again: %+v created=%v err=%v, want the first crisis unchanged", got, created, err)
	}
	if n := len(must(s.CrisisSteps(ctx, first.ID))(t)); n != len(crisisSteps) {
		t.Errorf("after the repeat the crisis has %d steps, want %d", n, len(crisisSteps))
	}
	// The repeat used up no id; another brand's crisis is another crisis.
	other := openCrisis(t, s, newCrisis("", "Checkout outage", at))
	if other.ID != first.ID+1 {
		t.Errorf("next id = %d, want %d", other.ID, first.ID+1)
	}

	// Once resolved, the same title opens a new crisis.
	first.Status, first.ResolvedAt, first.ResolvedBy = store.CrisisResolved, at.Add(2*time.Hour), "dana"
	if err := s.SaveCrisis(ctx, first); err != nil {
		t.Fatal(err)
	}
	reopened := openCrisis(t, s, newCrisis("acme", "checkout outage", at.Add(3*time.Hour)))
	if reopened.ID == first.ID || reopened.Title != "checkout outage" {
		t.Errorf("after resolving, the same title gave %+v, want a new crisis", reopened)
	}
	// Reopening the old one would make two open crises with one title.
	first = must(s.Crisis(ctx, first.ID))(t)
	first.Status = store.CrisisOpen
	err = s.SaveCrisis(ctx, first)
	checkCode(t, "reopening a crisis whose title is open again", err, bot.EConflict)
	if errors.Is(err, store.ErrStale) {
		t.Errorf("reopening from the current version: %v, want the title conflict, not a stale version", err)
	}
}

// testCrisisConcurrentCreate checks that replicas opening the same crisis at
// once make one, with its steps created once.
func testCrisisConcurrentCreate(t *testing.T, s store.Store) {
	const n = 10
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		created int
		ids     = make([]int64, n)
	)
	titles := []string{"Checkout outage", "CHECKOUT OUTAGE", "checkout Outage"}
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, ok, err := s.CreateCrisis(t.Context(), newCrisis("acme", titles[i%len(titles)], base()), crisisSteps)
			if err != nil {
				t.Errorf("concurrent create: %v", err)
				return
			}
			ids[i] = c.ID
			if ok {
				mu.Lock()
				created++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if created != 1 {
		t.Errorf("%d of %d concurrent creates made a crisis, want 1", created, n)
	}
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("concurrent creates gave crises %v, want one", ids)
		}
	}
	if got := len(must(s.ListCrises(t.Context(), true))(t)); got != 1 {
		t.Errorf("%d crises stored, want 1", got)
	}
	if got := len(must(s.CrisisSteps(t.Context(), ids[0]))(t)); got != len(crisisSteps) {
		t.Errorf("%d steps stored, want %d", got, len(crisisSteps))
	}
}

func testCrisisSave(t *testing.T, s store.Store) {
	ctx, at := t.Context(), base()
	c := openCrisis(t, s, newCrisis("acme", "Checkout outage", at))
	c.Brand, c.Title, c.Severity, c.Status = "globex", "Checkout down", "sev1", store.CrisisResolved
	c.OpenedBy, c.OpenedAt = "kim", at.Add(-time.Minute)
	c.RoomID, c.RoomName, c.BriefChannel, c.BriefID = "C123", "crisis-1-checkout", "C123", "m42"
	c.AssembledAt, c.FirstStatusAt, c.FirstApprovedAt = at.Add(time.Minute), at.Add(2*time.Minute), at.Add(3*time.Minute)
	c.LastCheckInAt, c.ResolvedAt = at.Add(4*time.Minute), at.Add(5*time.Minute)
	c.ResolvedBy, c.Summary, c.Missing = "lee", "card processor restored", "legal, comms"
	if err := s.SaveCrisis(ctx, c); err != nil {
		t.Fatal(err)
	}
	saved := must(s.Crisis(ctx, c.ID))(t)
	checkCrisis(t, "after saving every field", saved, c)
	c.Version = saved.Version

	// Zero times go back to "not yet".
	c.Status, c.AssembledAt, c.FirstStatusAt, c.FirstApprovedAt = store.CrisisOpen, time.Time{}, time.Time{}, time.Time{}
	c.LastCheckInAt, c.ResolvedAt, c.ResolvedBy, c.Summary = time.Time{}, time.Time{}, "", ""
	if err := s.SaveCrisis(ctx, c); err != nil {
		t.Fatal(err)
	}
	checkCrisis(t, "after zeroing the times", must(s.Crisis(ctx, c.ID))(t), c)

	c.ID = 999
	checkCode(t, "SaveCrisis(#999)", s.SaveCrisis(ctx, c), bot.ENotFound)
}

func testCrisisByRoomAndList(t *testing.T, s store.Store) {
	ctx, at := t.Context(), base()
	ids := map[string]int64{}
	for i, title := range []string{"Old", "Newer", "Newest", "Roomless"} {
		c := openCrisis(t, s, newCrisis("", title, at.Add(time.Duration(i)*time.Hour)))
		ids[title] = c.ID
		if title == "Roomless" {
			continue
		}
		c.RoomID, c.RoomName = "C-"+title, "crisis-"+title
		if title == "Newer" {
			c.RoomID = "C-Old" // a room reused by a later crisis
		}
		if title == "Old" {
			c.Status, c.ResolvedAt = store.CrisisResolved, at.Add(30*time.Minute)
		}
		if err := s.SaveCrisis(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if got := must(s.CrisisByRoom(ctx, "C-Old"))(t); got.ID != ids["Newer"] {
		t.Errorf("CrisisByRoom(C-Old) = #%d %s, want the most recent, #%d", got.ID, got.Title, ids["Newer"])
	}
	if got := must(s.CrisisByRoom(ctx, "C-Newest"))(t); got.ID != ids["Newest"] || got.RoomName != "crisis-Newest" {
		t.Errorf("CrisisByRoom(C-Newest) = %+v", got)
	}
	for _, room := range []string{"C-nowhere", ""} {
		_, err := s.CrisisByRoom(ctx, room)
		checkCode(t, fmt.Sprintf("CrisisByRoom(%q)", room), err, bot.ENotFound)
	}

	titles := func(all bool) []string {
		var out []string
		for _, c := range must(s.ListCrises(ctx, all))(t) {
			out = append(out, c.Title)
		}
		return out
	}
	checkStrings(t, "open crises", titles(false), []string{"Roomless", "Newest", "Newer"})
	checkStrings(t, "every crisis", titles(true), []string{"Roomless", "Newest", "Newer", "Old"})
}

func testCrisisNotFound(t *testing.T, s store.Store) {
	ctx, at := t.Context(), base()
	_, err := s.Crisis(ctx, 7)
	checkCode(t, "Crisis(7)", err, bot.ENotFound)
	_, err = s.Proposal(ctx, 7)
	checkCode(t, "Proposal(7)", err, bot.ENotFound)
	_, err = s.AddTimeline(ctx, store.TimelineEntry{CrisisID: 7, At: at, Actor: "dana", Kind: "status", Text: "x"})
	checkCode(t, "AddTimeline to crisis 7", err, bot.ENotFound)
	err = s.AddCrisisMembers(ctx, 7, []store.CrisisMember{{Person: "dana", InvitedAt: at}})
	checkCode(t, "AddCrisisMembers to crisis 7", err, bot.ENotFound)
	_, err = s.CreateProposal(ctx, newProposal(7, at))
	checkCode(t, "CreateProposal in crisis 7", err, bot.ENotFound)
	err = s.AddVote(ctx, store.Vote{ProposalID: 7, Person: "dana", Role: "legal", Approve: true, At: at})
	checkCode(t, "AddVote on proposal 7", err, bot.ENotFound)
	_, err = s.SetProposalStatus(ctx, 7, store.ProposalApproved, at)
	checkCode(t, "SetProposalStatus(7)", err, bot.ENotFound)
	checkCode(t, "MarkStep of crisis 7", s.MarkStep(ctx, 7, "room", true, "", at), bot.ENotFound)
	if steps := must(s.CrisisSteps(ctx, 7))(t); len(steps) != 0 {
		t.Errorf("CrisisSteps(7) = %+v, want none", steps)
	}
}
