package commands

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/interlock-coe/interlock/store"
)

// Roster resolves role holders from the store.
type Roster struct {
	Store store.Roles
}

// HeldRoles returns which of roles person holds, for any brand, as holder or
// backup. It implements bot.RoleChecker.
func (r Roster) HeldRoles(ctx context.Context, person string, roles []string) ([]string, error) {
	var held []string
	for _, role := range roles {
		as, err := r.Store.RoleAssignments(ctx, role)
		if err != nil {
			return nil, fmt.Errorf("list holders of %s: %w", role, err)
		}
		for _, a := range as {
			if strings.EqualFold(a.Person, person) {
				held = append(held, role)
				break
			}
		}
	}
	return held, nil
}

// Holders returns who should act for role on brand: the brand's own holders,
// else the all-brand holders, else the backups (brand first). fromBackup
// tells that only backups were found; an empty result means nobody holds it.
func (r Roster) Holders(ctx context.Context, role, brand string) (people []string, fromBackup bool, err error) {
	as, err := r.Store.RoleAssignments(ctx, role)
	if err != nil {
		return nil, false, fmt.Errorf("list holders of %s: %w", role, err)
	}
	people, fromBackup = HoldersAmong(as, role, brand)
	return people, fromBackup, nil
}

// HoldersAmong is Holders over assignments read already (of any roles), for
// a caller that read them with other data in one transaction.
func HoldersAmong(as []store.RoleAssignment, role, brand string) (people []string, fromBackup bool) {
	pick := func(brandOf string, backup bool) []string {
		var out []string
		for _, a := range as {
			if a.Role == role && a.Brand == brandOf && a.Backup == backup && !slices.Contains(out, a.Person) {
				out = append(out, a.Person)
			}
		}
		return out
	}
	if brand != "" {
		if p := pick(brand, false); len(p) > 0 {
			return p, false
		}
	}
	if p := pick("", false); len(p) > 0 {
		return p, false
	}
	if brand != "" {
		if p := pick(brand, true); len(p) > 0 {
			return p, true
		}
	}
	return pick("", true), true
}

// Backups returns the backups of role for brand (the brand's, then all-brand).
func (r Roster) Backups(ctx context.Context, role, brand string) ([]string, error) {
	as, err := r.Store.RoleAssignments(ctx, role)
	if err != nil {
		return nil, fmt.Errorf("list backups of %s: %w", role, err)
	}
	return BackupsAmong(as, role, brand), nil
}

// BackupsAmong is Backups over assignments read already (of any roles).
func BackupsAmong(as []store.RoleAssignment, role, brand string) []string {
	var brandB, allB []string
	for _, a := range as {
		switch {
		case a.Role != role || !a.Backup:
		case a.Brand == brand && brand != "":
			brandB = append(brandB, a.Person)
		case a.Brand == "":
			allB = append(allB, a.Person)
		}
	}
	if len(brandB) > 0 {
		return brandB
	}
	return allB
}
