package content

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/approval"
	"github.com/interlock-coe/interlock/store"
)

// The chain's rules, applied to an item's state inside one transaction
// (store.UpdateContent): which stage a person answers, when a stage passes,
// which stage comes next, when the item is approved.

// ballot is the approval engine's view of one stage at the item's version.
func (h *handlers) ballot(it store.ContentItem, st store.ContentStage, answers []store.ContentAnswer) approval.Ballot {
	b := approval.Ballot{
		Subject: fmt.Sprintf("stage %s of content %s", st.Name, bot.FormatID(it.ID)),
		Roles:   st.Roles, Quorum: st.Quorum, Brand: it.Brand,
		Submitter: it.SubmittedBy, Segregate: h.Config.Approvals.SegregationOfDuties,
	}
	for _, a := range answers {
		if a.Position == st.Position && a.Version == it.Version {
			b.Answers = append(b.Answers, approval.Answer{Person: a.Person, Role: a.Role, Approve: a.Verdict == store.VerdictApprove})
		}
	}
	return b
}

// heldRoles returns, per stage position, which of its roles person holds
// for the item's brand. It is read before the transaction (the embedded
// store has one connection) and covers every stage, as another answer may
// start a stage in the meantime.
func (h *handlers) heldRoles(ctx context.Context, it store.ContentItem, person string) (map[int][]string, error) {
	held := map[int][]string{}
	for _, st := range it.Stages {
		roles, err := approval.HeldRoles(ctx, h.Store, person, st.Roles, it.Brand)
		if err != nil {
			return nil, err
		}
		held[st.Position] = roles
	}
	return held, nil
}

// answering is one answer being applied.
type answering struct {
	person  string
	verdict string
	comment string
	held    map[int][]string
	now     time.Time
	// Filled in by apply:
	stage   store.ContentStage
	role    string
	after   approval.Ballot
	passed  bool
	started []store.ContentStage
	final   bool
}

// open refuses an item that cannot be answered now.
func open(it store.ContentItem) error {
	switch it.Status {
	case store.ContentInReview:
		return nil
	case store.ContentChanges:
		return bot.Errorf(bot.EConflict, "content %s is back with @%s for changes; answer it after /content resubmit %d", bot.FormatID(it.ID), it.SubmittedBy, it.ID)
	}
	return bot.Errorf(bot.EConflict, "content %s is already %s", bot.FormatID(it.ID), it.Status)
}

// pick chooses the pending stage the person answers: the first one whose
// roles they hold and the engine lets them answer.
func (h *handlers) pick(u *store.ContentUpdate, a *answering) (int, error) {
	if err := open(u.Item); err != nil {
		return -1, err
	}
	var refusal error
	var roles []string
	for i, st := range u.Item.Stages {
		if st.Status != store.StagePending {
			continue
		}
		roles = append(roles, st.Roles...)
		held := a.held[st.Position]
		if len(held) == 0 {
			continue
		}
		b := h.ballot(u.Item, st, u.Answers)
		role, err := b.Check(a.person, held)
		if err != nil {
			refusal = err
			continue
		}
		a.stage, a.role, a.after = st, role, b
		return i, nil
	}
	if refusal != nil {
		return -1, refusal
	}
	for _, ans := range u.Answers {
		// A second click after the stage passed: say so rather than "only holders".
		if strings.EqualFold(ans.Person, a.person) && ans.Version == u.Item.Version && u.Item.Stages[ans.Position].Status != store.StagePending {
			return -1, bot.Errorf(bot.EConflict, "you already answered stage %s of content %s", u.Item.Stages[ans.Position].Name, bot.FormatID(u.Item.ID))
		}
	}
	return -1, bot.Errorf(bot.EForbidden, "only holders of %s may answer content %s now (stage %s)",
		strings.Join(roles, " or "), bot.FormatID(u.Item.ID), stageNames(pending(u.Item)))
}

// apply records the answer and moves the chain on.
func (h *handlers) apply(u *store.ContentUpdate, a *answering) error {
	i, err := h.pick(u, a)
	if err != nil {
		return err
	}
	it := &u.Item
	u.NewAnswers = append(u.NewAnswers, store.ContentAnswer{
		ItemID: it.ID, Position: a.stage.Position, Version: it.Version, Person: a.person, Role: a.role,
		Verdict: a.verdict, Comment: a.comment, At: a.now,
	})
	action := map[string]string{store.VerdictApprove: "approved", store.VerdictChanges: "changes", store.VerdictReject: "rejected"}[a.verdict]
	u.Trail = append(u.Trail, h.entry(*it, a.now, a.person, action, a.stage.Name, fmt.Sprintf("as %s: %s", a.role, a.comment)))
	switch a.verdict {
	case store.VerdictChanges:
		it.Status = store.ContentChanges
		return nil
	case store.VerdictReject:
		it.Stages[i].Status, it.Stages[i].DecidedAt = store.StageRejected, a.now
		it.Status, it.DecidedAt = store.ContentRejected, a.now
		return nil
	}
	a.after = a.after.With(approval.Answer{Person: a.person, Role: a.role, Approve: true})
	if !a.after.Met() {
		return nil
	}
	a.passed = true
	it.Stages[i].Status, it.Stages[i].DecidedAt = store.StageApproved, a.now
	u.Trail = append(u.Trail, h.entry(*it, a.now, "", "stage-passed", a.stage.Name,
		fmt.Sprintf("quorum %d of %d met", a.after.Approvals(), a.stage.Quorum)))
	a.started = h.advance(u, a.now)
	if a.final = allApproved(*it); a.final {
		h.finish(u, a)
	}
	return nil
}

// advance starts the next waiting stage once no stage is pending.
func (h *handlers) advance(u *store.ContentUpdate, now time.Time) []store.ContentStage {
	if len(pending(u.Item)) > 0 {
		return nil
	}
	for i, st := range u.Item.Stages {
		if st.Status == store.StageWaiting {
			h.start(u, i, now)
			return []store.ContentStage{u.Item.Stages[i]}
		}
	}
	return nil
}

// start asks stage i's approvers from now: its clock restarts and its
// reminder and escalation are armed for the item's version.
func (h *handlers) start(u *store.ContentUpdate, i int, now time.Time) {
	st := &u.Item.Stages[i]
	st.Status, st.StartedAt, st.RemindedAt, st.EscalatedAt = store.StagePending, now, time.Time{}, time.Time{}
	u.Timers = append(u.Timers,
		stageTimer(timerRemind, u.Item, *st, "remind", now.Add(st.Target/2)),
		stageTimer(timerEscalate, u.Item, *st, "escalate", now.Add(st.Target)))
}

func allApproved(it store.ContentItem) bool {
	for _, st := range it.Stages {
		if st.Status != store.StageApproved {
			return false
		}
	}
	return true
}

// finish approves the item and records the final approval as a decision.
func (h *handlers) finish(u *store.ContentUpdate, a *answering) {
	it := &u.Item
	it.Status, it.DecidedAt = store.ContentApproved, a.now
	text := fmt.Sprintf("content %s approved (%s, version %d): %s", bot.FormatID(it.ID), it.Sensitivity, it.Version, it.Title)
	if it.Link != "" {
		text += " — " + it.Link
	}
	if late := lateBy(*it, a.now); late > 0 {
		text += fmt.Sprintf(" (after its publish time, %s late)", bot.FormatDuration(late))
	}
	u.Trail = append(u.Trail, h.entry(*it, a.now, a.person, "final", "", text))
	u.Decisions = append(u.Decisions, store.Decision{
		Kind: store.KindApproval, Text: text, Actor: a.person, Brand: it.Brand,
		Ref: fmt.Sprintf("content:%d", it.ID), At: a.now,
	})
}

// lateBy is how long after its publish time an item is decided (0 = not late).
func lateBy(it store.ContentItem, now time.Time) time.Duration {
	if it.PublishAt.IsZero() || !now.After(it.PublishAt) {
		return 0
	}
	return now.Sub(it.PublishAt)
}

func (h *handlers) entry(it store.ContentItem, at time.Time, actor, action, stage, text string) store.ContentEntry {
	return store.ContentEntry{ItemID: it.ID, At: at, Actor: actor, Action: action, Stage: stage, Version: it.Version,
		Text: strings.TrimSuffix(strings.TrimSpace(text), ":")}
}

// stageRef is a stage timer's payload.
type stageRef struct {
	Item     int64 `json:"item"`
	Position int   `json:"stage"`
	Version  int   `json:"version"`
}

// stageTimer is a durable timer about one stage at one version: a new
// version arms new timers and the old ones find nothing to do.
func stageTimer(kind string, it store.ContentItem, st store.ContentStage, what string, due time.Time) bot.Timer {
	body, _ := json.Marshal(stageRef{Item: it.ID, Position: st.Position, Version: it.Version})
	return bot.Timer{
		Kind: kind, Key: fmt.Sprintf("content:%d:%d:v%d:%s", it.ID, st.Position, it.Version, what),
		Due: due, Payload: string(body),
	}
}
