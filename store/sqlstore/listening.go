package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
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
	positive, reach, press, samples, received_at, evaluated, from_mentions, revision`

// SaveListeningPoints stores ps and timers in one transaction, a few
// statements per batch rather than one per point (listening_batch.go). A
// point whose window is stored already is left unchanged and reported as a
// duplicate, with the stored point's id and evaluation.
func (s *Store) SaveListeningPoints(ctx context.Context, ps []store.ListeningPoint, timers []bot.Timer) ([]store.PointReceipt, error) {
	for _, p := range ps {
		if err := validPoint(p); err != nil {
			return nil, err
		}
	}
	var out []store.PointReceipt
	err := s.inTx(ctx, func(q *querier) error {
		var err error
		if out, err = savePoints(ctx, q, ps); err != nil {
			return err
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
	err := s.read(ctx, func(q *querier) error { // one read
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
		&p.Neutral, &p.Positive, &p.Reach, &p.Press, &samples, &p.ReceivedAt, &p.Evaluated, &p.FromMentions, &p.Revision)
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal([]byte(samples), &p.Samples); err != nil {
		return p, fmt.Errorf("samples of listening point %d: %w", p.ID, err)
	}
	return p, nil
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
