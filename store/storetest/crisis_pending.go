package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/store"
)

// testPendingProposals checks that PendingProposals reads the pending
// proposals of the crises asked for, and only those, each with its votes.
func testPendingProposals(t *testing.T, s store.Store) {
	ctx, at := t.Context(), base()
	a := openCrisis(t, s, newCrisis("", "Checkout outage", at))
	b := openCrisis(t, s, newCrisis("", "Warehouse fire rumours", at))
	other := openCrisis(t, s, newCrisis("", "Not asked for", at))
	propose := func(crisisID int64, minute int) store.Proposal {
		t.Helper()
		return must(s.CreateProposal(ctx, newProposal(crisisID, at.Add(time.Duration(minute)*time.Minute))))(t)
	}
	vote := func(p store.Proposal, person, role string, approve bool, minute int) {
		t.Helper()
		v := store.Vote{ProposalID: p.ID, Person: person, Role: role, Approve: approve, At: at.Add(time.Duration(minute) * time.Minute)}
		if err := s.AddVote(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	b1 := propose(b.ID, 1) // created first, listed after a's: by crisis
	a1 := propose(a.ID, 2)
	decided := propose(a.ID, 3)
	a2 := propose(a.ID, 4)
	propose(other.ID, 5)
	vote(a1, "kim", "comms", false, 7)
	vote(a1, "lee", "legal", true, 6)
	vote(decided, "lee", "legal", true, 8)
	vote(b1, "kim", "comms", true, 9)
	if _, err := s.SetProposalStatus(ctx, decided.ID, store.ProposalApproved, at.Add(10*time.Minute)); err != nil {
		t.Fatal(err)
	}

	got := must(s.PendingProposals(ctx, []int64{b.ID, a.ID, 999999}))(t)
	var ids []int64
	for _, p := range got {
		ids = append(ids, p.ID)
	}
	if !slices.Equal(ids, []int64{a1.ID, a2.ID, b1.ID}) {
		t.Fatalf("PendingProposals ids = %v, want %v", ids, []int64{a1.ID, a2.ID, b1.ID})
	}
	if fmt.Sprint(got[0].Proposal) != fmt.Sprint(a1) {
		t.Errorf("proposal = %+v, want %+v", got[0].Proposal, a1)
	}
	var voters []string
	for _, v := range got[0].Votes {
		voters = append(voters, v.Person+"/"+v.Role)
		if v.ProposalID != a1.ID {
			t.Errorf("vote %+v is not on proposal %d", v, a1.ID)
		}
	}
	checkStrings(t, "votes on the first proposal, in the order cast", voters, []string{"lee/legal", "kim/comms"})
	checkTime(t, "vote At", got[0].Votes[1].At, at.Add(7*time.Minute))
	if len(got[1].Votes) != 0 || len(got[2].Votes) != 1 || !got[2].Votes[0].Approve {
		t.Errorf("votes of the others = %+v and %+v, want none and kim's approval", got[1].Votes, got[2].Votes)
	}
	if none := must(s.PendingProposals(ctx, nil))(t); len(none) != 0 {
		t.Errorf("PendingProposals of no crisis = %+v, want none", none)
	}
}
