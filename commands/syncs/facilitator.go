package syncs

import (
	"context"
	"fmt"
	"slices"

	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// socialRoles are the social team's roles; their holders facilitate syncs
// in turn with the department's liaisons.
var socialRoles = []string{"social-lead", "community"}

// Facilitators returns, in rotation order, who may facilitate a sync with
// dept: the holders of the department's liaison role, then the social team,
// each group sorted, everyone once. Backups are left out: they stand in,
// they do not take turns.
func Facilitators(ctx context.Context, roles store.Roles, dept config.Department) ([]string, error) {
	var out []string
	for _, group := range [][]string{{dept.LiaisonRole}, socialRoles} {
		var people []string
		for _, role := range group {
			if role == "" {
				continue
			}
			as, err := roles.RoleAssignments(ctx, role)
			if err != nil {
				return nil, fmt.Errorf("list holders of %s: %w", role, err)
			}
			for _, a := range as {
				if !a.Backup {
					people = append(people, a.Person)
				}
			}
		}
		slices.Sort(people)
		for _, p := range slices.Compact(people) {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out, nil
}

// facilitatorAt is the person whose turn it is, or "" when nobody can.
func facilitatorAt(people []string, turn int64) string {
	if len(people) == 0 || turn < 0 {
		return ""
	}
	return people[turn%int64(len(people))]
}
