package accounts

import (
	"context"
	"fmt"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// person checks a "@handle" (the @ may be left out in a file).
func (s *Service) person(word string) (string, error) {
	if word != "" && !strings.HasPrefix(word, "@") {
		word = "@" + word
	}
	return s.KnownPerson(word)
}

// check turns an input into a new account: every field valid, the brand
// configured and the people known.
func (s *Service) check(in Input, by string) (store.Account, error) {
	a := store.Account{TwoFactor: in.TwoFactor, LastPostAt: in.LastPost, CreatedBy: by, CreatedAt: s.Clock.Now()}
	var err error
	if a.Network, err = network(in.Network); err != nil {
		return a, err
	}
	if a.Handle, err = handle(in.Handle); err != nil {
		return a, err
	}
	if strings.TrimSpace(in.Brand) == "" {
		return a, bot.Errorf(bot.EInvalid, "--brand is required")
	}
	if a.Brand, err = s.Brand(strings.TrimSpace(in.Brand)); err != nil {
		return a, err
	}
	if strings.TrimSpace(in.Owner) == "" {
		return a, bot.Errorf(bot.EInvalid, "--owner is required")
	}
	if a.Owner, err = s.person(strings.TrimSpace(in.Owner)); err != nil {
		return a, err
	}
	if b := strings.TrimSpace(in.Backup); b != "" {
		if a.Backup, err = s.person(b); err != nil {
			return a, err
		}
	}
	if a.Dept, err = dept(in.Dept); err != nil {
		return a, err
	}
	a.URL, err = link(in.URL)
	return a, err
}

// Add stores a checked account and arms its first review.
func (s *Service) Add(ctx context.Context, in Input, by string) (store.Account, error) {
	a, err := s.check(in, by)
	if err != nil {
		return a, err
	}
	return s.Store.AddAccount(ctx, a, s.event(by, "added", "owner @%s", a.Owner), func(a store.Account) []bot.Timer {
		return []bot.Timer{timer(timerReview, a.ID, "review", a.CreatedAt.Add(s.Config.Accounts.ReviewEvery))}
	})
}

func (s *Service) add(ctx context.Context, c *bot.Context) error {
	if len(c.Args.Words) > 2 {
		return bot.Errorf(bot.EInvalid, "unexpected %q", clip(c.Args.Text(2)))
	}
	in := Input{
		Network: c.Args.Word(0), Handle: c.Args.Word(1), Brand: c.Args.Flag("brand"), Owner: c.Args.Flag("owner"),
		Backup: c.Args.Flag("backup"), Dept: c.Args.Flag("dept"), URL: c.Args.Flag("url"),
	}
	if in.Owner != "" && !strings.HasPrefix(in.Owner, "@") {
		return bot.Errorf(bot.EInvalid, "--owner takes @user")
	}
	a, err := s.Add(ctx, in, c.User)
	if err != nil {
		return err
	}
	return c.Replyf("📇 Account %s added; owner @%s. Grant access with /accounts grant %d @user --level publisher.", label(a), a.Owner, a.ID)
}

func (s *Service) edit(ctx context.Context, c *bot.Context) error {
	if len(c.Args.Words) > 1 {
		return bot.Errorf(bot.EInvalid, "unexpected %q", clip(c.Args.Text(1)))
	}
	if len(c.Args.Flags) == 0 {
		return bot.Errorf(bot.EInvalid, "nothing to change")
	}
	a, err := s.account(ctx, c, false)
	if err != nil {
		return err
	}
	var changes []string
	set := func(u *store.Account) error {
		changes = changes[:0]
		for _, name := range []string{"owner", "backup", "brand", "dept", "url", "two-factor", "last-post"} {
			v, ok := c.Args.Flags[name]
			if !ok {
				continue
			}
			if err := s.apply(u, name, v); err != nil {
				return err
			}
			changes = append(changes, name+" "+v)
		}
		return nil
	}
	probe := a
	if err := set(&probe); err != nil { // refuse bad input before taking the row
		return err
	}
	a, err = s.Store.UpdateAccount(ctx, a.ID, func(u *store.AccountUpdate) error {
		if u.Account.Removed() {
			return bot.Errorf(bot.ENotFound, "account %s was removed", bot.FormatID(a.ID))
		}
		if err := set(&u.Account); err != nil {
			return err
		}
		u.Events = append(u.Events, s.event(c.User, "edited", "%s", strings.Join(changes, ", ")))
		return nil
	})
	if err != nil {
		return err
	}
	return c.Replyf("✏️ Account %s changed: %s.", label(a), strings.Join(changes, ", "))
}

// apply sets one edited field.
func (s *Service) apply(a *store.Account, name, v string) (err error) {
	switch name {
	case "owner":
		a.Owner, err = s.KnownPerson(v)
	case "backup":
		if strings.EqualFold(v, "none") {
			a.Backup = ""
			return nil
		}
		a.Backup, err = s.KnownPerson(v)
	case "brand":
		if strings.TrimSpace(v) == "" {
			return bot.Errorf(bot.EInvalid, "--brand needs a brand")
		}
		a.Brand, err = s.Brand(v)
	case "dept":
		a.Dept, err = dept(v)
	case "url":
		a.URL, err = link(v)
	case "two-factor":
		if strings.TrimSpace(v) == "" {
			return bot.Errorf(bot.EInvalid, "--two-factor takes on or off")
		}
		a.TwoFactor, err = onOff(v)
	case "last-post":
		a.LastPostAt, err = date(v, s.Config.Org.Location, s.Clock.Now())
	}
	return err
}

func (s *Service) remove(ctx context.Context, c *bot.Context) error {
	if len(c.Args.Words) > 1 {
		return bot.Errorf(bot.EInvalid, "unexpected %q", clip(c.Args.Text(1)))
	}
	a, err := s.account(ctx, c, false)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	a, err = s.Store.UpdateAccount(ctx, a.ID, func(u *store.AccountUpdate) error {
		if u.Account.Removed() {
			return bot.Errorf(bot.EConflict, "account %s was removed already", bot.FormatID(a.ID))
		}
		u.Account.RemovedAt, u.Account.RemovedBy = now, c.User
		u.Account.ReviewStartedAt, u.Account.ReviewRemindedAt, u.Account.ReviewEscalatedAt = zero, zero, zero
		u.Events = append(u.Events, s.event(c.User, "removed", "%d with access at removal", len(u.Account.Access)))
		u.Cancel = []string{timerKey(a.ID, "review"), timerKey(a.ID, "remind"), timerKey(a.ID, "escalate")}
		return nil
	})
	if err != nil {
		return err
	}
	return c.Replyf("🗑️ Account %s removed from the inventory by @%s; its history is kept (/accounts show %d).", label(a), c.User, a.ID)
}

func (s *Service) show(ctx context.Context, c *bot.Context) error {
	if len(c.Args.Words) > 1 {
		return bot.Errorf(bot.EInvalid, "unexpected %q", clip(c.Args.Text(1)))
	}
	a, err := s.account(ctx, c, true)
	if err != nil {
		return err
	}
	facts, err := s.facts(ctx)
	if err != nil {
		return err
	}
	hist, err := s.Store.AccountHistory(ctx, a.ID)
	if err != nil {
		return err
	}
	return c.Private(s.detail(a, facts.flags(a), hist))
}

func (s *Service) list(ctx context.Context, c *bot.Context) error {
	if len(c.Args.Words) > 0 {
		return bot.Errorf(bot.EInvalid, "unexpected %q", clip(c.Args.Text(0)))
	}
	brand, err := s.Brand(c.Args.Flag("brand"))
	if err != nil {
		return err
	}
	flagged, err := s.flagged(ctx, store.AccountQuery{Brand: brand})
	if err != nil {
		return err
	}
	var lines []string
	for _, f := range flagged {
		if (c.Args.Has("overdue") && !f.Has(FlagReviewOverdue)) || (c.Args.Has("abandoned") && !f.Has(FlagAbandoned)) {
			continue
		}
		lines = append(lines, "  "+s.line(f))
	}
	if len(lines) == 0 {
		return c.Privatef("No accounts match.")
	}
	return c.Private(bot.Message{Text: fmt.Sprintf("Accounts (%d):\n%s", len(lines), strings.Join(lines, "\n"))})
}
