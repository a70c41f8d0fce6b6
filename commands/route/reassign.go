package route

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

func (s *Service) reassign(ctx context.Context, c *bot.Context) error {
	word := c.Args.Word(1)
	if word == "" {
		return bot.Errorf(bot.EInvalid, "to which department? /route reassign %s <department> — departments: %s",
			strings.TrimPrefix(c.Args.Word(0), "#"), strings.Join(s.Config.DepartmentIDs(), ", "))
	}
	if len(c.Args.Words) > 2 {
		return bot.Errorf(bot.EInvalid, "unexpected %q", c.Args.Text(2))
	}
	dept, err := s.department(word)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	var old store.RoutedIssue
	is, err := s.update(ctx, c, false, func(is *store.RoutedIssue) error {
		old = *is
		switch {
		case is.Status == store.IssueResolved:
			return errResolved(is)
		case is.Department == dept.ID:
			return bot.Errorf(bot.EInvalid, "%s is with %s already", bot.FormatID(is.ID), dept.Name)
		}
		is.Department, is.ChosenBy = dept.ID, c.User
		is.PostChannel, is.PostID, is.PostedAt = "", "", time.Time{}
		if is.AnsweredAt.IsZero() {
			// The new department has not responded: its own clock starts.
			is.Status, is.ClaimedBy, is.ClaimedAt = store.IssueOpen, "", time.Time{}
			is.RemindedAt, is.EscalatedAt = time.Time{}, time.Time{}
			is.DueAt = now.Add(s.sla(dept))
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.afterReassign(ctx, c, old, is)
}

// afterReassign moves the clock and the post to the new department.
func (s *Service) afterReassign(ctx context.Context, c *bot.Context, old, is store.RoutedIssue) error {
	s.stopClock(ctx, is.ID)
	s.retire(ctx, old, fmt.Sprintf("↪ Reassigned to %s by @%s.", s.deptName(is.Department), c.User))
	liaisons, postErr, err := s.dispatch(ctx, &is)
	if err != nil {
		return err
	}
	dept, _ := s.Config.Department(is.Department)
	text := fmt.Sprintf("↪ @%s reassigned %s from %s to %s (%s); %s on duty.", c.User, bot.FormatID(is.ID),
		s.deptName(old.Department), dept.Name, dept.Channel, onDuty(liaisons, dept))
	if is.AnsweredAt.IsZero() {
		text += fmt.Sprintf(" First response due by %s.", s.stamp(is.DueAt))
	}
	if postErr != nil {
		text += fmt.Sprintf(" ⚠ Could not post in %s yet; retrying.", dept.Channel)
	}
	return c.Reply(bot.Message{Text: text})
}
