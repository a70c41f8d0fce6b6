package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// AssignRole adds or updates an assignment and logs the change as a
// decision; changed is false when the same assignment already held. An
// assignment removed earlier is brought back.
func (s *Store) AssignRole(ctx context.Context, a store.RoleAssignment) (changed bool, err error) {
	if err := validAssignment(a); err != nil {
		return false, err
	}
	err = s.inTx(ctx, func(q *querier) error {
		cur, found, err := activeAssignment(ctx, q, a.Role, a.Person, a.Brand)
		switch {
		case err != nil || (found && cur.Backup == a.Backup):
			return err
		case found && a.Backup:
			return store.ErrWouldDemote
		}
		if err := upsertAssignment(ctx, q, a); err != nil {
			return err
		}
		changed = true
		_, err = appendDecision(ctx, q, roleDecision(assignedText(a), a.AssignedBy, a.Brand, a.Role, "", a.AssignedAt))
		return err
	})
	if err != nil {
		return false, fmt.Errorf("assign role %s to %s: %w", a.Role, a.Person, err)
	}
	return changed, nil
}

// RemoveRole removes person from role for brand, or for every brand when
// brand is "*", leaving a tombstone, and logs each removal as a decision.
func (s *Store) RemoveRole(ctx context.Context, role, person, brand, by string, at time.Time) (removed bool, err error) {
	err = s.inTx(ctx, func(q *querier) error {
		brands, err := tombstoneAssignments(ctx, q, role, person, brand, by, at)
		if err != nil {
			return err
		}
		for _, b := range brands {
			text := fmt.Sprintf("removed @%s from %s%s", person, role, forBrand(b))
			if _, err := appendDecision(ctx, q, roleDecision(text, by, b, role, "", at)); err != nil {
				return err
			}
		}
		removed = len(brands) > 0
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("remove %s from role %s: %w", person, role, err)
	}
	return removed, nil
}

// RoleAssignments lists the current assignments of role ("" = every role),
// ordered by role, brand, backup (holders first), person.
func (s *Store) RoleAssignments(ctx context.Context, role string) ([]store.RoleAssignment, error) {
	var roles []string
	if role != "" {
		roles = []string{role}
	}
	var out []store.RoleAssignment
	err := s.autocommit(ctx, func(q *querier) (err error) { // one read
		out, err = assignmentsOf(ctx, q, roles)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list role assignments: %w", err)
	}
	return out, nil
}

// assignmentsOf lists the current assignments of roles (none: every role),
// ordered by role, brand, backup, person.
func assignmentsOf(ctx context.Context, q *querier, roles []string) ([]store.RoleAssignment, error) {
	w := where{}
	w.add("removed_at IS NULL")
	if len(roles) > 0 {
		args := make([]any, len(roles))
		for i, r := range roles {
			args[i] = r
		}
		w.add("role IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(roles)), ", ")+")", args...)
	}
	rows, err := q.query(ctx, `SELECT role, person, brand, backup, assigned_by, assigned_at
		FROM role_assignments`+w.sql()+`
		ORDER BY role, brand, backup, person`, w.args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanAssignment)
}

// SeedRoles adds the assignments that were never made or removed before,
// logging each added one as a decision with context "configuration".
func (s *Store) SeedRoles(ctx context.Context, as []store.RoleAssignment) error {
	for _, a := range as {
		if err := validAssignment(a); err != nil {
			return fmt.Errorf("seed roles: %w", err)
		}
	}
	err := s.inTx(ctx, func(q *querier) error {
		for _, a := range as {
			n, err := q.exec(ctx, `INSERT INTO role_assignments (role, person, brand, backup, assigned_by, assigned_at)
				VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (role, person, brand) DO NOTHING`,
				a.Role, a.Person, a.Brand, a.Backup, a.AssignedBy, a.AssignedAt)
			if err != nil {
				return err
			}
			if n == 0 {
				continue // assigned or removed before: the store knows better
			}
			d := roleDecision(assignedText(a), a.AssignedBy, a.Brand, a.Role, "configuration", a.AssignedAt)
			if _, err := appendDecision(ctx, q, d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("seed roles: %w", err)
	}
	return nil
}

func validAssignment(a store.RoleAssignment) error {
	switch {
	case a.Role == "" || a.Person == "":
		return bot.Errorf(bot.EInvalid, "a role assignment needs a role and a person")
	case a.Brand == "*":
		return bot.Errorf(bot.EInvalid, "assign a role to one brand, or to all brands by naming none")
	case a.AssignedAt.IsZero():
		return fmt.Errorf("role assignment of %s to %s has no time", a.Role, a.Person)
	}
	return nil
}

func activeAssignment(ctx context.Context, q *querier, role, person, brand string) (store.RoleAssignment, bool, error) {
	var a store.RoleAssignment
	err := q.queryRow(ctx, `SELECT role, person, brand, backup, assigned_by, assigned_at
		FROM role_assignments
		WHERE role = ? AND person = ? AND brand = ? AND removed_at IS NULL`, role, person, brand).
		Scan(&a.Role, &a.Person, &a.Brand, &a.Backup, &a.AssignedBy, &a.AssignedAt)
	switch {
	case errors.Is(err, ErrNoRows):
		return a, false, nil
	case err != nil:
		return a, false, err
	}
	return a, true, nil
}

func upsertAssignment(ctx context.Context, q *querier, a store.RoleAssignment) error {
	_, err := q.exec(ctx, `INSERT INTO role_assignments (role, person, brand, backup, assigned_by, assigned_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (role, person, brand) DO UPDATE SET
			backup = excluded.backup, assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at,
			removed_by = NULL, removed_at = NULL`,
		a.Role, a.Person, a.Brand, a.Backup, a.AssignedBy, a.AssignedAt)
	return err
}

// tombstoneAssignments marks the matching current assignments removed and
// returns their brands.
func tombstoneAssignments(ctx context.Context, q *querier, role, person, brand, by string, at time.Time) ([]string, error) {
	w := where{}
	w.add("role = ?", role)
	w.add("person = ?", person)
	w.add("removed_at IS NULL")
	if brand != "*" {
		w.add("brand = ?", brand)
	}
	rows, err := q.query(ctx, `UPDATE role_assignments SET removed_by = ?, removed_at = ?`+w.sql()+` RETURNING brand`,
		append([]any{by, at}, w.args...)...)
	if err != nil {
		return nil, err
	}
	brands, err := collect(rows, func(r Rows) (b string, err error) { return b, r.Scan(&b) })
	if err != nil {
		return nil, err
	}
	// RETURNING has no defined order; the decisions should have one.
	slices.Sort(brands)
	return brands, nil
}

func scanAssignment(r Rows) (a store.RoleAssignment, err error) {
	err = r.Scan(&a.Role, &a.Person, &a.Brand, &a.Backup, &a.AssignedBy, &a.AssignedAt)
	return a, err
}

// assignedText reads like "assigned legal to @dana for brand acme (backup)".
func assignedText(a store.RoleAssignment) string {
	text := fmt.Sprintf("assigned %s to @%s%s", a.Role, a.Person, forBrand(a.Brand))
	if a.Backup {
		text += " (backup)"
	}
	return text
}

func forBrand(brand string) string {
	if brand == "" {
		return ""
	}
	return " for brand " + brand
}

func roleDecision(text, actor, brand, role, context string, at time.Time) store.Decision {
	return store.Decision{
		Kind: store.KindRole, Text: text, Context: context, Actor: actor,
		Brand: brand, Ref: "role:" + role, At: at,
	}
}
