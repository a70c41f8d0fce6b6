package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// Single mentions. Each is stored once (unique by source and id) and added
// to its hourly window, a listening point marked from_mentions whose counts
// grow and whose revision goes up with every batch, so that spike detection
// judges it again. A tool's point with the same key is never changed.

type mentionKey struct{ source, id string }

// SaveMentions stores the new mentions among ms, adds them to their
// windows and stores timers, in one transaction.
func (s *Store) SaveMentions(ctx context.Context, ms []store.Mention, timers []bot.Timer) (store.MentionsReceipt, error) {
	var out store.MentionsReceipt
	err := s.inTx(ctx, func(q *querier) error {
		out = store.MentionsReceipt{}
		fresh, err := insertMentions(ctx, q, ms)
		if err != nil {
			return err
		}
		out.Stored, out.Duplicates, out.New = len(fresh), len(ms)-len(fresh), newFlags(ms, fresh)
		if out.Windows, out.Receipts, err = addToWindows(ctx, q, fresh); err != nil {
			return err
		}
		return scheduleTimers(ctx, q, timers...)
	})
	if err != nil {
		return store.MentionsReceipt{}, fmt.Errorf("save %d mentions: %w", len(ms), err)
	}
	return out, nil
}

// newFlags marks the first mention of ms with each key in fresh.
func newFlags(ms, fresh []store.Mention) []bool {
	left := make(map[mentionKey]bool, len(fresh))
	for _, m := range fresh {
		left[mentionKey{m.Source, m.ID}] = true
	}
	out := make([]bool, len(ms))
	for i, m := range ms {
		k := mentionKey{m.Source, m.ID}
		out[i] = left[k]
		delete(left, k)
	}
	return out
}

// insertMentions inserts ms in key order and returns those that were new.
func insertMentions(ctx context.Context, q *querier, ms []store.Mention) ([]store.Mention, error) {
	byKey := map[mentionKey]store.Mention{}
	for _, m := range ms {
		if _, ok := byKey[mentionKey{m.Source, m.ID}]; !ok {
			byKey[mentionKey{m.Source, m.ID}] = m
		}
	}
	unique := make([]store.Mention, 0, len(byKey))
	for _, m := range byKey {
		unique = append(unique, m)
	}
	slices.SortFunc(unique, func(a, b store.Mention) int { return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.ID, b.ID)) })
	var fresh []store.Mention
	const cols = 11
	for chunk := range slices.Chunk(unique, rowsPerStatement) {
		args := make([]any, 0, cols*len(chunk))
		for _, m := range chunk {
			args = append(args, m.Source, m.ID, m.Brand, m.Topic, m.At, m.Sentiment, m.Text, m.URL, m.Author, m.Followers, m.ReceivedAt)
		}
		rows, err := q.query(ctx, `INSERT INTO listening_mentions (source, mention_id, brand, topic, at, sentiment,
				text, url, author, followers, received_at)
			VALUES `+placeholders(len(chunk), cols)+`
			ON CONFLICT (source, mention_id) DO NOTHING
			RETURNING source, mention_id`, args...)
		if err != nil {
			return nil, fmt.Errorf("insert %d mentions: %w", len(chunk), err)
		}
		err = scanEach(rows, func(r Rows) error {
			var k mentionKey
			if err := r.Scan(&k.source, &k.id); err != nil {
				return err
			}
			fresh = append(fresh, byKey[k])
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return fresh, nil
}

// addToWindows adds new mentions to their hourly windows (one upsert per
// chunk of windows) and bumps the series' change counters.
func addToWindows(ctx context.Context, q *querier, ms []store.Mention) ([]store.ListeningPoint, []store.PointReceipt, error) {
	sums := map[pointKey]*store.ListeningPoint{}
	for _, m := range ms {
		start := m.MentionWindow()
		p := store.ListeningPoint{Source: m.Source, Brand: m.Brand, Topic: m.Topic, WindowStart: start, WindowEnd: start.Add(time.Hour), ReceivedAt: m.ReceivedAt, FromMentions: true}
		k := keyOf(p)
		if sums[k] == nil {
			sums[k] = &p
		}
		w := sums[k]
		w.Mentions++
		w.Reach += m.Followers
		switch {
		case m.Sentiment < 0:
			w.Negative++
		case m.Sentiment > 0:
			w.Positive++
		default:
			w.Neutral++
		}
	}
	windows := make([]store.ListeningPoint, 0, len(sums))
	for _, w := range sums {
		windows = append(windows, *w)
	}
	slices.SortFunc(windows, func(a, b store.ListeningPoint) int { return compareKeys(keyOf(a), keyOf(b)) })
	var out []store.ListeningPoint
	const cols = 12
	for chunk := range slices.Chunk(windows, rowsPerStatement) {
		args := make([]any, 0, cols*len(chunk))
		for _, w := range chunk {
			args = append(args, w.Source, w.Brand, w.Topic, w.WindowStart, w.WindowEnd, w.Mentions, w.Negative,
				w.Neutral, w.Positive, w.Reach, w.ReceivedAt, true)
		}
		rows, err := q.query(ctx, `INSERT INTO listening_points AS p (source, brand, topic, window_start, window_end,
				mentions, negative, neutral, positive, reach, received_at, from_mentions)
			VALUES `+placeholders(len(chunk), cols)+`
			ON CONFLICT (source, brand, topic, window_start, window_end) DO UPDATE SET
				mentions = p.mentions + excluded.mentions, negative = p.negative + excluded.negative,
				neutral = p.neutral + excluded.neutral, positive = p.positive + excluded.positive,
				reach = p.reach + excluded.reach, revision = p.revision + 1, evaluated = FALSE
			WHERE p.from_mentions
			RETURNING `+pointColumns, args...)
		if err != nil {
			return nil, nil, fmt.Errorf("add mentions to %d windows: %w", len(chunk), err)
		}
		got, err := collect(rows, scanPoint)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, got...)
	}
	added := map[store.SeriesKey]int64{}
	for _, p := range out {
		added[p.Series()]++
	}
	changes, err := bumpSeries(ctx, q, added)
	if err != nil {
		return nil, nil, err
	}
	receipts := make([]store.PointReceipt, len(out))
	for i, p := range out {
		receipts[i] = store.PointReceipt{ID: p.ID, SeriesChanges: changes[p.Series()]}
	}
	return out, receipts, nil
}

// TopMentions returns the group's mentions in [from, to) with the most
// followers.
func (s *Store) TopMentions(ctx context.Context, brand, topic string, from, to time.Time, limit int) ([]store.Mention, error) {
	var out []store.Mention
	err := s.read(ctx, func(q *querier) error { // one read
		rows, err := q.query(ctx, `SELECT source, mention_id, brand, topic, at, sentiment, text, url, author, followers, received_at
			FROM listening_mentions WHERE brand = ? AND topic = ? AND at >= ? AND at < ?
			ORDER BY followers DESC, at, id LIMIT ?`, brand, topic, from, to, limit)
		if err != nil {
			return err
		}
		out, err = collect(rows, func(r Rows) (store.Mention, error) {
			var m store.Mention
			err := r.Scan(&m.Source, &m.ID, &m.Brand, &m.Topic, &m.At, &m.Sentiment, &m.Text, &m.URL, &m.Author, &m.Followers, &m.ReceivedAt)
			return m, err
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("top mentions of %s: %w", groupName(brand, topic), err)
	}
	return out, nil
}

// MentionStats counts the group's mentions in [from, to) and returns the
// texts of the most recent limit.
func (s *Store) MentionStats(ctx context.Context, brand, topic string, from, to time.Time, limit int) (store.MentionStats, error) {
	var out store.MentionStats
	err := s.read(ctx, func(q *querier) error { // reads; no snapshot needed
		err := q.queryRow(ctx, `SELECT count(*), COALESCE(SUM(CASE WHEN sentiment < 0 THEN 1 ELSE 0 END), 0)
			FROM listening_mentions WHERE brand = ? AND topic = ? AND at >= ? AND at < ?`,
			brand, topic, from, to).Scan(&out.Count, &out.Negative)
		if err != nil || out.Count == 0 {
			return err // no texts to read: alerts on tools' counts alone ask this at every opening
		}
		rows, err := q.query(ctx, `SELECT text FROM listening_mentions WHERE brand = ? AND topic = ? AND at >= ? AND at < ?
			ORDER BY at DESC, id DESC LIMIT ?`, brand, topic, from, to, limit)
		if err != nil {
			return err
		}
		out.Texts, err = collect(rows, func(r Rows) (string, error) {
			var t string
			return t, r.Scan(&t)
		})
		return err
	})
	if err != nil {
		return out, fmt.Errorf("mention stats of %s: %w", groupName(brand, topic), err)
	}
	return out, nil
}

// PruneMentions deletes at most limit mentions received before before.
func (s *Store) PruneMentions(ctx context.Context, before time.Time, limit int) (int64, error) {
	var n int64
	err := s.inTx(ctx, func(q *querier) error {
		var err error
		n, err = q.exec(ctx, `DELETE FROM listening_mentions WHERE id IN (
			SELECT id FROM listening_mentions WHERE received_at < ? ORDER BY received_at LIMIT ?)`, before, limit)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune mentions received before %s: %w", before.UTC().Format(time.RFC3339), err)
	}
	return n, nil
}
