package content

import (
	"context"
	"fmt"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

func (h *handlers) approve(ctx context.Context, c *bot.Context) error {
	return h.answer(ctx, c, store.VerdictApprove)
}

func (h *handlers) changes(ctx context.Context, c *bot.Context) error {
	return h.answer(ctx, c, store.VerdictChanges)
}

func (h *handlers) reject(ctx context.Context, c *bot.Context) error {
	return h.answer(ctx, c, store.VerdictReject)
}

// answer applies one approver's verdict in one transaction, then tells
// whoever the outcome concerns.
func (h *handlers) answer(ctx context.Context, c *bot.Context, verdict string) error {
	it, err := h.item(ctx, c)
	if err != nil {
		return err
	}
	held, err := h.heldRoles(ctx, it, c.User)
	if err != nil {
		return err
	}
	a := &answering{person: c.User, verdict: verdict, comment: strings.TrimSpace(c.Args.Text(1)), held: held, now: h.Clock.Now()}
	u, err := h.Store.UpdateContent(ctx, it.ID, func(u *store.ContentUpdate) error { return h.apply(u, a) })
	if err != nil {
		return err // coded refusals are shown as they are
	}
	it = u.Item
	h.showAnswer(c, it, a)
	switch verdict {
	case store.VerdictChanges:
		next := fmt.Sprintf("Change it, then /content resubmit %d [--link URL]", it.ID)
		if it.Body != "" {
			next = "Send a changed text as a new version (a reply template: /template edit <name> <text…>)"
		}
		h.dm(ctx, []string{it.SubmittedBy}, bot.Message{Text: fmt.Sprintf(
			"✏️ @%s asks for changes to %s at stage %s:\n> %s\n%s", c.User, label(it), a.stage.Name, a.comment, next)})
		return c.Replyf("✏️ @%s sent content %s back to @%s for changes (stage %s): %s", c.User, bot.FormatID(it.ID), it.SubmittedBy, a.stage.Name, a.comment)
	case store.VerdictReject:
		h.dm(ctx, []string{it.SubmittedBy}, bot.Message{Text: fmt.Sprintf("❌ @%s rejected %s at stage %s:\n> %s", c.User, label(it), a.stage.Name, a.comment)})
		return c.Replyf("❌ @%s rejected content %s at stage %s (%s): %s", c.User, bot.FormatID(it.ID), a.stage.Name, a.role, a.comment)
	}
	return h.approved(ctx, c, it, a)
}

// approved tells the outcome of an approval: counted, stage passed with
// the next stage asked, or the whole item approved.
func (h *handlers) approved(ctx context.Context, c *bot.Context, it store.ContentItem, a *answering) error {
	if !a.passed {
		return c.Replyf("👍 @%s approved stage %s of content %s as %s (%d of %d).",
			c.User, a.stage.Name, bot.FormatID(it.ID), a.role, a.after.Approvals(), a.stage.Quorum)
	}
	if !a.final {
		text := fmt.Sprintf("✅ Stage %s of content %s passed (@%s as %s).", a.stage.Name, bot.FormatID(it.ID), c.User, a.role)
		if len(a.started) > 0 {
			asked, err := h.ask(ctx, it, a.started)
			if err != nil {
				return err
			}
			text += "\n" + asked
		} else if rest := pending(it); len(rest) > 0 {
			text += " Still waiting on stage " + stageNames(rest) + "."
		}
		return c.Reply(bot.Message{Text: text})
	}
	text := fmt.Sprintf("✅ Content %s is approved — every stage passed (%s, version %d): %s",
		bot.FormatID(it.ID), it.Sensitivity, it.Version, it.Title)
	if it.Link != "" {
		text += "\nPublish it: " + it.Link
	}
	if late := lateBy(it, a.now); late > 0 {
		text += fmt.Sprintf("\n⚠ Approved after its publish time (%s), %s late.", h.stamp(it.PublishAt), bot.FormatDuration(late))
	}
	if !strings.EqualFold(c.User, it.SubmittedBy) {
		h.dm(ctx, []string{it.SubmittedBy}, bot.Message{Text: text})
	}
	return c.Reply(bot.Message{Text: text})
}

func (h *handlers) resubmit(ctx context.Context, c *bot.Context) error {
	it, err := h.item(ctx, c)
	if err != nil {
		return err
	}
	link := c.Args.Flag("link")
	if link != "" && it.Body != "" {
		return bot.Errorf(bot.EInvalid, "content %s is a text, not a link: send the changed text as a new version", bot.FormatID(it.ID))
	}
	if link != "" {
		if err := checkLink(link); err != nil {
			return err
		}
	}
	now := h.Clock.Now()
	u, err := h.Store.UpdateContent(ctx, it.ID, func(u *store.ContentUpdate) error {
		it := &u.Item
		if err := h.mayManage(*it, c.User, "resubmit"); err != nil {
			return err
		}
		if it.Status != store.ContentInReview && it.Status != store.ContentChanges {
			return bot.Errorf(bot.EConflict, "content %s is already %s", bot.FormatID(it.ID), it.Status)
		}
		it.Version++
		it.Status = store.ContentInReview
		if link != "" {
			it.Link = link
		}
		for i, st := range it.Stages {
			if st.Status == store.StagePending {
				h.start(u, i, now)
			}
		}
		u.Trail = append(u.Trail, h.entry(*it, now, c.User, "resubmitted", stageNames(pending(*it)), it.Link))
		return nil
	})
	if err != nil {
		return err
	}
	asked, err := h.ask(ctx, u.Item, pending(u.Item))
	if err != nil {
		return err
	}
	return c.Replyf("📝 Content %s resubmitted as version %d: %s\n%s", bot.FormatID(it.ID), u.Item.Version, u.Item.Link, asked)
}

func (h *handlers) withdraw(ctx context.Context, c *bot.Context) error {
	it, err := h.item(ctx, c)
	if err != nil {
		return err
	}
	now := h.Clock.Now()
	u, err := h.Store.UpdateContent(ctx, it.ID, func(u *store.ContentUpdate) error {
		it := &u.Item
		if err := h.mayManage(*it, c.User, "withdraw"); err != nil {
			return err
		}
		if it.Status != store.ContentInReview && it.Status != store.ContentChanges {
			return bot.Errorf(bot.EConflict, "content %s is already %s", bot.FormatID(it.ID), it.Status)
		}
		it.Status, it.DecidedAt = store.ContentWithdrawn, now
		u.Trail = append(u.Trail, h.entry(*it, now, c.User, "withdrawn", "", ""))
		return nil
	})
	if err != nil {
		return err
	}
	return c.Replyf("↩ Content %s withdrawn by @%s: %s", bot.FormatID(it.ID), c.User, u.Item.Title)
}

// mayManage lets the submitter (and the CoE lead) resubmit or withdraw.
func (h *handlers) mayManage(it store.ContentItem, person, what string) error {
	if strings.EqualFold(it.SubmittedBy, person) || h.Config.IsCoELead(person) {
		return nil
	}
	return bot.Errorf(bot.EForbidden, "only @%s, who submitted content %s, may %s it", it.SubmittedBy, bot.FormatID(it.ID), what)
}
