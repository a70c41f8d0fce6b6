package crisis

import (
	"context"
	"errors"
	"fmt"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/approval"
	"github.com/interlock-coe/interlock/store"
)

func (h *handlers) propose(ctx context.Context, c *bot.Context) error {
	cr, err := h.roomCrisis(ctx, c)
	if err != nil {
		return err
	}
	sev, _ := h.Config.Severity(cr.Severity)
	p, err := h.crises.CreateProposal(ctx, store.Proposal{
		CrisisID: cr.ID, Text: c.Args.Text(0), ProposedBy: c.User, ProposedAt: h.Clock.Now(),
		ApproverRoles: sev.Approvers, Quorum: sev.Quorum, Status: store.ProposalPending,
	})
	if err != nil {
		return fmt.Errorf("create proposal: %w", err)
	}
	if err := h.timeline(ctx, cr, c.User, "proposal", fmt.Sprintf("proposed response %s: %s", bot.FormatID(p.ID), p.Text)); err != nil {
		return err
	}
	approvers, err := h.approverPeople(ctx, p.ApproverRoles, cr.Brand)
	if err != nil {
		return err
	}
	ask := h.approvalRequest(cr, p)
	for _, person := range approvers {
		if _, err := h.Chat.DirectMessage(ctx, person, ask); err != nil {
			h.Log.Warn("cannot send approval request", "crisis", cr.ID, "proposal", p.ID, "person", person, "err", err)
		}
	}
	who, _ := h.approversText(ctx, p.ApproverRoles, cr.Brand)
	m := ask
	m.Title = ""
	m.Text = fmt.Sprintf("🗳 Proposal %s by @%s awaits %s — quorum %d:\n> %s", bot.FormatID(p.ID), c.User, who, p.Quorum, p.Text)
	if len(approvers) == 0 {
		m.Text += "\nNobody holds an approver role yet: assign one with /role assign."
	}
	return c.Reply(m)
}

func (h *handlers) approvalRequest(cr store.Crisis, p store.Proposal) bot.Message {
	return bot.Message{
		Title: fmt.Sprintf("Approval needed — crisis %s (%s): %s", bot.FormatID(cr.ID), cr.Severity, cr.Title),
		Text:  fmt.Sprintf("@%s proposes this response (%s):\n> %s", p.ProposedBy, bot.FormatID(p.ID), p.Text),
		Buttons: []bot.Button{
			{Label: "Approve", Command: fmt.Sprintf("/crisis approve %d", p.ID), Style: bot.StylePrimary},
			{Label: "Reject", Command: fmt.Sprintf("/crisis reject %d", p.ID), Style: bot.StyleDanger, Input: rejectReason()},
		},
		Footer: fmt.Sprintf("Or type /crisis approve %d · /crisis reject %d <reason…>", p.ID, p.ID),
	}
}

// approverPeople lists everyone who acts for one of roles on brand.
func (h *handlers) approverPeople(ctx context.Context, roles []string, brand string) ([]string, error) {
	return approval.Approvers(ctx, h.Roster(), roles, brand)
}

// ballot loads what a vote needs and checks, with the approval engine, that
// the voter may vote.
type ballot struct {
	crisis   store.Crisis
	proposal store.Proposal
	rules    approval.Ballot
	role     string // the approver role this vote counts for
}

func (h *handlers) ballot(ctx context.Context, c *bot.Context) (ballot, error) {
	var b ballot
	id, err := bot.ParseID(c.Args.Word(0))
	if err != nil {
		return b, err
	}
	if b.proposal, err = h.crises.Proposal(ctx, id); err != nil {
		if bot.IsCode(err, bot.ENotFound) {
			return b, bot.Errorf(bot.ENotFound, "no proposal %s", bot.FormatID(id))
		}
		return b, fmt.Errorf("load proposal %d: %w", id, err)
	}
	if b.crisis, err = h.crises.Crisis(ctx, b.proposal.CrisisID); err != nil {
		return b, fmt.Errorf("load crisis %d: %w", b.proposal.CrisisID, err)
	}
	if b.proposal.Status != store.ProposalPending {
		return b, bot.Errorf(bot.EConflict, "proposal %s is already %s", bot.FormatID(id), b.proposal.Status)
	}
	votes, err := h.crises.Votes(ctx, id)
	if err != nil {
		return b, fmt.Errorf("load votes on %d: %w", id, err)
	}
	b.rules = approval.Ballot{
		Subject: "proposal " + bot.FormatID(id), Roles: b.proposal.ApproverRoles, Quorum: b.proposal.Quorum,
		Brand: b.crisis.Brand, Submitter: b.proposal.ProposedBy, Segregate: h.Config.Approvals.SegregationOfDuties,
	}
	for _, v := range votes {
		b.rules.Answers = append(b.rules.Answers, approval.Answer{Person: v.Person, Role: v.Role, Approve: v.Approve})
	}
	held, err := approval.HeldRoles(ctx, h.crises, c.User, b.proposal.ApproverRoles, b.crisis.Brand)
	if err != nil {
		return b, err
	}
	b.role, err = b.rules.Check(c.User, held)
	return b, err
}

func (h *handlers) approve(ctx context.Context, c *bot.Context) error {
	b, err := h.ballot(ctx, c)
	if err != nil {
		return err
	}
	now := h.Clock.Now()
	if err := h.vote(ctx, b, store.Vote{ProposalID: b.proposal.ID, Person: c.User, Role: b.role, Approve: true, At: now}); err != nil {
		return err
	}
	h.showAnswer(c, b, fmt.Sprintf("✅ Approved by @%s as %s", c.User, b.role))
	after := b.rules.With(approval.Answer{Person: c.User, Role: b.role, Approve: true})
	if !after.Met() {
		return h.announce(ctx, c, b.crisis, bot.Message{Text: fmt.Sprintf("👍 @%s approved proposal %s as %s (%d of %d).",
			c.User, bot.FormatID(b.proposal.ID), b.role, after.Approvals(), b.proposal.Quorum)})
	}
	changed, err := h.crises.SetProposalStatus(ctx, b.proposal.ID, store.ProposalApproved, now)
	if err != nil || !changed {
		return err
	}
	text := fmt.Sprintf("response %s approved (quorum %d met): %s", bot.FormatID(b.proposal.ID), b.proposal.Quorum, b.proposal.Text)
	if err := h.timeline(ctx, b.crisis, c.User, "approved", text); err != nil {
		return err
	}
	return h.announce(ctx, c, b.crisis, bot.Message{Text: "✅ Proposal " + bot.FormatID(b.proposal.ID) +
		" is approved — quorum met. Publish it:\n> " + b.proposal.Text})
}

func (h *handlers) reject(ctx context.Context, c *bot.Context) error {
	b, err := h.ballot(ctx, c)
	if err != nil {
		return err
	}
	reason := c.Args.Text(1)
	now := h.Clock.Now()
	if err := h.vote(ctx, b, store.Vote{ProposalID: b.proposal.ID, Person: c.User, Role: b.role, Reason: reason, At: now}); err != nil {
		return err
	}
	h.showAnswer(c, b, fmt.Sprintf("❌ Rejected by @%s as %s: %s", c.User, b.role, reason))
	if _, err := h.crises.SetProposalStatus(ctx, b.proposal.ID, store.ProposalRejected, now); err != nil {
		return fmt.Errorf("reject proposal %d: %w", b.proposal.ID, err)
	}
	text := fmt.Sprintf("response %s rejected by @%s (%s): %s", bot.FormatID(b.proposal.ID), c.User, b.role, reason)
	if err := h.timeline(ctx, b.crisis, c.User, "rejected", text); err != nil {
		return err
	}
	return h.announce(ctx, c, b.crisis, bot.Message{Text: "❌ Proposal " + bot.FormatID(b.proposal.ID) +
		fmt.Sprintf(" was rejected by @%s (%s): %s\nRevise it and /crisis propose again.", c.User, b.role, reason)})
}

// vote records a vote and its entry in the decision log.
func (h *handlers) vote(ctx context.Context, b ballot, v store.Vote) error {
	if err := h.crises.AddVote(ctx, v); err != nil {
		if bot.IsCode(err, bot.EConflict) {
			return bot.Errorf(bot.EConflict, "you already answered proposal %s", bot.FormatID(v.ProposalID))
		}
		return fmt.Errorf("record vote: %w", err)
	}
	verb := "approved"
	if !v.Approve {
		verb = "rejected"
	}
	text := fmt.Sprintf("@%s %s response %s as %s", v.Person, verb, bot.FormatID(v.ProposalID), v.Role)
	if v.Reason != "" {
		text += ": " + v.Reason
	}
	_, err := h.crises.AppendDecision(ctx, store.Decision{
		Kind: store.KindApproval, Text: text, Actor: v.Person, Brand: b.crisis.Brand, CrisisID: b.crisis.ID,
		Ref: fmt.Sprintf("proposal:%d", v.ProposalID), At: v.At,
	})
	if err != nil {
		return fmt.Errorf("log vote: %w", err)
	}
	return nil
}

// announce answers in the crisis room; typed elsewhere (a direct message),
// the room hears it too and the sender gets a private copy.
func (h *handlers) announce(ctx context.Context, c *bot.Context, cr store.Crisis, m bot.Message) error {
	if c.Channel == cr.RoomID || cr.RoomID == "" {
		return c.Reply(m)
	}
	if _, err := h.Chat.Post(ctx, cr.RoomID, m); err != nil {
		return fmt.Errorf("post to crisis room: %w", err)
	}
	return c.Private(m)
}

func isUnknownPeople(err error) bool {
	var u *bot.UnknownPeopleError
	return errors.As(err, &u)
}
