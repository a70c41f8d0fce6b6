package alerts

import (
	"context"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// Group commit of listening points. Concurrent Ingest calls of a replica
// are saved in one transaction (bot.Group): one multi-row insert and one
// counter upsert for all of them, where separate saves would each pay a
// transaction and, on SQLite's single connection, queue for it. On
// PostgreSQL a few such merged saves run at once. Each call
// then judges its own series as before.

// maxSavesTogether bounds the calls of one merged save.
const maxSavesTogether = 16

// pointsSave is one Ingest call's save: its points and the safety timers
// it found missing.
type pointsSave struct {
	points []store.ListeningPoint
	timers []bot.Timer
}

// saved is a call's receipts, or why its save failed.
type saved struct {
	receipts []store.PointReceipt
	err      error
}

func newSaveGroup(l *Listener) *bot.Group[pointsSave, saved] {
	g := bot.NewGroup(maxSavesTogether, func(ctx context.Context, saves []pointsSave) ([]saved, error) {
		// The merged save carries other calls' points: the leader's
		// caller hanging up must not cancel it.
		return l.saveTogether(context.WithoutCancel(ctx), saves), nil
	})
	// Where the store writes in parallel, merged saves go in parallel too;
	// two saves of one series are ordered by its counter row, as two
	// unmerged calls are.
	if w, ok := l.Store.(store.ParallelWriter); ok {
		g.SetRuns(w.ParallelWrites())
	}
	return g
}

// savePoints saves one call's points, together with those of the calls
// that arrive meanwhile.
func (l *Listener) savePoints(ctx context.Context, points []store.ListeningPoint, timers []bot.Timer) ([]store.PointReceipt, error) {
	r, err := l.saves.Do(ctx, pointsSave{points: points, timers: timers})
	if err != nil {
		return nil, err
	}
	return r.receipts, r.err
}

// saveTogether saves the calls' points in one transaction and returns each
// call's receipts. A series sent by two calls is stored unjudged: each
// call judged it without the other's points. If the merged save fails, each
// call is saved alone, so one call's bad point fails only that call.
func (l *Listener) saveTogether(ctx context.Context, saves []pointsSave) []saved {
	out := make([]saved, len(saves))
	if len(saves) == 1 {
		out[0].receipts, out[0].err = l.Store.SaveListeningPoints(ctx, saves[0].points, saves[0].timers)
		return out
	}
	all, timers := mergeSaves(saves)
	receipts, err := l.Store.SaveListeningPoints(ctx, all, timers)
	if err != nil {
		for i, s := range saves {
			out[i].receipts, out[i].err = l.Store.SaveListeningPoints(ctx, s.points, s.timers)
		}
		return out
	}
	off := 0
	for i, s := range saves {
		out[i].receipts = receipts[off : off+len(s.points)]
		off += len(s.points)
	}
	return out
}

// mergeSaves concatenates the calls' points, prejudged only for series
// that no other call sent, and their timers, each key once.
func mergeSaves(saves []pointsSave) ([]store.ListeningPoint, []bot.Timer) {
	sender := map[store.SeriesKey]int{}
	shared := map[store.SeriesKey]bool{}
	for i, s := range saves {
		for _, p := range s.points {
			if j, ok := sender[p.Series()]; ok && j != i {
				shared[p.Series()] = true
			}
			sender[p.Series()] = i
		}
	}
	var (
		all    []store.ListeningPoint
		timers []bot.Timer
		keys   = map[string]bool{}
	)
	for _, s := range saves {
		for _, p := range s.points {
			if shared[p.Series()] {
				p.Prejudged = false
			}
			all = append(all, p)
		}
		for _, t := range s.timers {
			if !keys[t.Key] {
				keys[t.Key] = true
				timers = append(timers, t)
			}
		}
	}
	return all, timers
}
