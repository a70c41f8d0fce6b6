// Package role implements /role: assigning, removing and listing who holds
// which role, per brand, with backups.
package role

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/store"
)

type handlers struct{ commands.Deps }

// Register adds the /role commands to r.
func Register(r *bot.Router, d commands.Deps) {
	h := handlers{d}
	r.Describe("role", "Who holds which role (assign · remove · who · list)")
	r.Register(
		bot.Command{
			Group: "role", Name: "assign", Args: "<role> @user [--brand B] [--backup]",
			Summary:  "Give a person a role, for one brand or all, as holder or backup",
			Examples: []string{"/role assign legal @dana", "/role assign comms @sam --brand acme --backup"},
			Options:  []string{"brand"}, Switches: []string{"backup"}, MinWords: 2,
			Permission: "role.assign", Handler: h.assign,
		},
		bot.Command{
			Group: "role", Name: "remove", Args: "<role> @user [--brand B]",
			Summary:  "Take a role away (from every brand unless --brand is given)",
			Examples: []string{"/role remove legal @dana"},
			Options:  []string{"brand"}, MinWords: 2,
			Permission: "role.remove", Handler: h.remove,
		},
		bot.Command{
			Group: "role", Name: "who", Args: "<role> [--brand B]",
			Summary:  "Show who holds a role and who backs them up",
			Examples: []string{"/role who legal", "/role who comms --brand acme"},
			Options:  []string{"brand"}, MinWords: 1, Handler: h.who,
		},
		bot.Command{
			Group: "role", Name: "list", Summary: "Show every role and its holders",
			Handler: h.list,
		},
	)
}

func (h handlers) role(word string) (string, error) {
	id := strings.ToLower(word)
	if _, ok := h.Config.Role(id); !ok {
		return "", bot.Errorf(bot.EInvalid, "unknown role %q; roles: %s", word, strings.Join(h.Config.RoleIDs(), ", "))
	}
	return id, nil
}

func (h handlers) parse(c *bot.Context) (role, person, brand string, err error) {
	if role, err = h.role(c.Args.Word(0)); err != nil {
		return
	}
	if person, err = h.KnownPerson(c.Args.Word(1)); err != nil {
		return
	}
	if len(c.Args.Words) > 2 {
		err = bot.Errorf(bot.EInvalid, "unexpected %q", c.Args.Text(2))
		return
	}
	brand, err = h.Brand(c.Args.Flag("brand"))
	return
}

func (h handlers) assign(ctx context.Context, c *bot.Context) error {
	role, person, brand, err := h.parse(c)
	if err != nil {
		return err
	}
	a := store.RoleAssignment{Role: role, Person: person, Brand: brand, Backup: c.Args.Has("backup"), AssignedBy: c.User, AssignedAt: h.Clock.Now()}
	changed, err := h.Store.AssignRole(ctx, a)
	if errors.Is(err, store.ErrWouldDemote) {
		primary := scope(store.RoleAssignment{Brand: brand})
		return bot.Errorf(bot.EConflict, "@%s holds %s%s and stays its holder: --backup never demotes a holder. "+
			"To make them a backup, /role remove %s @%s%s first.", person, role, primary, role, person, brandFlag(brand))
	}
	if err != nil {
		return fmt.Errorf("assign %s to %s: %w", role, person, err)
	}
	if !changed {
		return c.Privatef("@%s already holds %s%s.", person, role, scope(a))
	}
	return c.Replyf("✅ @%s now holds %s%s (assigned by @%s).", person, role, scope(a), c.User)
}

func (h handlers) remove(ctx context.Context, c *bot.Context) error {
	role, person, brand, err := h.parse(c)
	if err != nil {
		return err
	}
	target := brand
	if target == "" {
		target = "*"
	}
	removed, err := h.Store.RemoveRole(ctx, role, person, target, c.User, h.Clock.Now())
	if err != nil {
		return fmt.Errorf("remove %s from %s: %w", role, person, err)
	}
	if !removed {
		return bot.Errorf(bot.ENotFound, "@%s does not hold %s%s", person, role, scope(store.RoleAssignment{Brand: brand}))
	}
	if err := c.Replyf("➖ @%s no longer holds %s%s (removed by @%s).", person, role, scope(store.RoleAssignment{Brand: brand}), c.User); err != nil {
		return err
	}
	return h.afterRemove(ctx, person, c.User)
}

// afterRemove tells the features listening for it when person has just
// lost their last role (offboarding).
func (h handlers) afterRemove(ctx context.Context, person, by string) error {
	held, err := h.Roster().HeldRoles(ctx, person, h.Config.RoleIDs())
	if err != nil {
		return fmt.Errorf("roles left to %s: %w", person, err)
	}
	if len(held) == 0 {
		h.Events.LastRoleLost(ctx, person, by)
	}
	return nil
}

func (h handlers) who(ctx context.Context, c *bot.Context) error {
	role, err := h.role(c.Args.Word(0))
	if err != nil {
		return err
	}
	brand, err := h.Brand(c.Args.Flag("brand"))
	if err != nil {
		return err
	}
	as, err := h.Store.RoleAssignments(ctx, role)
	if err != nil {
		return fmt.Errorf("list %s: %w", role, err)
	}
	var lines []string
	for _, a := range as {
		if brand == "" || a.Brand == "" || a.Brand == brand {
			lines = append(lines, "  "+describe(a))
		}
	}
	if len(lines) == 0 {
		return c.Privatef("Nobody holds %s%s yet. Assign it with /role assign %s @user.", role, scope(store.RoleAssignment{Brand: brand}), role)
	}
	if brand != "" {
		holders, fromBackup, err := h.Roster().Holders(ctx, role, brand)
		if err != nil {
			return err
		}
		acting := "@" + strings.Join(holders, ", @")
		if fromBackup {
			acting += " (backup)"
		}
		lines = append(lines, "  acting for "+brand+": "+acting)
	}
	return c.Private(bot.Message{Text: role + ":\n" + strings.Join(lines, "\n")})
}

func (h handlers) list(ctx context.Context, c *bot.Context) error {
	as, err := h.Store.RoleAssignments(ctx, "")
	if err != nil {
		return fmt.Errorf("list roles: %w", err)
	}
	byRole := map[string][]string{}
	for _, a := range as {
		byRole[a.Role] = append(byRole[a.Role], describe(a))
	}
	var lines []string
	for _, id := range h.Config.RoleIDs() {
		held := "nobody"
		if len(byRole[id]) > 0 {
			held = strings.Join(byRole[id], "; ")
		}
		lines = append(lines, fmt.Sprintf("  %-14s %s", id, held))
	}
	return c.Private(bot.Message{Text: "Roles:\n" + strings.Join(lines, "\n")})
}

func describe(a store.RoleAssignment) string {
	s := "@" + a.Person
	if a.Brand == "" {
		s += " (all brands"
	} else {
		s += " (" + a.Brand
	}
	if a.Backup {
		s += ", backup"
	}
	return s + ")"
}

// brandFlag is " --brand B" for a brand, "" for all brands.
func brandFlag(brand string) string {
	if brand == "" {
		return ""
	}
	return " --brand " + brand
}

func scope(a store.RoleAssignment) string {
	s := ""
	if a.Brand != "" {
		s = " for " + a.Brand
	}
	if a.Backup {
		s += " as backup"
	}
	return s
}
