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
	is, err := s.workable(ctx, c, false)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	due := now.Add(s.sla(dept))
	armed := s.reassignTimers(is, dept.ID, due)
	var old store.RoutedIssue
	// The new post's retry and, for an unanswered issue, the new clock are
	// armed with the reassignment itself: a crash right after it commits
	// must not leave the issue unposted in its new department, without a
	// clock.
	is, err = s.Store.UpdateRoutedIssue(ctx, is.ID, func(is *store.RoutedIssue) error {
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
			is.DueAt = due
		}
		return nil
	}, armed...)
	if err != nil {
		return err
	}
	return s.afterReassign(ctx, c, old, is, armed)
}

// reassignTimers are the timers armed with the reassignment of is to dept:
// the retry of the new post and, unless is was answered, the new clock due
// at due. An issue answered meanwhile stays answered, and its clock timers
// then find nothing to do.
func (s *Service) reassignTimers(is store.RoutedIssue, dept string, due time.Time) []bot.Timer {
	timers := []bot.Timer{timer(timerPost, is.ID, "post", s.Clock.Now().Add(postRetry))}
	if !is.AnsweredAt.IsZero() {
		return timers
	}
	is.Department, is.DueAt = dept, due
	return append(timers, s.clockTimers(is)...)
}

// afterReassign retires the old post, stops what is left of the old clock
// (armed holds the timers the reassignment armed) and posts the issue in
// its new department.
func (s *Service) afterReassign(ctx context.Context, c *bot.Context, old, is store.RoutedIssue, armed []bot.Timer) error {
	s.disarmClock(ctx, is.ID, armed)
	s.retire(ctx, old, fmt.Sprintf("↪ Reassigned to %s by @%s.", s.deptName(is.Department), c.User))
	liaisons, postErr := s.post(ctx, &is)
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
