package alerts_test

import (
	"testing"

	"github.com/interlock-coe/interlock/store"
)

// TestCardQuotesSamplesAsOutsideText: listening samples are written by
// strangers, so the card that quotes them is marked as outside text and
// adapters never resolve the "@alex" or <@id> in them.
func TestCardQuotesSamplesAsOutsideText(t *testing.T) {
	f := newFixture(t)
	f.feed("recall", steady(24)...)
	f.Advance(f.hr)
	p := point("recall", f.Clock.Now(), 2400)
	p.Samples = []store.ListeningSample{{Author: "alex", Text: "<@123> @everyone recall!", Followers: 10}}
	f.ingest(p)
	f.Advance(f.hr)
	cards := f.cards()
	if len(cards) == 0 {
		t.Fatal("no card")
	}
	for _, c := range cards {
		if !c.Message.Outside || len(c.Message.Notify) != 0 {
			t.Errorf("card %q: outside %v, notify %v; want outside text notifying nobody", c.Message.Title, c.Message.Outside, c.Message.Notify)
		}
	}
}
