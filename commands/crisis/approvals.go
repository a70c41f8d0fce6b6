package crisis

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/interlock-coe/interlock/bot"
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
	var out []string
	for _, role := range roles {
		people, _, err := h.Roster().Holders(ctx, role, brand)
		if err != nil {
			return nil, err
		}
		for _, p := range people {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out, nil
}

// ballot loads what a vote needs and checks that the voter may vote.
type ballot struct {
	crisis   store.Crisis
	proposal store.Proposal
	votes    []store.Vote
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
	if b.votes, err = h.crises.Votes(ctx, id); err != nil {
		return b, fmt.Errorf("load votes on %d: %w", id, err)
	}
	for _, v := range b.votes {
		if strings.EqualFold(v.Person, c.User) {
			return b, bot.Errorf(bot.EConflict, "you already answered proposal %s", bot.FormatID(id))
		}
	}
	held, err := h.approverRolesOf(ctx, c.User, b.proposal.ApproverRoles, b.crisis.Brand)
	if err != nil {
		return b, err
	}
	if len(held) == 0 {
		return b, bot.Errorf(bot.EForbidden, "only holders of %s may answer proposal %s", strings.Join(b.proposal.ApproverRoles, " or "), bot.FormatID(id))
	}
	b.role = held[0]
	covered := coveredRoles(b.votes)
	for _, r := range held {
		if !covered[r] {
			b.role = r
			break
		}
	}
	return b, nil
}

// approverRolesOf returns which of roles person holds for brand (or for all
// brands), as holder or backup.
func (h *handlers) approverRolesOf(ctx context.Context, person string, roles []string, brand string) ([]string, error) {
	var held []string
	for _, role := range roles {
		as, err := h.crises.RoleAssignments(ctx, role)
		if err != nil {
			return nil, fmt.Errorf("holders of %s: %w", role, err)
		}
		for _, a := range as {
			if strings.EqualFold(a.Person, person) && (a.Brand == "" || brand == "" || a.Brand == brand) {
				held = append(held, role)
				break
			}
		}
	}
	return held, nil
}

func coveredRoles(votes []store.Vote) map[string]bool {
	covered := map[string]bool{}
	for _, v := range votes {
		if v.Approve {
			covered[v.Role] = true
		}
	}
	return covered
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
	covered := coveredRoles(append(b.votes, store.Vote{Role: b.role, Approve: true}))
	if len(covered) < b.proposal.Quorum {
		return h.announce(ctx, c, b.crisis, bot.Message{Text: fmt.Sprintf("👍 @%s approved proposal %s as %s (%d of %d).",
			c.User, bot.FormatID(b.proposal.ID), b.role, len(covered), b.proposal.Quorum)})
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
