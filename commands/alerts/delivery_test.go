package alerts_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/store"
)

func TestOutboxDeliversWhenChatIsBack(t *testing.T) {
	f := newFixture(t)
	f.feed("recall", steady(12)...)
	down := errors.New("platform down")
	for range 4 {
		f.Chat.FailNext("post", down)
	}
	f.feed("recall", 2400)
	if n := len(f.cards()); n != 0 {
		t.Fatalf("%d cards while the platform is down", n)
	}
	if a := f.alert(1); a.Status != store.AlertActive {
		t.Fatalf("the alert was not recorded during the outage: %+v", a)
	}
	f.Advance(30 * time.Minute)
	cards := f.cards()
	if len(cards) != 1 {
		t.Fatalf("%d cards after the platform came back, want 1", len(cards))
	}
	contains(t, "card", text(cards[0]), "Listening alert #1", "2,400")
	if a := f.alert(1); a.MessageID != cards[0].Ref.ID {
		t.Errorf("alert card ref = %q, want %q", a.MessageID, cards[0].Ref.ID)
	}
	f.feed("recall", 2600)
	if ups := f.updates(); len(ups) != 1 || ups[0].Ref != cards[0].Ref {
		t.Errorf("updates after recovery = %+v, want one edit of the card", ups)
	}
}

func TestOutageSpanningTheSpikePostsTheLatestState(t *testing.T) {
	var chat *switchable
	f := newFixtureWith(t, func(d commands.Deps) commands.Deps {
		chat = &switchable{Chat: d.Chat}
		d.Chat = chat
		return d
	})
	f.feed("recall", steady(12)...)
	chat.down.Store(true)
	f.feed("recall", 2400, 2600)
	chat.down.Store(false)
	f.Advance(time.Hour)
	cards := f.cards()
	if len(cards) != 1 || len(f.updates()) != 0 {
		t.Fatalf("after the outage: %d cards and %d updates, want one card", len(cards), len(f.updates()))
	}
	contains(t, "card", text(cards[0]), "2,600 in the window", "6.5×")
}

// switchable is a chat that can be taken down.
type switchable struct {
	bot.Chat
	down atomic.Bool
}

var errDown = errors.New("platform down")

func (s *switchable) Post(ctx context.Context, channel string, m bot.Message) (bot.MessageRef, error) {
	if s.down.Load() {
		return bot.MessageRef{}, errDown
	}
	return s.Chat.Post(ctx, channel, m)
}

func (s *switchable) Update(ctx context.Context, ref bot.MessageRef, m bot.Message) error {
	if s.down.Load() {
		return errDown
	}
	return s.Chat.(bot.Updater).Update(ctx, ref, m)
}

// postOnly is a chat that cannot edit messages.
type postOnly struct{ bot.Chat }

func TestUpdatesArePostedWhereChatCannotEdit(t *testing.T) {
	f := newFixtureWith(t, func(d commands.Deps) commands.Deps {
		d.Chat = postOnly{d.Chat}
		return d
	})
	f.feed("recall", steady(12)...)
	f.feed("recall", 2400, 2600)
	f.feed("recall", 400)
	posts := f.Chat.Posts(listening)
	if len(posts) != 3 {
		t.Fatalf("posts = %q, want the card and two updates", posts)
	}
	contains(t, "update", posts[1], "🔄 Update to listening alert #1 (Acme · recall): 2,600 mentions, 6.5× baseline")
	contains(t, "resolution", posts[2], "✅ Listening alert #1 (Acme · recall) resolved")
	if n := len(f.updates()); n != 0 {
		t.Errorf("%d edits on a chat without edits", n)
	}
}

// TestAnUpdateWaitsForTheCardBeingPosted is a regression test: while
// another deliverer was posting an alert's first card (its ref not yet
// recorded), an update delivered meanwhile posted a second card.
func TestAnUpdateWaitsForTheCardBeingPosted(t *testing.T) {
	f := newFixture(t)
	f.feed("recall", steady(12)...)
	f.Chat.FailNext("post", errors.New("platform down"))
	f.feed("recall", 2400) // the card's post fails and stays queued
	if n := len(f.cards()); n != 0 {
		t.Fatalf("%d cards while the platform is down", n)
	}
	// Another replica takes the queued card and is posting it when the
	// next window arrives.
	f.Clock.Set(f.Clock.Now().Add(f.hr))
	held, _, err := f.Store.ClaimAlertDeliveries(context.Background(), 1, f.Clock.Now(), 2*time.Minute)
	if err != nil || len(held) != 1 || held[0].Kind != store.DeliverNotify {
		t.Fatalf("claimed %+v (%v), want the queued card", held, err)
	}
	f.ingest(point("recall", f.Clock.Now(), 2600))
	if n := len(f.cards()); n != 0 {
		t.Fatalf("the update posted %d cards while another deliverer held the first", n)
	}
	// That replica dies; once its lease runs out the card goes out once,
	// showing the latest window.
	f.Advance(time.Hour)
	cards := f.cards()
	if len(cards) != 1 {
		t.Fatalf("%d cards, want 1", len(cards))
	}
	contains(t, "card", text(cards[0]), "2,600 in the window")
	if n := len(f.updates()); n != 0 {
		t.Errorf("%d edits of a card that was posted with the latest state", n)
	}
}
