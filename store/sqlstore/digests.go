package sqlstore

import (
	"context"
	"fmt"

	"github.com/interlock-coe/interlock/store"
)

// RecordDigestPart stores a posted part of a digest; false when it was there.
func (s *Store) RecordDigestPart(ctx context.Context, p store.DigestPart) (bool, error) {
	var n int64
	err := s.inTx(ctx, func(q *querier) (err error) {
		n, err = q.exec(ctx, `INSERT INTO digest_parts (digest, period, part, posted_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (digest, period, part) DO NOTHING`, p.Digest, p.Period, p.Part, p.PostedAt.UTC())
		return err
	})
	if err != nil {
		return false, fmt.Errorf("record digest %s %s part %s: %w", p.Digest, p.Period, p.Part, err)
	}
	return n == 1, nil
}

// ForgetDigestPart removes a recorded part, so that it is posted again.
func (s *Store) ForgetDigestPart(ctx context.Context, digest, period, part string) error {
	err := s.inTx(ctx, func(q *querier) error {
		_, err := q.exec(ctx, `DELETE FROM digest_parts WHERE digest = ? AND period = ? AND part = ?`, digest, period, part)
		return err
	})
	if err != nil {
		return fmt.Errorf("forget digest %s %s part %s: %w", digest, period, part, err)
	}
	return nil
}

// DigestParts lists the recorded parts of a digest's period, by name.
func (s *Store) DigestParts(ctx context.Context, digest, period string) ([]string, error) {
	var out []string
	err := s.inTx(ctx, func(q *querier) error {
		rows, err := q.query(ctx, `SELECT part FROM digest_parts WHERE digest = ? AND period = ? ORDER BY part`, digest, period)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var part string
			if err := rows.Scan(&part); err != nil {
				return err
			}
			out = append(out, part)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list digest %s %s parts: %w", digest, period, err)
	}
	return out, nil
}
