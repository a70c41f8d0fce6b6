package bot

import (
	"context"
	"fmt"
	"strings"
)

// Special values in a permission's list of roles.
const (
	AllowAnyone      = "anyone"       // everyone in the workspace
	AllowRoomMembers = "room-members" // members of the crisis room it is about
	AllowApprovers   = "approvers"    // the playbook's approver roles
)

// RoleChecker tells which of the given roles a person holds (any brand).
type RoleChecker interface {
	HeldRoles(ctx context.Context, person string, roles []string) ([]string, error)
}

// Access decides who may run permissioned commands, from the configured
// permission lists. Administrators (the CoE lead) may run everything.
type Access struct {
	Roles   RoleChecker
	Policy  map[string][]string // permission -> roles and special values
	Admins  []string
	Default []string // used for a permission the policy does not name
}

// Facts are what a command knows about the request that special values
// depend on.
type Facts struct {
	RoomMember bool // the sender is a member of the crisis room at hand
	Approver   bool // the sender holds one of the applicable approver roles
}

// Authorize implements Authorizer for permissions that need no facts.
func (a *Access) Authorize(ctx context.Context, permission, user string) error {
	return a.Check(ctx, permission, user, Facts{})
}

// Check returns nil when user may do permission, or an EForbidden error that
// names who may.
func (a *Access) Check(ctx context.Context, permission, user string, facts Facts) error {
	for _, admin := range a.Admins {
		if strings.EqualFold(admin, user) {
			return nil
		}
	}
	allowed, ok := a.Policy[permission]
	if !ok {
		allowed = a.Default
	}
	var roles []string
	for _, v := range allowed {
		switch v {
		case AllowAnyone:
			return nil
		case AllowRoomMembers:
			if facts.RoomMember {
				return nil
			}
		case AllowApprovers:
			if facts.Approver {
				return nil
			}
		default:
			roles = append(roles, v)
		}
	}
	if len(roles) > 0 {
		held, err := a.Roles.HeldRoles(ctx, user, roles)
		if err != nil {
			return fmt.Errorf("check roles of %s: %w", user, err)
		}
		if len(held) > 0 {
			return nil
		}
	}
	return Errorf(EForbidden, "only %s may do that", describeAllowed(allowed))
}

func describeAllowed(allowed []string) string {
	if len(allowed) == 0 {
		return "the CoE lead"
	}
	parts := make([]string, 0, len(allowed)+1)
	for _, v := range allowed {
		switch v {
		case AllowRoomMembers:
			parts = append(parts, "members of the crisis room")
		case AllowApprovers:
			parts = append(parts, "the approvers")
		default:
			parts = append(parts, "holders of "+v)
		}
	}
	parts = append(parts, "the CoE lead")
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}
