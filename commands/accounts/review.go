package accounts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// errNothingToDo stops a timer whose review was confirmed, or already
// handled by another replica, in the meantime.
var errNothingToDo = errors.New("nothing to do")

// due loads a review timer's account and applies set under its row lock;
// ok is false when set found nothing to do.
func (s *Service) due(ctx context.Context, t bot.Timer, set func(*store.AccountUpdate) bool) (store.Account, bool, error) {
	var ref accountRef
	if err := json.Unmarshal([]byte(t.Payload), &ref); err != nil {
		return store.Account{}, false, fmt.Errorf("decode timer %s: %w", t.Key, err)
	}
	a, err := s.Store.UpdateAccount(ctx, ref.Account, func(u *store.AccountUpdate) error {
		if u.Account.Removed() || !set(u) {
			return errNothingToDo
		}
		return nil
	})
	switch {
	case errors.Is(err, errNothingToDo), bot.IsCode(err, bot.ENotFound):
		return a, false, nil
	case err != nil:
		return a, false, err
	}
	return a, true, nil
}

// open starts a review on u at now: marks cleared, reminder and escalation
// armed.
func (s *Service) open(u *store.AccountUpdate, actor string) {
	now := s.Clock.Now()
	a := &u.Account
	a.ReviewStartedAt, a.ReviewRemindedAt, a.ReviewEscalatedAt = now, zero, zero
	for i := range a.Access {
		a.Access[i].Mark = ""
	}
	u.Events = append(u.Events, s.event(actor, "review", "sent to @%s for %d with access", a.Owner, len(a.Access)))
	u.Timers = append(u.Timers, timer(timerRemind, a.ID, "remind", now.Add(s.Config.Accounts.Remind)),
		timer(timerEscalate, a.ID, "escalate", now.Add(s.Config.Accounts.Escalate)))
	u.Cancel = []string{timerKey(a.ID, "review")}
}

// startReview is the quarterly timer: it opens the review and sends the
// owner the list of people with access.
func (s *Service) startReview(ctx context.Context, t bot.Timer) error {
	a, ok, err := s.due(ctx, t, func(u *store.AccountUpdate) bool {
		if u.Account.Reviewing() {
			return false
		}
		s.open(u, "")
		u.Cancel = nil // this very timer is firing
		return true
	})
	if err != nil || !ok {
		return err
	}
	s.dm(ctx, []string{a.Owner}, s.request(a, "🔐 Access review: "+label(a)))
	return nil
}

// remind nudges the owner (and the backup) of an unconfirmed review.
func (s *Service) remind(ctx context.Context, t bot.Timer) error {
	now := s.Clock.Now()
	a, ok, err := s.due(ctx, t, func(u *store.AccountUpdate) bool {
		if !u.Account.Reviewing() || !u.Account.ReviewRemindedAt.IsZero() {
			return false
		}
		u.Account.ReviewRemindedAt = now
		u.Events = append(u.Events, s.event("", "reminded", "review unconfirmed for %s", bot.FormatDuration(now.Sub(u.Account.ReviewStartedAt))))
		return true
	})
	if err != nil || !ok {
		return err
	}
	left := bot.FormatDuration(a.ReviewStartedAt.Add(s.Config.Accounts.Escalate).Sub(now))
	s.dm(ctx, []string{a.Owner, a.Backup}, s.request(a, fmt.Sprintf("⏰ Reminder: the access review of %s is not confirmed; %s is told in %s", label(a), s.Config.Accounts.SecurityRole, left)))
	return nil
}

// escalate tells it-security about a review still unconfirmed.
func (s *Service) escalate(ctx context.Context, t bot.Timer) error {
	now := s.Clock.Now()
	a, ok, err := s.due(ctx, t, func(u *store.AccountUpdate) bool {
		if !u.Account.Reviewing() || !u.Account.ReviewEscalatedAt.IsZero() {
			return false
		}
		u.Account.ReviewEscalatedAt = now
		u.Events = append(u.Events, s.event("", "escalated", "told %s", s.Config.Accounts.SecurityRole))
		return true
	})
	if err != nil || !ok {
		return err
	}
	holders, _, err := s.Roster().Holders(ctx, s.Config.Accounts.SecurityRole, a.Brand)
	if err != nil {
		return err
	}
	m := s.request(a, fmt.Sprintf("🚨 %s: @%s has not confirmed the access review of %s sent %s ago",
		callOut(holders, s.Config.Accounts.SecurityRole), a.Owner, label(a), bot.FormatDuration(now.Sub(a.ReviewStartedAt))))
	m.Notify = holders
	if _, err := s.Chat.Post(ctx, s.Config.Accounts.SecurityChan, m); err != nil {
		return fmt.Errorf("tell %s about account %d: %w", s.Config.Accounts.SecurityRole, a.ID, err)
	}
	return nil
}

func callOut(people []string, role string) string {
	if len(people) == 0 {
		return role + " (nobody holds it)"
	}
	return mentions(people)
}

// request is the review message: the people with access, each with Keep
// and Revoke buttons, and Confirm.
func (s *Service) request(a store.Account, title string) bot.Message {
	var lines []string
	var buttons []bot.Button
	for _, x := range a.Access {
		mark := "not marked (kept on confirm)"
		if x.Mark != "" {
			mark = "marked " + x.Mark
		}
		lines = append(lines, fmt.Sprintf("  @%s — %s, granted by @%s on %s — %s", x.Person, x.Level, x.GrantedBy, s.day(x.GrantedAt), mark))
		buttons = append(buttons,
			bot.Button{Label: "Keep @" + x.Person, Command: fmt.Sprintf("/accounts review %d keep @%s", a.ID, x.Person)},
			bot.Button{Label: "Revoke @" + x.Person, Command: fmt.Sprintf("/accounts review %d revoke @%s", a.ID, x.Person), Style: bot.StyleDanger})
	}
	if len(lines) == 0 {
		lines = append(lines, "  nobody has access")
	}
	buttons = append(buttons, bot.Button{Label: "Confirm", Command: fmt.Sprintf("/accounts confirm %d", a.ID), Style: bot.StylePrimary})
	return bot.Message{
		Title:   title,
		Text:    "People with access:\n" + strings.Join(lines, "\n") + "\nMark each person Keep or Revoke, then Confirm.",
		Buttons: buttons,
	}
}

// review starts a review now, or marks a person in the open one.
func (s *Service) review(ctx context.Context, c *bot.Context) error {
	a, err := s.account(ctx, c, false)
	if err != nil {
		return err
	}
	if err := s.mayReview(ctx, a, c.User); err != nil {
		return err
	}
	switch len(c.Args.Words) {
	case 1:
		return s.startNow(ctx, c, a)
	case 3:
	default:
		return bot.Errorf(bot.EInvalid, "give keep or revoke and @user, or nothing to start the review")
	}
	mark := strings.ToLower(c.Args.Word(1))
	if mark != store.MarkKeep && mark != store.MarkRevoke {
		return bot.Errorf(bot.EInvalid, "mark keep or revoke, not %q", clip(c.Args.Word(1)))
	}
	who, err := s.KnownPerson(c.Args.Word(2))
	if err != nil {
		return err
	}
	a, err = s.Store.UpdateAccount(ctx, a.ID, func(u *store.AccountUpdate) error {
		if !u.Account.Reviewing() {
			return bot.Errorf(bot.EConflict, "no access review of %s is open", label(u.Account))
		}
		for i, x := range u.Account.Access {
			if x.Person == who {
				u.Account.Access[i].Mark = mark
				u.Events = append(u.Events, s.event(c.User, "marked", "@%s %s", who, mark))
				return nil
			}
		}
		return bot.Errorf(bot.ENotFound, "@%s has no access to %s", who, label(u.Account))
	})
	if err != nil {
		return err
	}
	m := s.request(a, "🔐 Access review: "+label(a))
	if c.Clicked {
		return c.ReplaceClicked(m)
	}
	return c.Private(m)
}

func (s *Service) startNow(ctx context.Context, c *bot.Context, a store.Account) error {
	a, err := s.Store.UpdateAccount(ctx, a.ID, func(u *store.AccountUpdate) error {
		if u.Account.Reviewing() {
			return bot.Errorf(bot.EConflict, "the access review of %s is open already", label(u.Account))
		}
		s.open(u, c.User)
		return nil
	})
	if err != nil {
		return err
	}
	s.dm(ctx, []string{a.Owner}, s.request(a, "🔐 Access review: "+label(a)))
	return c.Replyf("🔐 Access review of %s sent to @%s.", label(a), a.Owner)
}

// confirm closes the open review: the people marked revoke lose access,
// the rest keep it, the outcome goes to the decision log and the next
// review is armed.
func (s *Service) confirm(ctx context.Context, c *bot.Context) error {
	if len(c.Args.Words) > 1 {
		return bot.Errorf(bot.EInvalid, "unexpected %q", clip(c.Args.Text(1)))
	}
	a, err := s.account(ctx, c, false)
	if err != nil {
		return err
	}
	if err := s.mayReview(ctx, a, c.User); err != nil {
		return err
	}
	now := s.Clock.Now()
	var kept, revoked []string
	a, err = s.Store.UpdateAccount(ctx, a.ID, func(u *store.AccountUpdate) error {
		acc := &u.Account
		if !acc.Reviewing() {
			return bot.Errorf(bot.EConflict, "no access review of %s is open", label(*acc))
		}
		kept, revoked = nil, nil
		var left []store.AccountAccess
		for _, x := range acc.Access {
			if x.Mark == store.MarkRevoke {
				revoked = append(revoked, x.Person)
				continue
			}
			x.Mark = ""
			kept = append(kept, x.Person)
			left = append(left, x)
		}
		acc.Access = left
		acc.LastReviewAt = now
		acc.ReviewStartedAt, acc.ReviewRemindedAt, acc.ReviewEscalatedAt = zero, zero, zero
		text := fmt.Sprintf("Access review of %s confirmed by @%s: kept %s; revoked %s", label(*acc), c.User, mentions(kept), mentions(revoked))
		u.Events = append(u.Events, s.event(c.User, "confirmed", "kept %s; revoked %s", mentions(kept), mentions(revoked)))
		u.Decision = &store.Decision{Kind: store.KindAccount, Text: text, Actor: c.User, Brand: acc.Brand, Ref: fmt.Sprintf("account:%d", acc.ID), At: now}
		u.Cancel = []string{timerKey(acc.ID, "remind"), timerKey(acc.ID, "escalate")}
		u.Timers = []bot.Timer{timer(timerReview, acc.ID, "review", now.Add(s.Config.Accounts.ReviewEvery))}
		return nil
	})
	if err != nil {
		return err
	}
	m := bot.Message{Text: fmt.Sprintf("✅ Access review of %s confirmed by @%s: kept %s; revoked %s. Next review %s.",
		label(a), c.User, mentions(kept), mentions(revoked), s.day(now.Add(s.Config.Accounts.ReviewEvery)))}
	if c.Clicked {
		return c.ReplaceClicked(m)
	}
	return c.Reply(m)
}
