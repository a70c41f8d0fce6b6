package alerts

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// timerPrune prunes mentions older than listening.mention_retention. It
// is a durable periodic job: each firing arms the next hour's, and every
// batch of mentions arms the coming hour's too (the same key, so the same
// timer), so the chain starts with the first mention and survives
// restarts; with several replicas the scheduler's claim fires it once.
const timerPrune = "alerts.prune-mentions"

// pruneChunk bounds one DELETE; pruneChunks bounds one firing (the next
// firing goes on).
const (
	pruneChunk  = 10_000
	pruneChunks = 50
)

// MentionsReceipt tells a webhook sender what happened to its mentions.
type MentionsReceipt struct {
	Stored     int `json:"stored"`     // new mentions
	Duplicates int `json:"duplicates"` // known by source and id: nothing changed
}

// IngestMentions stores validated mentions, counts them into their hourly
// windows and judges the windows they changed, like Ingest. A mention
// whose source and id are stored already changes nothing. Concurrent
// calls are saved together (mentions_batch.go).
func (l *Listener) IngestMentions(ctx context.Context, ms []store.Mention) (MentionsReceipt, error) {
	return l.ingestMerged(ctx, ms)
}

// saveMentions stores ms received now, with the safety timers not stored
// yet, notes the changed windows in the copies and returns the series to
// judge.
func (l *Listener) saveMentions(ctx context.Context, ms []store.Mention) (store.MentionsReceipt, []store.SeriesKey, error) {
	now := l.Clock.Now()
	ms = slices.Clone(ms)
	for i := range ms {
		ms[i].ReceivedAt = now
	}
	timers := l.timers.missing(pruneTimer(now), sweepTimer(now))
	r, err := l.Store.SaveMentions(ctx, ms, timers)
	if err != nil {
		return r, nil, fmt.Errorf("store mentions: %w", err)
	}
	l.timers.stored(timers)
	l.noteSaved(r.Windows, r.Receipts, now)
	var todo []store.SeriesKey
	seen := map[store.SeriesKey]bool{}
	for _, w := range r.Windows {
		if k := w.Series(); !seen[k] {
			seen[k] = true
			todo = append(todo, k)
		}
	}
	return r, todo, nil
}

// pruneTimer is the prune job of the hour after now.
func pruneTimer(now time.Time) bot.Timer {
	due := now.UTC().Truncate(time.Hour).Add(time.Hour)
	return timer(timerPrune, "alerts:prune-mentions:"+due.Format("2006-01-02T15"), due, struct{}{})
}

// pruneTimer deletes the mentions received before the retention, then arms
// the next hour's run.
func (l *Listener) pruneTimer(ctx context.Context, _ bot.Timer) error {
	now := l.Clock.Now()
	before := now.Add(-l.Config.Listening.MentionRetention)
	var total int64
	for range pruneChunks {
		n, err := l.Store.PruneMentions(ctx, before, pruneChunk)
		if err != nil {
			return err
		}
		total += n
		if n < pruneChunk {
			break
		}
	}
	if total > 0 {
		l.Log.Info("pruned mentions", "count", total, "received_before", before)
	}
	next := pruneTimer(now)
	return l.Scheduler.Schedule(ctx, next.Kind, next.Key, next.Due, struct{}{})
}
