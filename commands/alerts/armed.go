package alerts

import (
	"sync"

	"github.com/interlock-coe/interlock/bot"
)

// armed remembers the safety timers (the sweep of the minute, the prune of
// the hour) that this replica has stored in a committed batch. Every batch
// of the same minute carries the same timer, with the same key and due
// time, so storing it again changes nothing but costs an upsert of one row
// that every concurrent batch would wait for, and on PostgreSQL a
// notification whose commit lock serialises every committing transaction.
// A timer's key changes before it falls due, so a remembered one is still
// pending whenever a batch leaves it out.
type armed struct {
	mu   sync.Mutex
	keys map[string]string // timer kind → key of the last one stored
}

func newArmed() *armed { return &armed{keys: map[string]string{}} }

// missing returns the timers among ts that are not known to be stored.
func (a *armed) missing(ts ...bot.Timer) []bot.Timer {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []bot.Timer
	for _, t := range ts {
		if a.keys[t.Kind] != t.Key {
			out = append(out, t)
		}
	}
	return out
}

// stored records timers whose transaction committed.
func (a *armed) stored(ts []bot.Timer) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, t := range ts {
		a.keys[t.Kind] = t.Key
	}
}
