package content

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/approval"
	"github.com/interlock-coe/interlock/store"
)

func (h *handlers) submit(ctx context.Context, c *bot.Context) error {
	it, err := h.newItem(submitTokens(c.Text), c.User)
	if err != nil {
		return err
	}
	verb := "submitted"
	if it.FastTrack {
		verb += ", fast-tracked: " + it.FastTrackReason
	}
	entry := h.entry(it, it.SubmittedAt, c.User, "submitted", "", fmt.Sprintf("%s (%s)", it.Link, verb))
	it, err = h.Store.SubmitContent(ctx, it, entry, h.firstTimers)
	if err != nil {
		return fmt.Errorf("submit content: %w", err)
	}
	asked, err := h.ask(ctx, it, pending(it))
	if err != nil {
		return err
	}
	text := fmt.Sprintf("📝 Content %s submitted (%s, %d stage%s): %s\n%s", bot.FormatID(it.ID), it.Sensitivity,
		len(it.Stages), plural(len(it.Stages)), it.Title, asked)
	if it.FastTrack {
		text += "\nFast-tracked: " + it.FastTrackReason
	}
	return c.Reply(bot.Message{Text: text, Footer: fmt.Sprintf("Follow it with /content show %d", it.ID)})
}

// newItem validates a submission and builds the item with its chain. A
// mistake is an EInvalid error and nothing is stored.
func (h *handlers) newItem(tokens []string, by string) (store.ContentItem, error) {
	s, err := parseSubmit(tokens)
	if err != nil {
		return store.ContentItem{}, err
	}
	if err := checkLink(s.Link); err != nil {
		return store.ContentItem{}, err
	}
	brand, err := h.Brand(s.Brand)
	if err != nil {
		return store.ContentItem{}, err
	}
	level := s.Sensitivity
	if level == "" {
		level = h.Config.Content.DefaultSensitivity
	}
	sens, ok := h.Config.ContentLevel(level)
	if !ok {
		return store.ContentItem{}, bot.Errorf(bot.EInvalid, "unknown sensitivity %q; use one of %s", level, strings.Join(h.Config.ContentLevels(), ", "))
	}
	now := h.Clock.Now()
	it := store.ContentItem{
		Title: s.Title, Link: s.Link, Brand: brand, Channel: s.Channel, Sensitivity: sens.Level,
		SubmittedBy: by, SubmittedAt: now, FastTrack: s.FastTrack, FastTrackReason: s.Reason,
		Version: 1, Status: store.ContentInReview,
	}
	if s.PublishAt != "" {
		if it.PublishAt, err = parsePublishAt(s.PublishAt, now, h.Config.Org.Location); err != nil {
			return it, err
		}
	}
	parallel := s.FastTrack && sens.FastTrack.Parallel
	for i, cs := range sens.Chain(s.FastTrack) {
		st := store.ContentStage{Position: i, Name: cs.Name, Roles: cs.Approvers, Quorum: cs.Quorum, Target: cs.Target, Status: store.StageWaiting}
		if i == 0 || parallel {
			st.Status, st.StartedAt = store.StagePending, now
		}
		it.Stages = append(it.Stages, st)
	}
	return it, nil
}

func checkLink(link string) error {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return bot.Errorf(bot.EInvalid, "--link %q is not a link: want http(s)://…", link)
	}
	return nil
}

// firstTimers arms the reminders and escalations of the stages asked at
// submission, and the publish-deadline warning.
func (h *handlers) firstTimers(it store.ContentItem) []bot.Timer {
	var out []bot.Timer
	for _, st := range pending(it) {
		out = append(out,
			stageTimer(timerRemind, it, st, "remind", st.StartedAt.Add(st.Target/2)),
			stageTimer(timerEscalate, it, st, "escalate", st.StartedAt.Add(st.Target)))
	}
	if !it.PublishAt.IsZero() {
		due := it.PublishAt.Add(-h.Config.Content.PublishWarning)
		if due.Before(it.SubmittedAt) {
			due = it.SubmittedAt
		}
		out = append(out, bot.Timer{
			Kind: timerDeadline, Key: fmt.Sprintf("content:%d:deadline", it.ID), Due: due,
			Payload: fmt.Sprintf(`{"item":%d}`, it.ID),
		})
	}
	return out
}

// ask sends the approval request of each stage to its approvers and says
// whom it asked.
func (h *handlers) ask(ctx context.Context, it store.ContentItem, stages []store.ContentStage) (string, error) {
	var lines []string
	for _, st := range stages {
		people, err := h.approvers(ctx, it, st)
		if err != nil {
			return "", err
		}
		h.dm(ctx, people, h.request(it, st))
		line := fmt.Sprintf("Stage %s asks %s (%s, quorum %d, within %s).", st.Name, strings.Join(st.Roles, " or "),
			mentions(people), st.Quorum, bot.FormatDuration(st.Target))
		if len(people) == 0 {
			line = fmt.Sprintf("Stage %s: nobody but the submitter holds %s; assign one with /role assign.", st.Name, strings.Join(st.Roles, " or "))
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n"), nil
}

// approvers are the people asked for a stage: its roles' holders for the
// item's brand, without the submitter when duties are segregated.
func (h *handlers) approvers(ctx context.Context, it store.ContentItem, st store.ContentStage) ([]string, error) {
	people, err := approval.Approvers(ctx, h.Roster(), st.Roles, it.Brand)
	if err != nil {
		return nil, err
	}
	if h.Config.Approvals.SegregationOfDuties {
		people = slices.DeleteFunc(people, func(p string) bool { return strings.EqualFold(p, it.SubmittedBy) })
	}
	return people, nil
}

// request is the direct message asking for a stage's approval; every
// button has its typed command.
func (h *handlers) request(it store.ContentItem, st store.ContentStage) bot.Message {
	text := fmt.Sprintf("@%s asks your approval as %s, within %s:\n%s", it.SubmittedBy, strings.Join(st.Roles, " or "),
		bot.FormatDuration(st.Target), subject(it))
	var fields []bot.Field
	if it.Channel != "" {
		fields = append(fields, bot.Field{Title: "Channel", Value: it.Channel})
	}
	if it.Brand != "" {
		fields = append(fields, bot.Field{Title: "Brand", Value: it.Brand})
	}
	if !it.PublishAt.IsZero() {
		fields = append(fields, bot.Field{Title: "Publish at", Value: h.stamp(it.PublishAt)})
	}
	if it.FastTrack {
		fields = append(fields, bot.Field{Title: "Fast-tracked", Value: it.FastTrackReason})
	}
	return bot.Message{
		Title:  fmt.Sprintf("Approval needed — %s (stage %s, version %d)", label(it), st.Name, it.Version),
		Text:   text,
		Fields: fields,
		Buttons: []bot.Button{
			{Label: "Approve", Command: fmt.Sprintf("/content approve %d", it.ID), Style: bot.StylePrimary},
			{Label: "Request changes", Command: fmt.Sprintf("/content changes %d", it.ID), Input: changesInput()},
			{Label: "Reject", Command: fmt.Sprintf("/content reject %d", it.ID), Style: bot.StyleDanger, Input: rejectInput()},
		},
		Footer: fmt.Sprintf("Or type /content approve %d [comment…] · /content changes %d <what…> · /content reject %d <reason…>", it.ID, it.ID, it.ID),
	}
}

// subject is what approvers judge: the link, or the text itself quoted.
func subject(it store.ContentItem) string {
	if it.Body == "" {
		return it.Link
	}
	return "> " + strings.ReplaceAll(it.Body, "\n", "\n> ")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// untilDue is how long a stage has left (negative when late).
func untilDue(st store.ContentStage, now time.Time) time.Duration {
	return st.StartedAt.Add(st.Target).Sub(now)
}
