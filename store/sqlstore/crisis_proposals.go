package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// proposalColumns are the columns of crisis_proposals in scanProposal's
// order.
const proposalColumns = `id, crisis_id, text, proposed_by, proposed_at, approver_roles, quorum, status, decided_at`

// CreateProposal stores p, pending unless it says otherwise, and returns it
// with its id and stored time. ENotFound when its crisis does not exist.
func (s *Store) CreateProposal(ctx context.Context, p store.Proposal) (store.Proposal, error) {
	if p.Status == "" {
		p.Status = store.ProposalPending
	}
	if err := validProposal(p); err != nil {
		return store.Proposal{}, err
	}
	var out store.Proposal
	err := s.inTx(ctx, func(q *querier) error {
		if err := crisisExists(ctx, q, p.CrisisID); err != nil {
			return err
		}
		var id int64
		err := q.queryRow(ctx, `INSERT INTO crisis_proposals (crisis_id, text, proposed_by, proposed_at,
				approver_roles, quorum, status, decided_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			RETURNING id`,
			p.CrisisID, p.Text, p.ProposedBy, p.ProposedAt,
			strings.Join(p.ApproverRoles, ","), p.Quorum, p.Status, zeroAsNull(p.DecidedAt)).Scan(&id)
		if err != nil {
			return err
		}
		out, err = loadProposal(ctx, q, id)
		return err
	})
	if err != nil {
		return store.Proposal{}, fmt.Errorf("create proposal in crisis %d: %w", p.CrisisID, err)
	}
	return out, nil
}

func validProposal(p store.Proposal) error {
	switch {
	case p.Text == "":
		return bot.Errorf(bot.EInvalid, "a proposal needs some text")
	case p.Quorum < 0:
		return bot.Errorf(bot.EInvalid, "a proposal's quorum cannot be negative")
	case p.ProposedBy == "" || p.ProposedAt.IsZero():
		return fmt.Errorf("proposal %q has no author or time", p.Text)
	case slices.ContainsFunc(p.ApproverRoles, func(r string) bool { return r == "" || strings.Contains(r, ",") }):
		return fmt.Errorf("proposal %q: approver roles %q must be non-empty and without commas", p.Text, p.ApproverRoles)
	}
	return nil
}

// Proposal returns the proposal with id; ENotFound when there is none.
func (s *Store) Proposal(ctx context.Context, id int64) (store.Proposal, error) {
	var out store.Proposal
	err := s.inTx(ctx, func(q *querier) (err error) {
		out, err = loadProposal(ctx, q, id)
		return err
	})
	if err != nil {
		return store.Proposal{}, fmt.Errorf("load proposal %d: %w", id, err)
	}
	return out, nil
}

// ListProposals lists a crisis's proposals, oldest first.
func (s *Store) ListProposals(ctx context.Context, crisisID int64) ([]store.Proposal, error) {
	var out []store.Proposal
	err := s.inTx(ctx, func(q *querier) error {
		rows, err := q.query(ctx, `SELECT `+proposalColumns+` FROM crisis_proposals
			WHERE crisis_id = ? ORDER BY id`, crisisID)
		if err != nil {
			return err
		}
		out, err = collect(rows, func(r Rows) (store.Proposal, error) { return scanProposal(r) })
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list proposals of crisis %d: %w", crisisID, err)
	}
	return out, nil
}

// AddVote records v; EConflict when the person already voted on the
// proposal, ENotFound when there is no such proposal.
func (s *Store) AddVote(ctx context.Context, v store.Vote) error {
	if v.Person == "" || v.At.IsZero() {
		return fmt.Errorf("vote on proposal %d: a vote needs a person and a time", v.ProposalID)
	}
	err := s.inTx(ctx, func(q *querier) error {
		if err := proposalExists(ctx, q, v.ProposalID); err != nil {
			return err
		}
		_, err := q.exec(ctx, `INSERT INTO proposal_votes (proposal_id, person, role, approve, reason, at)
			VALUES (?, ?, ?, ?, ?, ?)`, v.ProposalID, v.Person, v.Role, v.Approve, v.Reason, v.At)
		if bot.IsCode(err, bot.EConflict) {
			msg := fmt.Sprintf("@%s already answered proposal %s", v.Person, bot.FormatID(v.ProposalID))
			return &bot.Error{Code: bot.EConflict, Message: msg, Err: err}
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("vote on proposal %d: %w", v.ProposalID, err)
	}
	return nil
}

// Votes lists the votes on a proposal in the order they were cast.
func (s *Store) Votes(ctx context.Context, proposalID int64) ([]store.Vote, error) {
	var out []store.Vote
	err := s.inTx(ctx, func(q *querier) error {
		rows, err := q.query(ctx, `SELECT proposal_id, person, role, approve, reason, at
			FROM proposal_votes WHERE proposal_id = ? ORDER BY at, person`, proposalID)
		if err != nil {
			return err
		}
		out, err = collect(rows, scanVote)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list votes on proposal %d: %w", proposalID, err)
	}
	return out, nil
}

// SetProposalStatus moves a pending proposal to approved or rejected,
// decided at at. changed is false when it was no longer pending, so that of
// two approvers meeting the quorum at once only one announces it.
func (s *Store) SetProposalStatus(ctx context.Context, id int64, status string, at time.Time) (changed bool, err error) {
	if status != store.ProposalApproved && status != store.ProposalRejected {
		return false, fmt.Errorf("set status of proposal %d: %q is not a decision", id, status)
	}
	if at.IsZero() {
		return false, fmt.Errorf("set status of proposal %d: no time given", id)
	}
	err = s.inTx(ctx, func(q *querier) error {
		n, err := q.exec(ctx, `UPDATE crisis_proposals SET status = ?, decided_at = ?
			WHERE id = ? AND status = ?`, status, at, id, store.ProposalPending)
		if err != nil {
			return err
		}
		if n == 0 {
			return proposalExists(ctx, q, id)
		}
		changed = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("set status of proposal %d: %w", id, err)
	}
	return changed, nil
}

func loadProposal(ctx context.Context, q *querier, id int64) (store.Proposal, error) {
	p, err := scanProposal(q.queryRow(ctx, `SELECT `+proposalColumns+` FROM crisis_proposals WHERE id = ?`, id))
	if errors.Is(err, ErrNoRows) {
		return p, bot.Errorf(bot.ENotFound, "no proposal %s", bot.FormatID(id))
	}
	return p, err
}

// proposalExists returns ENotFound unless proposal id exists.
func proposalExists(ctx context.Context, q *querier, id int64) error {
	var one int
	err := q.queryRow(ctx, `SELECT 1 FROM crisis_proposals WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, ErrNoRows) {
		return bot.Errorf(bot.ENotFound, "no proposal %s", bot.FormatID(id))
	}
	return err
}

func scanProposal(r Row) (store.Proposal, error) {
	var (
		p       store.Proposal
		roles   string
		decided sql.NullTime
	)
	err := r.Scan(&p.ID, &p.CrisisID, &p.Text, &p.ProposedBy, &p.ProposedAt, &roles, &p.Quorum, &p.Status, &decided)
	if err != nil {
		return store.Proposal{}, err
	}
	if roles != "" {
		p.ApproverRoles = strings.Split(roles, ",")
	}
	p.DecidedAt = nullTimeValue(decided)
	return p, nil
}

func scanVote(r Rows) (v store.Vote, err error) {
	err = r.Scan(&v.ProposalID, &v.Person, &v.Role, &v.Approve, &v.Reason, &v.At)
	return v, err
}
