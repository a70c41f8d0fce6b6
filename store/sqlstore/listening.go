package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// Listening data points. A point is unique by source, brand, topic and
// window, so a sender's retry inserts nothing; evaluated marks points that
// spike detection has judged. The alerts and their outbox are in
// listening_alerts.go.

const pointColumns = `id, source, brand, topic, window_start, window_end, mentions, negative, neutral,
	positive, reach, press, samples, received_at, evaluated`

// SaveListeningPoints stores ps and timers in one transaction. A point
// whose window is stored already is left unchanged and reported as a
// duplicate, with the stored point's id and evaluation.
func (s *Store) SaveListeningPoints(ctx context.Context, ps []store.ListeningPoint, timers []bot.Timer) ([]store.PointReceipt, error) {
	for _, p := range ps {
		if err := validPoint(p); err != nil {
			return nil, err
		}
	}
	out := make([]store.PointReceipt, len(ps))
	err := s.inTx(ctx, func(q *querier) error {
		for i, p := range ps {
			r, err := insertPoint(ctx, q, p)
			if err != nil {
				return err
			}
			out[i] = r
		}
		return scheduleTimers(ctx, q, timers...)
	})
	if err != nil {
		return nil, fmt.Errorf("save %d listening points: %w", len(ps), err)
	}
	return out, nil
}

func validPoint(p store.ListeningPoint) error {
	switch {
	case p.Source == "" || p.Brand == "":
		return fmt.Errorf("listening point: source and brand are required")
	case !p.WindowEnd.After(p.WindowStart):
		return fmt.Errorf("listening point %s/%s: window_end %s is not after window_start %s", p.Source, p.Brand, p.WindowEnd, p.WindowStart)
	case p.ReceivedAt.IsZero():
		return fmt.Errorf("listening point %s/%s: no receipt time", p.Source, p.Brand)
	}
	return nil
}

func insertPoint(ctx context.Context, q *querier, p store.ListeningPoint) (store.PointReceipt, error) {
	samples, err := marshalList(p.Samples)
	if err != nil {
		return store.PointReceipt{}, err
	}
	var r store.PointReceipt
	err = q.queryRow(ctx, `INSERT INTO listening_points (source, brand, topic, window_start, window_end,
			mentions, negative, neutral, positive, reach, press, samples, received_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (source, brand, topic, window_start, window_end) DO NOTHING
		RETURNING id, evaluated`,
		p.Source, p.Brand, p.Topic, p.WindowStart, p.WindowEnd,
		p.Mentions, p.Negative, p.Neutral, p.Positive, p.Reach, p.Press, samples, p.ReceivedAt,
	).Scan(&r.ID, &r.Evaluated)
	if !errors.Is(err, ErrNoRows) {
		return r, err
	}
	// The window is stored already: report the stored point.
	r.Duplicate = true
	err = q.queryRow(ctx, `SELECT id, evaluated FROM listening_points
		WHERE source = ? AND brand = ? AND topic = ? AND window_start = ? AND window_end = ?`,
		p.Source, p.Brand, p.Topic, p.WindowStart, p.WindowEnd).Scan(&r.ID, &r.Evaluated)
	return r, err
}

// ListeningSeries returns the series' points whose window ends in
// (after, until], oldest first; a zero until means no upper bound.
func (s *Store) ListeningSeries(ctx context.Context, k store.SeriesKey, after, until time.Time) ([]store.ListeningPoint, error) {
	w := seriesFilter(k)
	w.add("window_end > ?", after)
	if !until.IsZero() {
		w.add("window_end <= ?", until)
	}
	out, err := s.listPoints(ctx, w)
	if err != nil {
		return nil, fmt.Errorf("list listening series %s/%s/%s: %w", k.Source, k.Brand, k.Topic, err)
	}
	return out, nil
}

// UnevaluatedPoints returns the series' points not yet judged, oldest
// window first.
func (s *Store) UnevaluatedPoints(ctx context.Context, k store.SeriesKey) ([]store.ListeningPoint, error) {
	w := seriesFilter(k)
	w.add("evaluated = FALSE")
	out, err := s.listPoints(ctx, w)
	if err != nil {
		return nil, fmt.Errorf("list unevaluated points of %s/%s/%s: %w", k.Source, k.Brand, k.Topic, err)
	}
	return out, nil
}

func seriesFilter(k store.SeriesKey) where {
	w := where{}
	w.add("source = ? AND brand = ? AND topic = ?", k.Source, k.Brand, k.Topic)
	return w
}

func (s *Store) listPoints(ctx context.Context, w where) ([]store.ListeningPoint, error) {
	var out []store.ListeningPoint
	err := s.inTx(ctx, func(q *querier) error {
		rows, err := q.query(ctx, `SELECT `+pointColumns+` FROM listening_points`+w.sql()+`
			ORDER BY window_end, window_start, id`, w.args...)
		if err != nil {
			return err
		}
		out, err = collect(rows, scanPoint)
		return err
	})
	return out, err
}

func scanPoint(r Rows) (store.ListeningPoint, error) {
	var (
		p       store.ListeningPoint
		samples string
	)
	err := r.Scan(&p.ID, &p.Source, &p.Brand, &p.Topic, &p.WindowStart, &p.WindowEnd, &p.Mentions, &p.Negative,
		&p.Neutral, &p.Positive, &p.Reach, &p.Press, &samples, &p.ReceivedAt, &p.Evaluated)
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal([]byte(samples), &p.Samples); err != nil {
		return p, fmt.Errorf("samples of listening point %d: %w", p.ID, err)
	}
	return p, nil
}

// markEvaluated marks points judged; a point judged already means another
// process got there first, which the caller resolves by starting over.
func markEvaluated(ctx context.Context, q *querier, ids []int64) error {
	for _, id := range ids {
		n, err := q.exec(ctx, `UPDATE listening_points SET evaluated = TRUE WHERE id = ? AND evaluated = FALSE`, id)
		if err != nil {
			return err
		}
		if n == 0 {
			return bot.Errorf(bot.EConflict, "listening point %d was judged already", id)
		}
	}
	return nil
}

// marshalList stores a list as JSON, an empty one as "[]".
func marshalList[T any](xs []T) (string, error) {
	if len(xs) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(xs)
	if err != nil {
		return "", fmt.Errorf("marshal %T: %w", xs, err)
	}
	return string(b), nil
}

// zeroAsNull binds a zero time as NULL.
func zeroAsNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// nullTimeValue returns the time of a nullable column, zero when NULL.
func nullTimeValue(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time
}
