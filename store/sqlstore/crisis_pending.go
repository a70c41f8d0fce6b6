package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/interlock-coe/interlock/store"
)

// PendingProposals lists the pending proposals of crisisIDs with their
// votes: one query for the proposals and one for their votes (per
// rowsPerStatement crises), in one transaction so the votes match.
func (s *Store) PendingProposals(ctx context.Context, crisisIDs []int64) ([]store.ProposalVotes, error) {
	var out []store.ProposalVotes
	err := s.inTx(ctx, func(q *querier) error {
		out = nil
		for chunk := range slices.Chunk(crisisIDs, rowsPerStatement) {
			got, err := pendingProposals(ctx, q, chunk)
			if err != nil {
				return err
			}
			out = append(out, got...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list pending proposals of %d crises: %w", len(crisisIDs), err)
	}
	slices.SortFunc(out, func(a, b store.ProposalVotes) int {
		return cmp.Or(cmp.Compare(a.CrisisID, b.CrisisID), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// pendingProposals reads the pending proposals of a few crises and their votes.
func pendingProposals(ctx context.Context, q *querier, crisisIDs []int64) ([]store.ProposalVotes, error) {
	in := strings.TrimSuffix(strings.Repeat("?, ", len(crisisIDs)), ", ")
	args := []any{store.ProposalPending}
	for _, id := range crisisIDs {
		args = append(args, id)
	}
	rows, err := q.query(ctx, `SELECT `+proposalColumns+` FROM crisis_proposals
		WHERE status = ? AND crisis_id IN (`+in+`) ORDER BY crisis_id, id`, args...)
	if err != nil {
		return nil, err
	}
	ps, err := collect(rows, func(r Rows) (store.Proposal, error) { return scanProposal(r) })
	if err != nil || len(ps) == 0 {
		return nil, err
	}
	// Votes by crisis, not by status: a proposal decided between the two
	// reads keeps its votes rather than showing none.
	rows, err = q.query(ctx, `SELECT v.proposal_id, v.person, v.role, v.approve, v.reason, v.at
		FROM proposal_votes v JOIN crisis_proposals p ON p.id = v.proposal_id
		WHERE p.crisis_id IN (`+in+`) ORDER BY v.at, v.person`, args[1:]...)
	if err != nil {
		return nil, err
	}
	votes, err := collect(rows, scanVote)
	if err != nil {
		return nil, err
	}
	byProposal := map[int64][]store.Vote{}
	for _, v := range votes {
		byProposal[v.ProposalID] = append(byProposal[v.ProposalID], v) // decided proposals' votes go unused
	}
	out := make([]store.ProposalVotes, len(ps))
	for i, p := range ps {
		out[i] = store.ProposalVotes{Proposal: p, Votes: byProposal[p.ID]}
	}
	return out, nil
}
