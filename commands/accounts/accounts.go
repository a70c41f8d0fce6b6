// Package accounts implements /accounts: the inventory of the social
// accounts the organisation runs, who has access to each and at which
// level, the training people with access have done, quarterly access
// reviews by each account's owner (reminded, then escalated to
// it-security), offboarding when someone loses their last role, and the
// flags (untrained publisher, two-factor off, abandoned, owner without a
// role, review overdue) that /accounts list and the digests show.
package accounts

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
	timerReview   = "accounts.review"
	timerRemind   = "accounts.remind"
	timerEscalate = "accounts.escalate"
)

// Permissions (config permissions entries).
const (
	permManage = "accounts.manage" // add, edit, remove
	permAccess = "accounts.access" // grant, revoke, training, reviews of others' accounts
)

// Service is the account inventory.
type Service struct{ commands.Deps }

// Register adds the /accounts commands, their timers and the offboarding
// listener, and returns the service for the import tool and digests.
func Register(r *bot.Router, d commands.Deps) *Service {
	s := &Service{d}
	r.Describe("accounts", "Social account inventory: add · edit · remove · show · list · grant · revoke · trained · review · confirm")
	r.Register(s.commands()...)
	d.Scheduler.Handle(timerReview, s.startReview)
	d.Scheduler.Handle(timerRemind, s.remind)
	d.Scheduler.Handle(timerEscalate, s.escalate)
	d.Events.OnLostLastRole(s.offboard)
	return s
}

func (s *Service) commands() []bot.Command {
	return []bot.Command{
		{
			Group: "accounts", Name: "add", Args: "<network> <handle> --brand B --owner @u [--backup @u] [--dept D] [--url URL]",
			Summary:  "Add a social account to the inventory",
			Examples: []string{"/accounts add instagram acmehq --brand acme --owner @dana --dept marketing --url https://instagram.com/acmehq"},
			Options:  []string{"brand", "owner", "backup", "dept", "url"}, MinWords: 2,
			Permission: permManage, Handler: s.add,
		},
		{
			Group: "accounts", Name: "edit",
			Args:     "<id> [--owner @u] [--backup @u|none] [--brand B] [--dept D] [--url URL] [--two-factor on|off] [--last-post DATE]",
			Summary:  "Change an account: owner, backup, brand, department, link, two-factor, last post",
			Examples: []string{"/accounts edit 3 --two-factor on", "/accounts edit 3 --last-post 2026-11-20"},
			Options:  []string{"owner", "backup", "brand", "dept", "url", "two-factor", "last-post"}, MinWords: 1,
			Permission: permManage, Handler: s.edit,
		},
		{
			Group: "accounts", Name: "remove", Args: "<id>",
			Summary: "Remove an account from the inventory (its history is kept)", MinWords: 1,
			Permission: permManage, Handler: s.remove,
		},
		{
			Group: "accounts", Name: "show", Args: "<id>",
			Summary: "Show an account: owner, access, flags and history", MinWords: 1, Handler: s.show,
		},
		{
			Group: "accounts", Name: "list", Args: "[--brand B] [--overdue] [--abandoned]",
			Summary:  "List the inventory with each account's flags",
			Examples: []string{"/accounts list --brand acme", "/accounts list --overdue"},
			Options:  []string{"brand"}, Switches: []string{"overdue", "abandoned"}, Handler: s.list,
		},
		{
			Group: "accounts", Name: "grant", Args: "<id> @u --level admin|publisher|viewer",
			Summary:  "Give a person access to an account, or change their level",
			Examples: []string{"/accounts grant 3 @sam --level publisher"},
			Options:  []string{"level"}, MinWords: 2, Permission: permAccess, Handler: s.grant,
		},
		{
			Group: "accounts", Name: "revoke", Args: "<id> @u",
			Summary: "Take a person's access to an account away", MinWords: 2,
			Permission: permAccess, Handler: s.revoke,
		},
		{
			Group: "accounts", Name: "trained", Args: "@u <course> [--on DATE]",
			Summary:  "Record that a person completed a course (today unless --on)",
			Examples: []string{"/accounts trained @sam brand-voice-101 --on 2026-11-02"},
			Options:  []string{"on"}, MinWords: 2, Permission: permAccess, Handler: s.trained,
		},
		{
			Group: "accounts", Name: "review", Args: "<id> [keep|revoke @u]",
			Summary:  "Start an account's access review now, or mark a person in the open review (owner, backup or it-security)",
			Examples: []string{"/accounts review 3", "/accounts review 3 revoke @jo"},
			MinWords: 1, Handler: s.review,
		},
		{
			Group: "accounts", Name: "confirm", Args: "<id>",
			Summary:  "Confirm an account's open access review: revoke the people marked revoke, keep the rest",
			MinWords: 1, Handler: s.confirm,
		},
	}
}

// account loads the account whose id is the word at i, refusing removed
// ones unless removedOK.
func (s *Service) account(ctx context.Context, c *bot.Context, removedOK bool) (store.Account, error) {
	id, err := bot.ParseID(c.Args.Word(0))
	if err != nil {
		return store.Account{}, err
	}
	a, err := s.Store.Account(ctx, id)
	if err != nil {
		return a, err
	}
	if a.Removed() && !removedOK {
		return a, bot.Errorf(bot.ENotFound, "account %s was removed", bot.FormatID(id))
	}
	return a, nil
}

// mayReview lets the owner, the backup and holders of accounts.access act
// on an account's review.
func (s *Service) mayReview(ctx context.Context, a store.Account, user string) error {
	if user == a.Owner || (a.Backup != "" && user == a.Backup) {
		return nil
	}
	if err := s.Access.Check(ctx, permAccess, user, bot.Facts{}); err != nil {
		return bot.Errorf(bot.EForbidden, "only the owner @%s, the backup or %s may review %s", a.Owner, permAccess, label(a))
	}
	return nil
}

// dm sends m to each person; a failure is logged: the review is stored,
// the reminder sends it again and list --overdue shows it.
func (s *Service) dm(ctx context.Context, people []string, m bot.Message) {
	for _, p := range people {
		if p == "" {
			continue
		}
		if _, err := s.Chat.DirectMessage(ctx, p, m); err != nil {
			s.Log.Warn("cannot send account message", "person", p, "err", err)
		}
	}
}

// event is a history entry of a at now.
func (s *Service) event(actor, action, format string, args ...any) store.AccountEvent {
	return store.AccountEvent{At: s.Clock.Now(), Actor: actor, Action: action, Text: fmt.Sprintf(format, args...)}
}

func (s *Service) day(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.In(s.Config.Org.Location).Format("2006-01-02")
}

// label names an account in messages: "#3 instagram @acmehq (acme)".
func label(a store.Account) string {
	return fmt.Sprintf("%s %s @%s (%s)", bot.FormatID(a.ID), a.Network, a.Handle, a.Brand)
}

func mentions(people []string) string {
	if len(people) == 0 {
		return "nobody"
	}
	return "@" + strings.Join(people, ", @")
}

func timerKey(id int64, what string) string { return fmt.Sprintf("accounts:%d:%s", id, what) }

type accountRef struct {
	Account int64 `json:"account"`
}

func timer(kind string, id int64, what string, due time.Time) bot.Timer {
	return bot.Timer{Kind: kind, Key: timerKey(id, what), Due: due, Payload: fmt.Sprintf(`{"account":%d}`, id)}
}
