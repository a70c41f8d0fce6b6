package alerts_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/commands/alerts"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/store"
)

// TestConcurrentMentionCallsAreSavedTogether holds one save while two more
// calls arrive: those two are saved as one, and each gets its own
// receipt, a mention sent by both counting as stored for the first only.
func TestConcurrentMentionCallsAreSavedTogether(t *testing.T) {
	commandstest.EachStore(t, func(t *testing.T, st commandstest.Option) {
		f, gs := newGatedFixture(t, st)
		gs.mentions.arm()
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
		ingest(a, &ra)
		waitFor(t, "the first save", func() bool { return len(gs.mentions.saves()) == 1 })
		ingest(b, &rb)
		waitFor(t, "the second call to queue", func() bool { return f.l.QueuedMentionCalls() == 1 })
		ingest(c, &rc)
		waitFor(t, "the third call to queue", func() bool { return f.l.QueuedMentionCalls() == 2 })
		gs.mentions.release()
		wg.Wait()
		if errs.Load() > 0 {
			return
		}
		if got := gs.mentions.saves(); len(got) != 2 || got[1] != len(b)+len(c) {
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
