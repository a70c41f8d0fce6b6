package commands

import (
	"context"
	"sync"
)

// LostLastRole is told that person no longer holds any role, after by
// removed the last one.
type LostLastRole func(ctx context.Context, person, by string)

// RoleEvents lets features hear about role changes without the role
// feature importing them: /role publishes, the inventory (offboarding)
// listens. A nil *RoleEvents publishes to nobody.
type RoleEvents struct {
	mu   sync.Mutex
	lost []LostLastRole
}

// NewRoleEvents returns a RoleEvents with no listener.
func NewRoleEvents() *RoleEvents { return &RoleEvents{} }

// OnLostLastRole adds a listener.
func (e *RoleEvents) OnLostLastRole(f LostLastRole) {
	if e == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.lost = append(e.lost, f)
}

// LastRoleLost tells every listener, in the order they were added.
func (e *RoleEvents) LastRoleLost(ctx context.Context, person, by string) {
	if e == nil {
		return
	}
	e.mu.Lock()
	fs := append([]LostLastRole(nil), e.lost...)
	e.mu.Unlock()
	for _, f := range fs {
		f(ctx, person, by)
	}
}
