package alerts_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/alerts"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/store"
)

// gatedStore holds the first SaveMentions until gate is closed and counts
// the saves and their sizes.
type gatedStore struct {
	store.Store
	gate  chan struct{}
	mu    sync.Mutex
	sizes []int
}

func (s *gatedStore) SaveMentions(ctx context.Context, ms []store.Mention, timers []bot.Timer) (store.MentionsReceipt, error) {
	s.mu.Lock()
	s.sizes = append(s.sizes, len(ms))
	first := len(s.sizes) == 1
	s.mu.Unlock()
	if first {
		<-s.gate
	}
	return s.Store.SaveMentions(ctx, ms, timers)
}

func (s *gatedStore) saves() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int(nil), s.sizes...)
}

// TestConcurrentMentionCallsAreSavedTogether holds one save while two more
// calls arrive: those two are saved as one, and each gets its own
// receipt, a mention sent by both counting as stored for the first only.
func TestConcurrentMentionCallsAreSavedTogether(t *testing.T) {
	commandstest.EachStore(t, func(t *testing.T, st commandstest.Option) {
		gs := &gatedStore{gate: make(chan struct{})}
		f := newFixtureWith(t, func(d commands.Deps) commands.Deps {
			gs.Store = d.Store
			d.Store = gs
			return d
		}, st)
		start := f.Clock.Now().UTC().Truncate(time.Hour)
		f.Clock.Set(start.Add(30 * time.Minute))
		text := func(i int) string { return fmt.Sprint("post ", i) }
		a := mentionsAt(0, 10, start, text)
		b := append(mentionsAt(10, 10, start, text), a[5])             // a duplicate of a stored one
		c := append(mentionsAt(20, 10, start, text), b[5], b[5], a[0]) // of one in the same save, twice, and of a stored one
		var ra, rb, rc alerts.MentionsReceipt
		var wg sync.WaitGroup
		var errs atomic.Int32
		ingest := func(ms []store.Mention, r *alerts.MentionsReceipt) {
			wg.Go(func() {
				var err error
				if *r, err = f.l.IngestMentions(context.Background(), ms); err != nil {
					t.Error(err)
					errs.Add(1)
				}
			})
		}
		waitFor := func(what string, ok func() bool) {
			t.Helper()
			for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("timed out waiting for %s", what)
				}
			}
		}
		ingest(a, &ra)
		waitFor("the first save", func() bool { return len(gs.saves()) == 1 })
		ingest(b, &rb)
		waitFor("the second call to queue", func() bool { return f.l.QueuedMentionCalls() == 1 })
		ingest(c, &rc)
		waitFor("the third call to queue", func() bool { return f.l.QueuedMentionCalls() == 2 })
		close(gs.gate)
		wg.Wait()
		if errs.Load() > 0 {
			return
		}
		if got := gs.saves(); len(got) != 2 || got[1] != len(b)+len(c) {
			t.Errorf("saves of %v mentions, want 10 then the other two calls together (%d)", got, len(b)+len(c))
		}
		for _, r := range []struct {
			name      string
			got, want alerts.MentionsReceipt
		}{
			{"first", ra, alerts.MentionsReceipt{Stored: 10}},
			{"second", rb, alerts.MentionsReceipt{Stored: 10, Duplicates: 1}},
			{"third", rc, alerts.MentionsReceipt{Stored: 10, Duplicates: 3}},
		} {
			if r.got != r.want {
				t.Errorf("%s call's receipt = %+v, want %+v", r.name, r.got, r.want)
			}
		}
		ps, err := f.Store.ListeningSeries(context.Background(), store.SeriesKey{Source: "x", Brand: "acme", Topic: "recall"}, start, time.Time{})
		if err != nil || len(ps) != 1 || ps[0].Mentions != 30 {
			t.Errorf("the window = %+v (err %v), want 30 mentions", ps, err)
		}
	})
}
