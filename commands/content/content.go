// Package content implements /content: content approvals by sensitivity.
// An item goes through the chain of stages its sensitivity configures
// (content.sensitivity); each stage's approvers answer with the shared
// approval engine (commands/approval). Every step is written to the item's
// append-only trail, the final approval also to the decision log, and the
// stages' reminders, escalations and the publish deadline are durable
// timers.
package content

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/store"
)

// Timer kinds.
const (
	timerRemind   = "content.remind"
	timerEscalate = "content.escalate"
	timerDeadline = "content.deadline"
)

// socialLead is the role told about every escalation.
const socialLead = "social-lead"

type handlers struct{ commands.Deps }

// Register adds the /content commands and their timers.
func Register(r *bot.Router, d commands.Deps) {
	h := &handlers{d}
	r.Describe("content", "Content approvals: submit · approve · changes · resubmit · reject · withdraw · list · show")
	r.Register(
		bot.Command{
			Group: "content", Name: "submit",
			Args:    "<title…> --link URL [--brand B] [--channel C] [--sensitivity S] [--publish-at TIME] [--fast-track <reason…>]",
			Summary: "Submit content for approval; its sensitivity decides the chain of approvers",
			Examples: []string{
				"/content submit Spring launch post --link https://drive.example.com/d/42 --sensitivity high --publish-at 2026-11-25T10:00",
				`/content submit Recall notice --link https://cms.example.com/7 --sensitivity regulated --fast-track "safety issue, must go out today"`,
			},
			Options:  []string{"link", "brand", "channel", "sensitivity", "publish-at", "fast-track"},
			MinWords: 1, Handler: h.submit,
		},
		bot.Command{
			Group: "content", Name: "approve", Args: "<id> [comment…]",
			Summary: "Approve the stage of an item you are asked for", MinWords: 1, Handler: h.approve,
		},
		bot.Command{
			Group: "content", Name: "changes", Args: "<id> <what…>",
			Summary: "Send an item back to its submitter with the changes needed", MinWords: 2, Handler: h.changes,
		},
		bot.Command{
			Group: "content", Name: "resubmit", Args: "<id> [--link URL]",
			Summary: "Resubmit a changed item: a new version restarts the current stage",
			Options: []string{"link"}, MinWords: 1, Handler: h.resubmit,
		},
		bot.Command{
			Group: "content", Name: "reject", Args: "<id> <reason…>",
			Summary: "Reject an item, saying why", MinWords: 2, Handler: h.reject,
		},
		bot.Command{
			Group: "content", Name: "withdraw", Args: "<id>",
			Summary: "Withdraw an item you submitted", MinWords: 1, Handler: h.withdraw,
		},
		bot.Command{
			Group: "content", Name: "list", Args: "[--mine|--waiting-on-me|--late] [--stage S]",
			Summary:  "List items in review",
			Examples: []string{"/content list --waiting-on-me", "/content list --stage legal"},
			Options:  []string{"stage"}, Switches: []string{"mine", "waiting-on-me", "late"}, Handler: h.list,
		},
		bot.Command{
			Group: "content", Name: "show", Args: "<id>",
			Summary: "Show an item with its whole trail", MinWords: 1, Handler: h.show,
		},
	)
	d.Scheduler.Handle(timerRemind, h.remind)
	d.Scheduler.Handle(timerEscalate, h.escalate)
	d.Scheduler.Handle(timerDeadline, h.deadline)
}

// item loads the item whose id is the first word.
func (h *handlers) item(ctx context.Context, c *bot.Context) (store.ContentItem, error) {
	id, err := bot.ParseID(c.Args.Word(0))
	if err != nil {
		return store.ContentItem{}, err
	}
	it, err := h.Store.ContentItem(ctx, id)
	if bot.IsCode(err, bot.ENotFound) {
		return it, bot.Errorf(bot.ENotFound, "no content item %s", bot.FormatID(id))
	}
	if err != nil {
		return it, fmt.Errorf("load content %d: %w", id, err)
	}
	return it, nil
}

// stamp formats a time with its date, in the org's time zone.
func (h *handlers) stamp(t time.Time) string {
	return t.In(h.Config.Org.Location).Format("Mon 02 Jan 15:04")
}

// dm sends m to each person; a failure is logged, as the item is stored
// and list --waiting-on-me shows it anyway.
func (h *handlers) dm(ctx context.Context, people []string, m bot.Message) {
	for _, p := range people {
		if _, err := h.Chat.DirectMessage(ctx, p, m); err != nil {
			h.Log.Warn("cannot send content message", "person", p, "err", err)
		}
	}
}

// pending returns the stages whose approvers are asked now.
func pending(it store.ContentItem) []store.ContentStage {
	var out []store.ContentStage
	for _, st := range it.Stages {
		if st.Status == store.StagePending {
			out = append(out, st)
		}
	}
	return out
}

func stageNames(sts []store.ContentStage) string {
	names := make([]string, len(sts))
	for i, st := range sts {
		names[i] = st.Name
	}
	return strings.Join(names, " + ")
}

func mentions(people []string) string {
	if len(people) == 0 {
		return "nobody"
	}
	return "@" + strings.Join(people, ", @")
}

// label names an item in messages: "content #3 (high): Spring launch".
func label(it store.ContentItem) string {
	return fmt.Sprintf("content %s (%s): %s", bot.FormatID(it.ID), it.Sensitivity, it.Title)
}
