package sqlstore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// Listening points in batches: a webhook's points are stored with one
// multi-row INSERT per chunk, the duplicates found with one SELECT, and the
// series' change counters bumped with one upsert, so ingestion costs a few
// statements per request rather than two per point.

// rowsPerStatement bounds the rows of one multi-row statement: 500 points
// of 13 columns stay far below SQLite's and PostgreSQL's parameter limits.
const rowsPerStatement = 500

// pointKey is a point's unique key, times to the stored microsecond.
type pointKey struct {
	source, brand, topic string
	start, end           int64
}

func keyOf(p store.ListeningPoint) pointKey {
	return pointKey{p.Source, p.Brand, p.Topic, dbTime(p.WindowStart).UnixMicro(), dbTime(p.WindowEnd).UnixMicro()}
}

func compareKeys(a, b pointKey) int {
	return cmp.Or(cmp.Compare(a.source, b.source), cmp.Compare(a.brand, b.brand), cmp.Compare(a.topic, b.topic),
		cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end))
}

// savePoints inserts ps, finds the stored ones, bumps the counters and
// returns a receipt per point. Rows go in key order, so that two
// transactions inserting overlapping batches lock in the same order.
func savePoints(ctx context.Context, q *querier, ps []store.ListeningPoint) ([]store.PointReceipt, error) {
	first := map[pointKey]int{}
	var unique []store.ListeningPoint
	for i, p := range ps {
		if _, ok := first[keyOf(p)]; !ok {
			first[keyOf(p)] = i
			unique = append(unique, p)
		}
	}
	slices.SortFunc(unique, func(a, b store.ListeningPoint) int { return compareKeys(keyOf(a), keyOf(b)) })
	got := map[pointKey]store.PointReceipt{}
	var changes map[store.SeriesKey]int64 // when counted with the insert
	if q.dialect == Postgres && len(unique) <= rowsPerStatement {
		var err error
		if changes, err = insertCounting(ctx, q, unique, got); err != nil {
			return nil, err
		}
	} else {
		for chunk := range slices.Chunk(unique, rowsPerStatement) {
			if err := insertPoints(ctx, q, chunk, got); err != nil {
				return nil, err
			}
		}
	}
	added := map[store.SeriesKey]int64{}
	var missing []store.ListeningPoint
	for _, p := range unique {
		if _, ok := got[keyOf(p)]; ok {
			added[p.Series()]++
		} else {
			missing = append(missing, p)
		}
	}
	for chunk := range slices.Chunk(missing, rowsPerStatement) {
		if err := storedPoints(ctx, q, chunk, got); err != nil {
			return nil, err
		}
	}
	if changes == nil {
		var err error
		if changes, err = bumpSeries(ctx, q, added); err != nil {
			return nil, err
		}
	}
	if err := keepPrejudged(ctx, q, unique, got, added, changes); err != nil {
		return nil, err
	}
	out := make([]store.PointReceipt, len(ps))
	for i, p := range ps {
		r, ok := got[keyOf(p)]
		if !ok {
			return nil, fmt.Errorf("listening point %s/%s/%s %s: neither inserted nor found", p.Source, p.Brand, p.Topic, p.WindowStart)
		}
		if first[keyOf(p)] != i {
			r.Duplicate, r.SeriesChanges = true, 0
		} else if !r.Duplicate {
			r.SeriesChanges = changes[p.Series()]
		}
		out[i] = r
	}
	return out, nil
}

// insertPoints inserts ps with one statement; got receives the new ones.
func insertPoints(ctx context.Context, q *querier, ps []store.ListeningPoint, got map[pointKey]store.PointReceipt) error {
	insert, args, err := pointsInsert(ps)
	if err != nil {
		return err
	}
	rows, err := q.query(ctx, insert+` RETURNING id, source, brand, topic, window_start, window_end, evaluated`, args...)
	if err != nil {
		return fmt.Errorf("insert %d points: %w", len(ps), err)
	}
	return scanReceipts(rows, false, got)
}

// pointsInsert is the statement inserting ps, those stored already left
// alone, and its arguments.
func pointsInsert(ps []store.ListeningPoint) (string, []any, error) {
	const cols = 14
	args := make([]any, 0, cols*len(ps))
	for _, p := range ps {
		samples, err := marshalList(p.Samples)
		if err != nil {
			return "", nil, err
		}
		args = append(args, p.Source, p.Brand, p.Topic, p.WindowStart, p.WindowEnd,
			p.Mentions, p.Negative, p.Neutral, p.Positive, p.Reach, p.Press, samples, p.ReceivedAt, p.Prejudged)
	}
	return `INSERT INTO listening_points (source, brand, topic, window_start, window_end,
			mentions, negative, neutral, positive, reach, press, samples, received_at, evaluated)
		VALUES ` + placeholders(len(ps), cols) + `
		ON CONFLICT (source, brand, topic, window_start, window_end) DO NOTHING`, args, nil
}

// insertCounting inserts ps and bumps the change counters of their series
// by the points new to each in one PostgreSQL statement, a round trip
// fewer in every save than insertPoints and then bumpSeries: the counters
// read the insert's RETURNING (a data-modifying WITH sees no other's
// changes). got receives the new points; the counters come back as
// written. Counters are taken in bumpSeries' order, byte order, so that
// saves of either kind never wait for each other in a circle.
func insertCounting(ctx context.Context, q *querier, ps []store.ListeningPoint, got map[pointKey]store.PointReceipt) (map[store.SeriesKey]int64, error) {
	insert, args, err := pointsInsert(ps)
	if err != nil {
		return nil, err
	}
	rows, err := q.query(ctx, `WITH inserted AS (`+insert+`
			RETURNING id, source, brand, topic, window_start, window_end, evaluated),
		counted AS (INSERT INTO listening_series (source, brand, topic, changes)
			SELECT source, brand, topic, count(*) FROM inserted GROUP BY source, brand, topic
			ORDER BY source COLLATE "C", brand COLLATE "C", topic COLLATE "C"
			ON CONFLICT (source, brand, topic) DO UPDATE SET changes = listening_series.changes + excluded.changes
			RETURNING source, brand, topic, changes)
		SELECT id, source, brand, topic, window_start, window_end, evaluated, 0 FROM inserted
		UNION ALL
		SELECT 0, source, brand, topic, NULL, NULL, FALSE, changes FROM counted`, args...)
	if err != nil {
		return nil, fmt.Errorf("insert %d points and count their series' changes: %w", len(ps), err)
	}
	changes := map[store.SeriesKey]int64{}
	err = scanEach(rows, func(r Rows) error {
		var (
			id, n      int64
			k          pointKey
			start, end *time.Time
			rc         store.PointReceipt
		)
		if err := r.Scan(&id, &k.source, &k.brand, &k.topic, &start, &end, &rc.Evaluated, &n); err != nil {
			return err
		}
		if start == nil { // a counter
			changes[store.SeriesKey{Source: k.source, Brand: k.brand, Topic: k.topic}] = n
			return nil
		}
		rc.ID = id
		k.start, k.end = dbTime(*start).UnixMicro(), dbTime(*end).UnixMicro()
		got[k] = rc
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("insert %d points and count their series' changes: %w", len(ps), err)
	}
	return changes, nil
}

// keepPrejudged keeps a series' prejudged points judged only if its change
// count before this save was the one the caller judged against; otherwise
// another writer changed the series meanwhile, and its new points are
// stored unjudged, to be judged as usual. The counter's row lock, taken by
// bumpSeries, makes the check hold until commit.
func keepPrejudged(ctx context.Context, q *querier, ps []store.ListeningPoint, got map[pointKey]store.PointReceipt,
	added, changes map[store.SeriesKey]int64) error {
	var undo []int64
	for _, p := range ps {
		r, ok := got[keyOf(p)]
		if !p.Prejudged || !ok || r.Duplicate || !r.Evaluated {
			continue
		}
		if k := p.Series(); changes[k]-added[k] != p.PriorChanges {
			undo = append(undo, r.ID)
			r.Evaluated = false
			got[keyOf(p)] = r
		}
	}
	for chunk := range slices.Chunk(undo, rowsPerStatement) {
		_, err := q.exec(ctx, `UPDATE listening_points SET evaluated = FALSE WHERE id IN (`+inList(len(chunk))+`)`, anys(chunk)...)
		if err != nil {
			return fmt.Errorf("unjudge %d points judged against a stale copy: %w", len(chunk), err)
		}
	}
	return nil
}

// storedPoints finds the stored points with the keys of ps.
func storedPoints(ctx context.Context, q *querier, ps []store.ListeningPoint, got map[pointKey]store.PointReceipt) error {
	conds := make([]string, len(ps))
	args := make([]any, 0, 5*len(ps))
	for i, p := range ps {
		conds[i] = "(source = ? AND brand = ? AND topic = ? AND window_start = ? AND window_end = ?)"
		args = append(args, p.Source, p.Brand, p.Topic, p.WindowStart, p.WindowEnd)
	}
	rows, err := q.query(ctx, `SELECT id, source, brand, topic, window_start, window_end, evaluated
		FROM listening_points WHERE `+strings.Join(conds, " OR "), args...)
	if err != nil {
		return fmt.Errorf("find %d stored points: %w", len(ps), err)
	}
	return scanReceipts(rows, true, got)
}

func scanReceipts(rows Rows, duplicate bool, got map[pointKey]store.PointReceipt) error {
	defer rows.Close()
	for rows.Next() {
		var (
			k          pointKey
			start, end time.Time
			r          = store.PointReceipt{Duplicate: duplicate}
		)
		if err := rows.Scan(&r.ID, &k.source, &k.brand, &k.topic, &start, &end, &r.Evaluated); err != nil {
			return err
		}
		k.start, k.end = dbTime(start).UnixMicro(), dbTime(end).UnixMicro()
		got[k] = r
	}
	return rows.Err()
}

// bumpSeries adds each series' new points to its change counter and
// returns the counters as written.
func bumpSeries(ctx context.Context, q *querier, added map[store.SeriesKey]int64) (map[store.SeriesKey]int64, error) {
	out := map[store.SeriesKey]int64{}
	keys := make([]store.SeriesKey, 0, len(added))
	for k, n := range added {
		if n > 0 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b store.SeriesKey) int {
		return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Brand, b.Brand), cmp.Compare(a.Topic, b.Topic))
	})
	for chunk := range slices.Chunk(keys, rowsPerStatement) {
		args := make([]any, 0, 4*len(chunk))
		for _, k := range chunk {
			args = append(args, k.Source, k.Brand, k.Topic, added[k])
		}
		rows, err := q.query(ctx, `INSERT INTO listening_series (source, brand, topic, changes)
			VALUES `+placeholders(len(chunk), 4)+`
			ON CONFLICT (source, brand, topic) DO UPDATE SET changes = listening_series.changes + excluded.changes
			RETURNING source, brand, topic, changes`, args...)
		if err != nil {
			return nil, fmt.Errorf("count changes of %d series: %w", len(chunk), err)
		}
		err = scanEach(rows, func(r Rows) error {
			var (
				k store.SeriesKey
				n int64
			)
			if err := r.Scan(&k.Source, &k.Brand, &k.Topic, &n); err != nil {
				return err
			}
			out[k] = n
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func scanEach(rows Rows, f func(Rows) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := f(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// placeholders returns n rows of cols placeholders: "(?, ?), (?, ?)".
func placeholders(n, cols int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

// SeriesSince returns the series' change counter and its points whose
// window ends after after. The counter is read first: a change committed
// between the two reads makes the points newer than the counter says,
// which the caller sees as a miss at its next save, never as a stale hit.
func (s *Store) SeriesSince(ctx context.Context, k store.SeriesKey, after time.Time) ([]store.ListeningPoint, int64, error) {
	var (
		out     []store.ListeningPoint
		changes int64
	)
	err := s.read(ctx, func(q *querier) error { // the counter first; no snapshot needed
		err := q.queryRow(ctx, `SELECT changes FROM listening_series WHERE source = ? AND brand = ? AND topic = ?`,
			k.Source, k.Brand, k.Topic).Scan(&changes)
		if err != nil && !errors.Is(err, ErrNoRows) {
			return err
		}
		w := seriesFilter(k)
		w.add("window_end > ?", after)
		rows, err := q.query(ctx, `SELECT `+pointColumns+` FROM listening_points`+w.sql()+`
			ORDER BY window_end, window_start, id`, w.args...)
		if err != nil {
			return err
		}
		out, err = collect(rows, scanPoint)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("read series %s/%s/%s: %w", k.Source, k.Brand, k.Topic, err)
	}
	return out, changes, nil
}

// MarkPointsJudged marks the points judged that are still unjudged at the
// revision given, one statement per chunk, and returns the others.
func (s *Store) MarkPointsJudged(ctx context.Context, ids, revisions []int64) ([]int64, error) {
	var missed []int64
	err := s.inTx(ctx, func(q *querier) error {
		missed = nil
		marked, err := markJudged(ctx, q, ids, revisions)
		for _, id := range ids {
			if !marked[id] {
				missed = append(missed, id)
			}
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("mark %d points judged: %w", len(ids), err)
	}
	return missed, nil
}

// markEvaluated marks points judged for an alert change; a point judged or
// revised already means another process got there first, which the caller
// resolves by starting over.
func markEvaluated(ctx context.Context, q *querier, ids, revisions []int64) error {
	marked, err := markJudged(ctx, q, ids, revisions)
	if err != nil {
		return err
	}
	if len(marked) != len(ids) {
		return &bot.Error{Code: bot.EConflict, Message: fmt.Sprintf("%d of %d listening points", len(ids)-len(marked), len(ids)), Err: store.ErrPointsTaken}
	}
	return nil
}

// markJudged sets evaluated on the unjudged points among ids, each only at
// its revision when revisions is given, and returns those it set.
func markJudged(ctx context.Context, q *querier, ids, revisions []int64) (map[int64]bool, error) {
	marked := map[int64]bool{}
	for lo := 0; lo < len(ids); lo += rowsPerStatement {
		hi := min(lo+rowsPerStatement, len(ids))
		args := make([]any, 0, 3*(hi-lo))
		for _, id := range ids[lo:hi] {
			args = append(args, id)
		}
		revCond := ""
		if revisions != nil {
			// revision = CASE id WHEN 7 THEN 2 … END pairs each id with its
			// revision in one indexable statement.
			revCond = " AND revision = CASE id" + strings.Repeat(" WHEN CAST(? AS BIGINT) THEN CAST(? AS BIGINT)", hi-lo) + " END"
			for i := lo; i < hi; i++ {
				args = append(args, ids[i], revisions[i])
			}
		}
		// A point another transaction holds (a window growing with a batch
		// of mentions) is skipped, not waited for: it is revised anyway,
		// and waiting could deadlock with that batch, which locks its
		// windows in key order.
		rows, err := q.query(ctx, `UPDATE listening_points SET evaluated = TRUE WHERE id IN (
				SELECT id FROM listening_points
				WHERE id IN (`+strings.TrimSuffix(strings.Repeat("?, ", hi-lo), ", ")+`) AND evaluated = FALSE`+revCond+`
				ORDER BY id `+q.dialect.skipLocked()+`)
			RETURNING id`, args...)
		if err != nil {
			return nil, err
		}
		err = scanEach(rows, func(r Rows) error {
			var id int64
			err := r.Scan(&id)
			marked[id] = true
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return marked, nil
}

// UnjudgedSeries lists series with unjudged points received before before.
func (s *Store) UnjudgedSeries(ctx context.Context, before time.Time, limit int) ([]store.SeriesKey, error) {
	var out []store.SeriesKey
	err := s.inTx(ctx, func(q *querier) error {
		rows, err := q.query(ctx, `SELECT DISTINCT source, brand, topic FROM listening_points
			WHERE evaluated = FALSE AND received_at < ? ORDER BY source, brand, topic LIMIT ?`, before, limit)
		if err != nil {
			return err
		}
		out, err = collect(rows, func(r Rows) (store.SeriesKey, error) {
			var k store.SeriesKey
			return k, r.Scan(&k.Source, &k.Brand, &k.Topic)
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list unjudged series: %w", err)
	}
	return out, nil
}
