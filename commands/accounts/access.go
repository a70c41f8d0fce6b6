package accounts

import (
	"context"
	"slices"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

func (s *Service) grant(ctx context.Context, c *bot.Context) error {
	if len(c.Args.Words) > 2 {
		return bot.Errorf(bot.EInvalid, "unexpected %q", clip(c.Args.Text(2)))
	}
	if _, err := bot.ParseID(c.Args.Word(0)); err != nil {
		return err
	}
	who, err := s.KnownPerson(c.Args.Word(1))
	if err != nil {
		return err
	}
	if c.Args.Flag("level") == "" {
		return bot.Errorf(bot.EInvalid, "--level is required")
	}
	lvl, err := level(c.Args.Flag("level"))
	if err != nil {
		return err
	}
	a, err := s.account(ctx, c, false)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	a, err = s.Store.UpdateAccount(ctx, a.ID, func(u *store.AccountUpdate) error {
		acc := &u.Account
		if acc.Removed() {
			return bot.Errorf(bot.ENotFound, "account %s was removed", bot.FormatID(acc.ID))
		}
		i := slices.IndexFunc(acc.Access, func(x store.AccountAccess) bool { return x.Person == who })
		switch {
		case i >= 0 && acc.Access[i].Level == lvl:
			return bot.Errorf(bot.EConflict, "@%s already has %s access to %s", who, lvl, label(*acc))
		case i >= 0:
			acc.Access[i].Level, acc.Access[i].GrantedBy, acc.Access[i].GrantedAt = lvl, c.User, now
		default:
			acc.Access = append(acc.Access, store.AccountAccess{Person: who, Level: lvl, GrantedBy: c.User, GrantedAt: now})
		}
		u.Events = append(u.Events, s.event(c.User, "granted", "@%s %s", who, lvl))
		return nil
	})
	if err != nil {
		return err
	}
	note := ""
	if course := s.Config.Accounts.Training[lvl]; course != "" {
		if ts, err := s.Store.Trainings(ctx, who); err == nil && !slices.ContainsFunc(ts, func(t store.Training) bool { return t.Course == course }) {
			note = " ⚠️ " + lvl + " requires " + course + ", which @" + who + " has not done (record it: /accounts trained @" + who + " " + course + ")."
		}
	}
	return c.Replyf("🔑 @%s now has %s access to %s (granted by @%s).%s", who, lvl, label(a), c.User, note)
}

func (s *Service) revoke(ctx context.Context, c *bot.Context) error {
	if len(c.Args.Words) > 2 {
		return bot.Errorf(bot.EInvalid, "unexpected %q", clip(c.Args.Text(2)))
	}
	if _, err := bot.ParseID(c.Args.Word(0)); err != nil {
		return err
	}
	who, err := s.KnownPerson(c.Args.Word(1))
	if err != nil {
		return err
	}
	a, err := s.account(ctx, c, false)
	if err != nil {
		return err
	}
	a, err = s.Store.UpdateAccount(ctx, a.ID, func(u *store.AccountUpdate) error {
		acc := &u.Account
		n := len(acc.Access)
		acc.Access = slices.DeleteFunc(acc.Access, func(x store.AccountAccess) bool { return x.Person == who })
		if len(acc.Access) == n {
			return bot.Errorf(bot.ENotFound, "@%s has no access to %s", who, label(*acc))
		}
		u.Events = append(u.Events, s.event(c.User, "revoked", "@%s", who))
		return nil
	})
	if err != nil {
		return err
	}
	m := bot.Message{Text: "🔒 @" + who + " no longer has access to " + label(a) + " (revoked by @" + c.User + "). Remove them on " + a.Network + " too if that is not done."}
	if c.Clicked {
		return c.ReplaceClicked(m)
	}
	return c.Reply(m)
}

func (s *Service) trained(ctx context.Context, c *bot.Context) error {
	if len(c.Args.Words) > 2 {
		return bot.Errorf(bot.EInvalid, "unexpected %q", clip(c.Args.Text(2)))
	}
	who, err := s.KnownPerson(c.Args.Word(0))
	if err != nil {
		return err
	}
	crs, err := course(c.Args.Word(1))
	if err != nil {
		return err
	}
	on := s.Clock.Now()
	if v, ok := c.Args.Flags["on"]; ok {
		if on, err = date(v, s.Config.Org.Location, s.Clock.Now()); err != nil {
			return err
		}
	}
	if err := s.Store.RecordTraining(ctx, store.Training{Person: who, Course: crs, On: on, RecordedBy: c.User}); err != nil {
		return err
	}
	return c.Replyf("🎓 @%s completed %s on %s (recorded by @%s).", who, crs, s.day(on), c.User)
}
