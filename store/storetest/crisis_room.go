package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

func testCrisisSteps(t *testing.T, s store.Store) {
	ctx, at := t.Context(), base()
	c := openCrisis(t, s, newCrisis("", "Checkout outage", at))
	step := func(name string) store.CrisisStep {
		t.Helper()
		for _, st := range must(s.CrisisSteps(ctx, c.ID))(t) {
			if st.Name == name {
				return st
			}
		}
		t.Fatalf("no step %s", name)
		return store.CrisisStep{}
	}
	mark := func(name string, done bool, errText string, when time.Time) {
		t.Helper()
		if err := s.MarkStep(ctx, c.ID, name, done, errText, when); err != nil {
			t.Fatal(err)
		}
	}

	mark("invite", false, "slack: rate limited", at.Add(time.Minute))
	mark("invite", false, "slack: timeout", at.Add(2*time.Minute))
	got := step("invite")
	if got.Done || got.Attempts != 2 || got.LastError != "slack: timeout" {
		t.Errorf("after two failures: %+v, want pending, 2 attempts, the last error", got)
	}
	checkTime(t, "UpdatedAt after failures", got.UpdatedAt, at.Add(2*time.Minute))

	mark("invite", true, "", at.Add(3*time.Minute))
	got = step("invite")
	if !got.Done || got.Attempts != 3 || got.LastError != "" {
		t.Errorf("after success: %+v, want done, 3 attempts, no error", got)
	}
	checkTime(t, "UpdatedAt after success", got.UpdatedAt, at.Add(3*time.Minute))
	if room := step("room"); room.Done || room.Attempts != 0 {
		t.Errorf("an untouched step changed: %+v", room)
	}

	// The order stays the creation order, whatever was marked.
	var names []string
	for _, st := range must(s.CrisisSteps(ctx, c.ID))(t) {
		names = append(names, st.Name)
	}
	checkStrings(t, "steps", names, crisisSteps)
	checkCode(t, "MarkStep of an unknown step", s.MarkStep(ctx, c.ID, "dance", true, "", at), bot.ENotFound)
}

func testCrisisMembers(t *testing.T, s store.Store) {
	ctx, at := t.Context(), base()
	c := openCrisis(t, s, newCrisis("", "Checkout outage", at))
	other := openCrisis(t, s, newCrisis("", "Data leak", at))
	add := func(id int64, ms ...store.CrisisMember) {
		t.Helper()
		if err := s.AddCrisisMembers(ctx, id, ms); err != nil {
			t.Fatal(err)
		}
	}
	add(c.ID, store.CrisisMember{Person: "dana", InvitedAt: at}, store.CrisisMember{Person: "lee", Role: "legal", InvitedAt: at})
	add(c.ID, store.CrisisMember{Person: "lee", Role: "comms", InvitedAt: at.Add(time.Hour)},
		store.CrisisMember{Person: "kim", Role: "comms", InvitedAt: at.Add(time.Minute)})
	add(c.ID)
	add(other.ID, store.CrisisMember{Person: "zed", InvitedAt: at})

	var got []string
	for _, m := range must(s.CrisisMembers(ctx, c.ID))(t) {
		got = append(got, m.Person+"/"+m.Role)
		want := at
		if m.Person == "kim" {
			want = at.Add(time.Minute)
		}
		checkTime(t, m.Person+" InvitedAt", m.InvitedAt, want)
	}
	checkStrings(t, "members (a repeat changes nothing)", got, []string{"dana/", "lee/legal", "kim/comms"})
	if n := len(must(s.CrisisMembers(ctx, other.ID))(t)); n != 1 {
		t.Errorf("the other crisis has %d members, want 1", n)
	}
}

func testCrisisTimeline(t *testing.T, s store.Store) {
	ctx, at := t.Context(), base()
	c := openCrisis(t, s, newCrisis("", "Checkout outage", at))
	other := openCrisis(t, s, newCrisis("", "Data leak", at))
	add := func(id int64, when time.Time, kind, text string) store.TimelineEntry {
		t.Helper()
		return must(s.AddTimeline(ctx, store.TimelineEntry{CrisisID: id, At: when, Actor: "dana", Kind: kind, Text: text}))(t)
	}
	opened := add(c.ID, at, "opened", "opened as sev2")
	if opened.ID <= 0 || opened.CrisisID != c.ID || opened.Kind != "opened" || opened.Actor != "dana" {
		t.Errorf("AddTimeline = %+v", opened)
	}
	checkTime(t, "entry At", opened.At, at)
	add(c.ID, at.Add(time.Hour), "status", "third")
	add(other.ID, at.Add(time.Minute), "status", "elsewhere")
	add(c.ID, at.Add(time.Minute), "decision", "second")
	add(c.ID, at.Add(time.Hour), "checkin", "fourth, same time as third")

	var got []string
	for _, e := range must(s.Timeline(ctx, c.ID))(t) {
		got = append(got, e.Text)
	}
	checkStrings(t, "timeline oldest first", got, []string{"opened as sev2", "second", "third", "fourth, same time as third"})
	entries := must(s.Timeline(ctx, c.ID))(t)
	first := entries[0]
	checkTime(t, "first entry At", first.At, at)
	if first.ID != opened.ID || first.CrisisID != c.ID || first.Actor != "dana" || first.Kind != "opened" {
		t.Errorf("Timeline()[0] = %+v, want %+v", first, opened)
	}
}

func newProposal(crisisID int64, at time.Time) store.Proposal {
	return store.Proposal{
		CrisisID: crisisID, Text: "We're aware of checkout issues.", ProposedBy: "dana", ProposedAt: at,
		ApproverRoles: []string{"legal", "comms"}, Quorum: 2, Status: store.ProposalPending,
	}
}

func testCrisisProposals(t *testing.T, s store.Store) {
	ctx, at := t.Context(), base()
	c := openCrisis(t, s, newCrisis("", "Checkout outage", at))
	p := must(s.CreateProposal(ctx, newProposal(c.ID, at)))(t)
	if p.ID <= 0 || p.CrisisID != c.ID || p.Text != "We're aware of checkout issues." || p.ProposedBy != "dana" ||
		!slices.Equal(p.ApproverRoles, []string{"legal", "comms"}) || p.Quorum != 2 ||
		p.Status != store.ProposalPending || !p.DecidedAt.IsZero() {
		t.Errorf("CreateProposal = %+v", p)
	}
	checkTime(t, "ProposedAt", p.ProposedAt, at)
	if loaded := must(s.Proposal(ctx, p.ID))(t); fmt.Sprint(loaded) != fmt.Sprint(p) {
		t.Errorf("Proposal = %+v, want %+v", loaded, p)
	}
	noRoles := newProposal(c.ID, at.Add(time.Minute))
	noRoles.ApproverRoles, noRoles.Status, noRoles.Quorum = nil, "", 1
	second := must(s.CreateProposal(ctx, noRoles))(t)
	if second.ApproverRoles != nil || second.Status != store.ProposalPending {
		t.Errorf("proposal without approvers = %+v, want no roles and pending", second)
	}
	var ids []int64
	for _, l := range must(s.ListProposals(ctx, c.ID))(t) {
		ids = append(ids, l.ID)
	}
	if !slices.Equal(ids, []int64{p.ID, second.ID}) {
		t.Errorf("ListProposals = %v, want [%d %d]", ids, p.ID, second.ID)
	}
	_, err := s.CreateProposal(ctx, store.Proposal{CrisisID: c.ID, ProposedBy: "dana", ProposedAt: at})
	checkCode(t, "a proposal without text", err, bot.EInvalid)

	vote := func(person, role string, approve bool, reason string, when time.Time) error {
		return s.AddVote(ctx, store.Vote{ProposalID: p.ID, Person: person, Role: role, Approve: approve, Reason: reason, At: when})
	}
	if err := vote("lee", "legal", true, "", at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := vote("kim", "comms", false, "tone", at.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	checkCode(t, "a second vote by lee", vote("lee", "legal", false, "changed my mind", at.Add(3*time.Minute)), bot.EConflict)

	votes := must(s.Votes(ctx, p.ID))(t)
	if len(votes) != 2 {
		t.Fatalf("Votes = %+v, want two", votes)
	}
	lee, kim := votes[0], votes[1]
	if lee.ProposalID != p.ID || lee.Person != "lee" || lee.Role != "legal" || !lee.Approve || lee.Reason != "" {
		t.Errorf("first vote = %+v", lee)
	}
	if kim.Person != "kim" || kim.Role != "comms" || kim.Approve || kim.Reason != "tone" {
		t.Errorf("second vote = %+v", kim)
	}
	checkTime(t, "vote At", kim.At, at.Add(2*time.Minute))
	if n := len(must(s.Votes(ctx, second.ID))(t)); n != 0 {
		t.Errorf("the other proposal has %d votes", n)
	}
}

// testProposalDecidedOnce checks that a proposal leaves pending once, even
// when approvers meet the quorum at the same moment.
func testProposalDecidedOnce(t *testing.T, s store.Store) {
	ctx, at := t.Context(), base()
	c := openCrisis(t, s, newCrisis("", "Checkout outage", at))
	p := must(s.CreateProposal(ctx, newProposal(c.ID, at)))(t)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		changed int
	)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := s.SetProposalStatus(ctx, p.ID, store.ProposalApproved, at.Add(time.Minute))
			if err != nil {
				t.Errorf("SetProposalStatus: %v", err)
			}
			if ok {
				mu.Lock()
				changed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if changed != 1 {
		t.Errorf("%d concurrent approvals changed the proposal, want 1", changed)
	}
	if ok := must(s.SetProposalStatus(ctx, p.ID, store.ProposalRejected, at.Add(time.Hour)))(t); ok {
		t.Error("rejecting an approved proposal: changed = true, want false")
	}
	got := must(s.Proposal(ctx, p.ID))(t)
	if got.Status != store.ProposalApproved {
		t.Errorf("status = %s, want %s", got.Status, store.ProposalApproved)
	}
	checkTime(t, "DecidedAt", got.DecidedAt, at.Add(time.Minute))
	if _, err := s.SetProposalStatus(ctx, p.ID, store.ProposalPending, at); err == nil {
		t.Error("SetProposalStatus(pending) succeeded, want an error")
	}
}
