package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// kpiRowsPerStatement bounds one multi-row INSERT: 9 placeholders a row
// stays far below both databases' limits on bound parameters.
const kpiRowsPerStatement = 500

// PutKPIPoints upserts ps in one transaction.
func (s *Store) PutKPIPoints(ctx context.Context, ps []store.KPIPoint) error {
	ps, err := uniqueKPIPoints(ps)
	if err != nil {
		return err
	}
	err = s.inTx(ctx, func(q *querier) error {
		for len(ps) > 0 {
			n := min(len(ps), kpiRowsPerStatement)
			if err := upsertKPIPoints(ctx, q, ps[:n]); err != nil {
				return err
			}
			ps = ps[n:]
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("put KPI points: %w", err)
	}
	return nil
}

// uniqueKPIPoints checks ps, keeps the point of each key sent last (the
// last of those sent together; one INSERT … ON CONFLICT DO UPDATE may not
// touch a row twice on PostgreSQL) and sorts
// them by key, so that concurrent writes of the same points lock their rows
// in the same order: in the order given, two webhook deliveries or imports
// listing them differently deadlock on PostgreSQL.
func uniqueKPIPoints(ps []store.KPIPoint) ([]store.KPIPoint, error) {
	type key struct {
		metric, brand, channel string
		start, end             time.Time
	}
	at := make(map[key]int, len(ps))
	out := make([]store.KPIPoint, 0, len(ps))
	for _, p := range ps {
		if err := checkKPIPoint(p); err != nil {
			return nil, err
		}
		k := key{p.Metric, p.Brand, p.Channel, dbTime(p.Start), dbTime(p.End)}
		if i, dup := at[k]; dup {
			if !dbTime(p.SentAt).Before(dbTime(out[i].SentAt)) {
				out[i] = p
			}
			continue
		}
		at[k] = len(out)
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b store.KPIPoint) int {
		return cmp.Or(
			strings.Compare(a.Metric, b.Metric),
			strings.Compare(a.Brand, b.Brand),
			strings.Compare(a.Channel, b.Channel),
			dbTime(a.Start).Compare(dbTime(b.Start)),
			dbTime(a.End).Compare(dbTime(b.End)),
		)
	})
	return out, nil
}

func checkKPIPoint(p store.KPIPoint) error {
	switch {
	case p.Metric == "" || p.Brand == "" || p.Channel == "":
		return bot.Errorf(bot.EInvalid, "a KPI point needs a metric, a brand and a channel")
	case !dbTime(p.End).After(dbTime(p.Start)):
		return bot.Errorf(bot.EInvalid, "KPI point %s/%s/%s: the period must end after it starts", p.Metric, p.Brand, p.Channel)
	case !finite(p.Value) || !finite(p.Numerator) || !finite(p.Denominator):
		return bot.Errorf(bot.EInvalid, "KPI point %s/%s/%s: numbers must be finite", p.Metric, p.Brand, p.Channel)
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// upsertKPIPoints inserts ps, replacing a stored point of the same key
// only if it was sent at the same time or earlier: a replayed or delayed
// delivery leaves a newer value as it is.
func upsertKPIPoints(ctx context.Context, q *querier, ps []store.KPIPoint) error {
	var b strings.Builder
	b.WriteString(`INSERT INTO kpi_points (metric, brand, channel, period_start, period_end, value, numerator, denominator, sent_at) VALUES `)
	args := make([]any, 0, 9*len(ps))
	for i, p := range ps {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?)")
		var value, num, den any = p.Value, nil, nil
		if p.Ratio {
			value, num, den = nil, p.Numerator, p.Denominator
		}
		args = append(args, p.Metric, p.Brand, p.Channel, p.Start, p.End, value, num, den, p.SentAt)
	}
	b.WriteString(` ON CONFLICT (metric, brand, channel, period_start, period_end) DO UPDATE SET
		value = excluded.value, numerator = excluded.numerator, denominator = excluded.denominator, sent_at = excluded.sent_at
		WHERE kpi_points.sent_at <= excluded.sent_at`)
	if _, err := q.exec(ctx, b.String(), args...); err != nil {
		return fmt.Errorf("upsert %d KPI points: %w", len(ps), err)
	}
	return nil
}

// kpiWhere selects the points of f whose start is in [from, to).
func kpiWhere(f store.KPIFilter, from, to time.Time) where {
	w := where{}
	w.add("metric = ?", f.Metric)
	if f.Brand != "" {
		w.add("brand = ?", f.Brand)
	}
	if f.Channel != "" {
		w.add("channel = ?", f.Channel)
	}
	w.add("period_start >= ?", from)
	w.add("period_start < ?", to)
	return w
}

// KPIBuckets adds up the points of f per period, in one query: a CASE
// puts each point in its period.
func (s *Store) KPIBuckets(ctx context.Context, f store.KPIFilter, bounds []time.Time) ([]store.KPIBucket, error) {
	if err := checkBounds(bounds); err != nil || len(bounds) < 2 {
		return nil, err
	}
	from, args := bucketedKPIPoints(f, bounds)
	out := make([]store.KPIBucket, len(bounds)-1)
	err := s.inTx(ctx, func(q *querier) error {
		rows, err := q.query(ctx, `SELECT bucket, COUNT(*), COALESCE(SUM(numerator), 0), COALESCE(SUM(denominator), 0),
				COUNT(value), COALESCE(SUM(value), 0)
			FROM `+from+` GROUP BY bucket`, args...)
		if err != nil {
			return err
		}
		return eachBucket(rows, len(out), func(r Rows) (int, error) {
			var i int
			var b store.KPIBucket
			err := r.Scan(&i, &b.Points, &b.Numerator, &b.Denominator, &b.Values, &b.Sum)
			if err == nil && i >= 0 && i < len(out) {
				out[i] = b
			}
			return i, err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("KPI buckets of %s: %w", f.Metric, err)
	}
	return out, nil
}

// KPILatest adds up each series' latest value per period: a window numbers
// the value points of each period, brand and channel, latest first. It
// costs a sort, so only KPIs aggregated by "last" ask for it.
func (s *Store) KPILatest(ctx context.Context, f store.KPIFilter, bounds []time.Time) ([]float64, error) {
	if err := checkBounds(bounds); err != nil || len(bounds) < 2 {
		return nil, err
	}
	from, args := bucketedKPIPoints(f, bounds)
	out := make([]float64, len(bounds)-1)
	err := s.inTx(ctx, func(q *querier) error {
		rows, err := q.query(ctx, `SELECT bucket, COALESCE(SUM(value), 0) FROM (
				SELECT bucket, value, ROW_NUMBER() OVER (
					PARTITION BY bucket, brand, channel ORDER BY period_start DESC, period_end DESC) AS rn
				FROM `+from+` WHERE value IS NOT NULL
			) r WHERE rn = 1 GROUP BY bucket`, args...)
		if err != nil {
			return err
		}
		return eachBucket(rows, len(out), func(r Rows) (int, error) {
			var i int
			var sum float64
			err := r.Scan(&i, &sum)
			if err == nil && i >= 0 && i < len(out) {
				out[i] = sum
			}
			return i, err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("latest KPI values of %s: %w", f.Metric, err)
	}
	return out, nil
}

func checkBounds(bounds []time.Time) error {
	for i := 1; i < len(bounds); i++ {
		if !bounds[i].After(bounds[i-1]) {
			return fmt.Errorf("KPI periods: bounds must increase (%v then %v)", bounds[i-1], bounds[i])
		}
	}
	return nil
}

// bucketedKPIPoints returns a subquery, "(…) p", of f's points in
// [bounds[0], bounds[n]) with a bucket column (the index of each point's
// period), and the arguments of its placeholders in order.
func bucketedKPIPoints(f store.KPIFilter, bounds []time.Time) (string, []any) {
	var bucket strings.Builder
	args := make([]any, 0, len(bounds)+4)
	if len(bounds) == 2 {
		bucket.WriteString("0")
	} else {
		bucket.WriteString("CASE")
		for i, b := range bounds[1 : len(bounds)-1] {
			fmt.Fprintf(&bucket, " WHEN period_start < ? THEN %d", i)
			args = append(args, b)
		}
		fmt.Fprintf(&bucket, " ELSE %d END", len(bounds)-2)
	}
	w := kpiWhere(f, bounds[0], bounds[len(bounds)-1])
	args = append(args, w.args...)
	return `(SELECT brand, channel, period_start, period_end, value, numerator, denominator, ` + bucket.String() + ` AS bucket
		FROM kpi_points` + w.sql() + `) p`, args
}

// eachBucket reads every row with scan, which returns the row's bucket
// index; an index outside [0, n) means the query is wrong.
func eachBucket(rows Rows, n int, scan func(r Rows) (int, error)) error {
	defer rows.Close()
	for rows.Next() {
		i, err := scan(rows)
		if err != nil {
			return err
		}
		if i < 0 || i >= n {
			return fmt.Errorf("bucket %d outside the %d periods", i, n)
		}
	}
	return rows.Err()
}

// KPIValues lists the value points of f starting in [from, to), oldest
// first.
func (s *Store) KPIValues(ctx context.Context, f store.KPIFilter, from, to time.Time) ([]store.KPIValue, error) {
	w := kpiWhere(f, from, to)
	w.add("value IS NOT NULL")
	var out []store.KPIValue
	err := s.inTx(ctx, func(q *querier) error {
		rows, err := q.query(ctx, `SELECT period_start, value FROM kpi_points`+w.sql()+`
			ORDER BY period_start, period_end, brand, channel`, w.args...)
		if err != nil {
			return err
		}
		out, err = collect(rows, func(r Rows) (v store.KPIValue, err error) {
			err = r.Scan(&v.Start, &v.Value)
			return v, err
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("KPI values of %s: %w", f.Metric, err)
	}
	return out, nil
}
