package center

import (
	"context"
	"fmt"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// CrisisDetail is a crisis's own page: its brief, members, timeline,
// decisions and approvals.
type CrisisDetail struct {
	Crisis    store.Crisis
	Age       string
	CheckIn   string
	Members   []store.CrisisMember
	Timeline  []store.TimelineEntry
	Decisions []store.Decision
	Proposals []ProposalRow
}

// ProposalRow is a proposal with its votes.
type ProposalRow struct {
	store.Proposal
	Votes    []store.Vote
	Awaiting []string
}

// Crisis returns crisis id's page for person: an EForbidden error unless
// the privacy rule lets them see inside its room (a wall screen never
// does), ENotFound when there is no such crisis.
func (b *Board) Crisis(ctx context.Context, v Viewer, id int64) (CrisisDetail, error) {
	cr, err := b.d.Store.Crisis(ctx, id)
	if err != nil {
		return CrisisDetail{}, err
	}
	if v.Wall {
		return CrisisDetail{}, bot.Errorf(bot.EForbidden, "a wall screen shows no crisis room")
	}
	sees, err := b.rule.Sees(ctx, v.Person, id)
	if err != nil {
		return CrisisDetail{}, fmt.Errorf("who sees crisis %d: %w", id, err)
	}
	if !sees {
		return CrisisDetail{}, bot.Errorf(bot.EForbidden, "crisis %s is for its room's members, social-lead and exec", bot.FormatID(id))
	}
	now := b.d.Clock.Now()
	d := CrisisDetail{Crisis: cr, Age: Age(now, cr.OpenedAt)}
	if cr.Status == store.CrisisOpen {
		d.CheckIn = b.nextCheckIn(cr, now)
	}
	if d.Members, err = b.d.Store.CrisisMembers(ctx, id); err != nil {
		return CrisisDetail{}, err
	}
	if d.Timeline, err = b.d.Store.Timeline(ctx, id); err != nil {
		return CrisisDetail{}, err
	}
	if d.Decisions, err = b.d.Store.ListDecisions(ctx, store.DecisionQuery{CrisisID: id, Limit: decisionsRead}); err != nil {
		return CrisisDetail{}, err
	}
	ps, err := b.d.Store.ListProposals(ctx, id)
	if err != nil {
		return CrisisDetail{}, err
	}
	for _, p := range ps {
		votes, err := b.d.Store.Votes(ctx, p.ID)
		if err != nil {
			return CrisisDetail{}, err
		}
		d.Proposals = append(d.Proposals, ProposalRow{Proposal: p, Votes: votes, Awaiting: awaiting(p.ApproverRoles, votes)})
	}
	return d, nil
}
