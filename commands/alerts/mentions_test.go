package alerts_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/commands/alerts"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/store"
)

// mentionsAt are n single mentions of acme/recall from source "x" spread
// over the 20 minutes from start; text(i) writes each.
func mentionsAt(first int, n int, start time.Time, text func(i int) string) []store.Mention {
	out := make([]store.Mention, n)
	for i := range out {
		out[i] = store.Mention{
			Source: "x", ID: fmt.Sprint(first + i), Brand: "acme", Topic: "recall",
			At: start.Add(time.Duration(i) * 20 * time.Minute / time.Duration(n)), Sentiment: 0,
			Text: text(i), URL: fmt.Sprintf("https://x.example/%d", first+i), Author: fmt.Sprintf("user%d", first+i), Followers: 100,
		}
	}
	return out
}

func (f *fixture) mentions(ms []store.Mention) alerts.MentionsReceipt {
	f.t.Helper()
	r, err := f.l.IngestMentions(context.Background(), ms)
	if err != nil {
		f.t.Fatalf("IngestMentions: %v", err)
	}
	return r
}

// TestSpikeOfSingleMentionsShowsItsEvidence builds a day of quiet hours
// from single mentions, then a storm 20 minutes into an hour: one alert,
// judged on the open window, whose card names the post with the most
// followers and the term that rose; a replayed batch changes nothing.
func TestSpikeOfSingleMentionsShowsItsEvidence(t *testing.T) {
	commandstest.EachStore(t, func(t *testing.T, st commandstest.Option) {
		f := newFixture(t, st)
		f.Clock.Set(f.Clock.Now().UTC().Truncate(time.Hour).Add(time.Hour))
		id := 0
		for range 24 {
			start := f.Clock.Now()
			f.Advance(time.Hour)
			f.mentions(mentionsAt(id, 150, start, func(i int) string { return fmt.Sprintf("love my acme phone, the camera is great %d", i%7) }))
			id += 150
		}
		if n := len(f.cards()); n != 0 {
			t.Fatalf("quiet hours made %d cards", n)
		}

		start := f.Clock.Now()
		f.Advance(20 * time.Minute)
		storm := mentionsAt(id, 1000, start, func(i int) string {
			if i%2 == 0 {
				return "my acme phone battery exploded, total explosion #recall"
			}
			return "acme phone camera is great"
		})
		for i := range storm {
			if i%2 == 0 {
				storm[i].Sentiment = -1
			}
		}
		storm[3].Followers, storm[3].Author, storm[3].Text = 9_000_000, "bignews", "BREAKING: acme phones catching fire"
		var batches [][]store.Mention
		for i := 0; i < len(storm); i += 250 {
			batches = append(batches, storm[i:i+250])
		}
		for _, b := range batches {
			if r := f.mentions(b); r.Stored != 250 {
				t.Fatalf("stored %d of a batch of 250", r.Stored)
			}
		}
		cards := f.cards()
		if len(cards) != 1 {
			t.Fatalf("%d cards from a storm of single mentions, want 1", len(cards))
		}
		card := text(cards[0])
		contains(t, "card", card, "Listening alert #1 · Acme · recall", "Evidence",
			"@bignews (9M followers): BREAKING: acme phones catching fire https://x.example/", "Rising terms:", `"explosion"`,
			"Negative: 50% of 250 mentions (baseline 0%, +50 points)")
		if !cards[0].Message.Outside {
			t.Error("the card quotes outside posts but is not marked Outside")
		}

		briefs := 0
		for _, e := range f.Chat.Events("post") {
			if strings.Contains(e.Message.Title, "SEV1") {
				briefs++
				contains(t, "crisis brief", text(e), "Listening evidence (alert #1)", "@bignews (9M followers)", `"explosion"`)
				if !e.Message.Outside {
					t.Error("the brief quotes outside posts but is not marked Outside")
				}
			}
		}
		if briefs != 1 {
			t.Errorf("%d crisis briefs, want 1 (the storm is sev1, which opens the room)", briefs)
		}

		events, a := len(f.Chat.Events()), f.alert(1)
		if r := f.mentions(batches[1]); r.Stored != 0 || r.Duplicates != 250 {
			t.Errorf("replayed batch = %+v, want 250 duplicates", r)
		}
		if n := len(f.Chat.Events()); n != events {
			t.Errorf("a replayed batch made %d chat events", n-events)
		}
		if b := f.alert(1); b.Version != a.Version || b.Mentions != a.Mentions {
			t.Errorf("a replayed batch changed the alert: version %d → %d, mentions %d → %d", a.Version, b.Version, a.Mentions, b.Mentions)
		}
		ps, err := f.Store.ListeningSeries(context.Background(), store.SeriesKey{Source: "x", Brand: "acme", Topic: "recall"}, start, time.Time{})
		if err != nil || len(ps) != 1 || ps[0].Mentions != 1000 {
			t.Errorf("the storm's window = %+v (err %v), want 1,000 mentions", ps, err)
		}
		if strings.Contains(card, "camera") && strings.Contains(card, `"camera"`) {
			t.Errorf("a term that did not rise is shown: %s", card)
		}
	})
}
