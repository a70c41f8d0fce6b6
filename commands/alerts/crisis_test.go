package alerts_test

import (
	"strings"
	"testing"
	"time"
)

func TestSev1SpikeOpensTheCrisisRoomOnce(t *testing.T) {
	f := newFixture(t)
	f.feed("recall", steady(24)...)
	f.feed("recall", 4000)

	cards := f.cards()
	if len(cards) != 1 {
		t.Fatalf("%d cards, want 1", len(cards))
	}
	contains(t, "card", text(cards[0]), "sev1 (Critical)", "mentions 10.0× baseline (≥ 10×)",
		"[Open crisis room → /crisis open sev1 Acme recall mentions spike --brand acme]")
	rooms := f.Chat.Events("room")
	if len(rooms) != 1 || !strings.HasPrefix(rooms[0].Channel, "#crisis-") || !strings.Contains(rooms[0].Channel, "acme-recall-mentions-spike") {
		t.Fatalf("rooms = %+v, want one crisis room for the spike", rooms)
	}
	posts := strings.Join(f.Chat.Posts(listening), "\n")
	contains(t, "listening channel", posts, "Crisis #1 opened (sev1): Acme recall mentions spike")
	if members := f.Chat.Members(rooms[0].Channel); len(members) == 0 || members[0] != "alex" {
		t.Errorf("room members = %v, want the CoE lead (who opened it) first", members)
	}

	// The spike goes on and worsens: the alert is updated, no second room.
	f.feed("recall", 4500, 6000)
	f.Advance(30 * time.Minute)
	if n := len(f.Chat.Events("room")); n != 1 {
		t.Errorf("%d rooms after more spiking windows, want 1", n)
	}
	if n := len(f.cards()); n != 1 {
		t.Errorf("%d cards, want 1", n)
	}
	// Clicking the card's button finds the open crisis.
	f.Say("@dana "+cards[0].Message.Buttons[0].Command).Contains(t, "is already open")
	if n := len(f.Chat.Events("room")); n != 1 {
		t.Errorf("%d rooms after the button, want 1", n)
	}
}

func TestEscalationToSev1OpensTheRoom(t *testing.T) {
	f := newFixture(t)
	f.feed("recall", steady(24)...)
	f.feed("recall", 2400)
	if n := len(f.Chat.Events("room")); n != 0 {
		t.Fatalf("a sev2 spike opened %d rooms", n)
	}
	f.feed("recall", 4400)
	if n := len(f.Chat.Events("room")); n != 1 {
		t.Errorf("%d rooms after the alert reached sev1, want 1", n)
	}
	if a := f.alert(1); a.PeakSeverity != "sev1" || !a.CrisisRequested {
		t.Errorf("alert = %+v, want peak sev1 with the crisis requested", a)
	}
	contains(t, "updated card", text(f.updates()[0]), "sev1 suggested", "crisis room opened automatically")
}

func TestAutoOpenCanBeTurnedOff(t *testing.T) {
	f := newFixture(t, noAutoOpen(t))
	f.feed("recall", steady(24)...)
	f.feed("recall", 4000)
	if n := len(f.cards()); n != 1 {
		t.Fatalf("%d cards, want 1", n)
	}
	if n := len(f.Chat.Events("room")); n != 0 {
		t.Errorf("auto_open \"\" still opened %d rooms", n)
	}
}
