package bottest

import (
	"context"
	"sync"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// Buttons is a bot.ButtonStore in memory, for adapter tests that need no
// database. Production wires the store (store/sqlstore), which every
// replica shares.
type Buttons struct {
	mu      sync.Mutex
	actions map[string]storedButton
}

type storedButton struct {
	action  string
	expires time.Time
}

var _ bot.ButtonStore = (*Buttons)(nil)

// NewButtons returns an empty store.
func NewButtons() *Buttons { return &Buttons{actions: map[string]storedButton{}} }

// SaveButton keeps action under key until expires.
func (b *Buttons) SaveButton(_ context.Context, key, action string, now, expires time.Time) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for k, s := range b.actions {
		if s.expires.Before(now) {
			delete(b.actions, k)
		}
	}
	b.actions[key] = storedButton{action: action, expires: expires}
	return nil
}

// ButtonAction returns the action under key unless it expired before now.
func (b *Buttons) ButtonAction(_ context.Context, key string, now time.Time) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	s, ok := b.actions[key]
	if !ok || s.expires.Before(now) {
		return "", bot.Errorf(bot.ENotFound, "no button %s", key)
	}
	return s.action, nil
}
