package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// SaveButton keeps action under key until expires, replacing what key held,
// and deletes the buttons that expired before now.
func (s *Store) SaveButton(ctx context.Context, key, action string, now, expires time.Time) error {
	if key == "" || action == "" || !expires.After(now) {
		return fmt.Errorf("save button %q: key, action and a future expiry are required", key)
	}
	err := s.inTx(ctx, func(q *querier) error {
		if _, err := q.exec(ctx, `DELETE FROM buttons WHERE expires_at < ?`, now); err != nil {
			return err
		}
		_, err := q.exec(ctx, `INSERT INTO buttons (key, action, expires_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET action = excluded.action, expires_at = excluded.expires_at`,
			key, action, expires)
		return err
	})
	if err != nil {
		return fmt.Errorf("save button %s: %w", key, err)
	}
	return nil
}

// ButtonAction returns the action kept under key unless it expired before
// now.
func (s *Store) ButtonAction(ctx context.Context, key string, now time.Time) (string, error) {
	var action string
	err := s.inTx(ctx, func(q *querier) error {
		return q.queryRow(ctx, `SELECT action FROM buttons WHERE key = ? AND expires_at >= ?`, key, now).Scan(&action)
	})
	switch {
	case errors.Is(err, ErrNoRows):
		return "", bot.Errorf(bot.ENotFound, "no button %s", key)
	case err != nil:
		return "", fmt.Errorf("load button %s: %w", key, err)
	}
	return action, nil
}
