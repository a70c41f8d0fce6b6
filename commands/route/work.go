package route

import (
	"context"
	"fmt"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// routeCommand is /route <department|auto> <summary…>.
func (s *Service) routeCommand(ctx context.Context, c *bot.Context) error {
	brand, err := s.Brand(c.Args.Flag("brand"))
	if err != nil {
		return err
	}
	department := strings.ToLower(c.Args.Word(0))
	if department != Auto {
		if _, err := s.department(department); err != nil {
			return bot.Errorf(bot.EInvalid, "%s, or auto to let the rules decide", bot.ErrorMessage(err))
		}
	}
	if err := checkLink(c.Args.Flag("link")); err != nil {
		return bot.Errorf(bot.EInvalid, "--link: %v", err)
	}
	r, err := s.route(ctx, Message{
		Text: c.Args.Text(1), URL: c.Args.Flag("link"), Brand: brand,
		Department: department, RoutedBy: c.User,
	})
	if err != nil {
		return err
	}
	return c.Reply(s.routedReply(r, department == Auto))
}

// issue parses an id word and loads the issue.
func (s *Service) issue(ctx context.Context, word string) (store.RoutedIssue, error) {
	id, err := bot.ParseID(word)
	if err != nil {
		return store.RoutedIssue{}, err
	}
	is, err := s.Store.RoutedIssue(ctx, id)
	if bot.IsCode(err, bot.ENotFound) {
		return is, bot.Errorf(bot.ENotFound, "no routed issue %s; see /route list", bot.FormatID(id))
	}
	if err != nil {
		return is, fmt.Errorf("load routed issue %d: %w", id, err)
	}
	return is, nil
}

// mayWork checks that person may claim, answer, reassign or resolve is: a
// holder or backup of the department's liaison role, the social lead, the
// CoE lead, or (for resolving) whoever routed it.
func (s *Service) mayWork(ctx context.Context, person string, is store.RoutedIssue, routerToo bool) error {
	if s.Config.IsCoELead(person) || (routerToo && strings.EqualFold(is.RoutedBy, person)) {
		return nil
	}
	dept, _ := s.Config.Department(is.Department)
	held, err := s.Roster().HeldRoles(ctx, person, []string{dept.LiaisonRole, socialLead})
	if err != nil {
		return err
	}
	if len(held) > 0 {
		return nil
	}
	who := fmt.Sprintf("holders of %s (the %s liaisons), %s or the CoE lead", dept.LiaisonRole, dept.Name, socialLead)
	if routerToo && is.RoutedBy != "" {
		who += ", or @" + is.RoutedBy + " who routed it"
	}
	return bot.Errorf(bot.EForbidden, "only %s may do that to %s", who, bot.FormatID(is.ID))
}

// workable loads the issue named by the first word and checks that the
// sender may work on it.
func (s *Service) workable(ctx context.Context, c *bot.Context, routerToo bool) (store.RoutedIssue, error) {
	is, err := s.issue(ctx, c.Args.Word(0))
	if err != nil {
		return is, err
	}
	return is, s.mayWork(ctx, c.User, is, routerToo)
}

// update checks the sender may work the issue named by the first word,
// then applies change in one transaction.
func (s *Service) update(ctx context.Context, c *bot.Context, routerToo bool, change func(*store.RoutedIssue) error) (store.RoutedIssue, error) {
	is, err := s.workable(ctx, c, routerToo)
	if err != nil {
		return is, err
	}
	return s.Store.UpdateRoutedIssue(ctx, is.ID, change)
}

// errResolved is the answer to working a closed issue.
func errResolved(is *store.RoutedIssue) error {
	return bot.Errorf(bot.EConflict, "%s was resolved by @%s", bot.FormatID(is.ID), is.ResolvedBy)
}

func (s *Service) claim(ctx context.Context, c *bot.Context) error {
	if len(c.Args.Words) > 1 {
		return bot.Errorf(bot.EInvalid, "unexpected %q", c.Args.Text(1))
	}
	now := s.Clock.Now()
	is, err := s.update(ctx, c, false, func(is *store.RoutedIssue) error {
		switch {
		case is.Status == store.IssueResolved:
			return errResolved(is)
		case strings.EqualFold(is.ClaimedBy, c.User):
			return bot.Errorf(bot.EConflict, "you claimed %s already", bot.FormatID(is.ID))
		case is.ClaimedBy != "":
			return bot.Errorf(bot.EConflict, "%s is already claimed by @%s", bot.FormatID(is.ID), is.ClaimedBy)
		}
		is.Status, is.ClaimedBy, is.ClaimedAt = store.IssueClaimed, c.User, now
		return nil
	})
	if err != nil {
		return err
	}
	s.stopClock(ctx, is.ID)
	s.refresh(ctx, is)
	return c.Replyf("🙋 @%s claimed %s (%s), %s after it was routed; its clock is stopped. Reply with /route answer %d <reply…>",
		c.User, bot.FormatID(is.ID), s.deptName(is.Department), bot.FormatDuration(now.Sub(is.RoutedAt)), is.ID)
}

func (s *Service) answer(ctx context.Context, c *bot.Context) error {
	if !c.Args.Has("template") && strings.TrimSpace(c.Args.Text(1)) == "" {
		return bot.Errorf(bot.EInvalid, "type the reply after the id: /route answer %s <reply…>", strings.TrimPrefix(c.Args.Word(0), "#"))
	}
	is, err := s.workable(ctx, c, false)
	if err != nil {
		return err
	}
	reply, filled, err := s.reply(ctx, c, is)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	var timers []bot.Timer
	if s.sender != nil {
		// Armed with the answer, so that no crash can lose the delivery.
		timers = append(timers, timer(timerDeliver, is.ID, "deliver", now.Add(deliverFallback)))
	}
	is, err = s.Store.UpdateRoutedIssue(ctx, is.ID, func(is *store.RoutedIssue) error {
		switch {
		case is.Status == store.IssueResolved:
			return errResolved(is)
		case !is.AnsweredAt.IsZero():
			return bot.Errorf(bot.EConflict, "%s was answered by @%s already", bot.FormatID(is.ID), is.AnsweredBy)
		}
		if is.ClaimedBy == "" {
			is.ClaimedBy, is.ClaimedAt = c.User, now
		}
		is.Status, is.Reply, is.AnsweredBy, is.AnsweredAt = store.IssueAnswered, reply, c.User, now
		is.Template, is.TemplateVersion = filled.Name, filled.Version
		if s.sender != nil {
			is.Delivery = store.DeliveryPending
		}
		return nil
	}, timers...)
	if err != nil {
		return err
	}
	s.stopClock(ctx, is.ID)
	s.refresh(ctx, is)
	text := fmt.Sprintf("💬 @%s answered %s, %s after it was routed. ", c.User, bot.FormatID(is.ID), bot.FormatDuration(now.Sub(is.RoutedAt)))
	return c.Reply(bot.Message{Text: text + s.send(ctx, is) + templateNote(filled, reply)})
}

// send makes the first delivery attempt of a new answer and says how it
// went.
func (s *Service) send(ctx context.Context, is store.RoutedIssue) string {
	if s.sender == nil {
		return s.noOutbound(is)
	}
	if err := s.sendNow(ctx, is); err != nil {
		return fmt.Sprintf("⚠ The reply could not be delivered to %s yet (%s); it is retried until it is — see /route list.",
			inboxName(is), excerpt(err.Error(), maxErrorText))
	}
	return fmt.Sprintf("The reply was delivered to %s.", inboxName(is))
}

func (s *Service) resolve(ctx context.Context, c *bot.Context) error {
	if len(c.Args.Words) > 1 {
		return bot.Errorf(bot.EInvalid, "unexpected %q", c.Args.Text(1))
	}
	now := s.Clock.Now()
	is, err := s.update(ctx, c, true, func(is *store.RoutedIssue) error {
		if is.Status == store.IssueResolved {
			return errResolved(is)
		}
		is.Status, is.ResolvedBy, is.ResolvedAt = store.IssueResolved, c.User, now
		return nil
	})
	if err != nil {
		return err
	}
	s.stopClock(ctx, is.ID)
	// The issue is resolved: a failure here must not report the command as
	// failed, and the repost finds the issue resolved and does nothing.
	if err := s.Scheduler.Cancel(ctx, timerKey(is.ID, "post")); err != nil {
		s.Log.Warn("cannot cancel post retry", "issue", is.ID, "err", err)
	}
	s.refresh(ctx, is)
	text := fmt.Sprintf("✅ %s resolved by @%s, %s after it was received.", bot.FormatID(is.ID), c.User, bot.FormatDuration(now.Sub(is.ReceivedAt)))
	if is.AnsweredAt.IsZero() {
		text += " It was never answered here."
	}
	return c.Reply(bot.Message{Text: text})
}
