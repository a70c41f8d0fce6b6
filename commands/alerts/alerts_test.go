package alerts_test

import (
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/store"
)

func TestSpikeIsOneAlertUpdatedThenResolved(t *testing.T) {
	f := newFixture(t)
	f.feed("recall", steady(24)...)
	if n := len(f.Chat.Events()); n != 0 {
		t.Fatalf("a steady baseline made %d chat events", n)
	}

	f.feed("recall", 2400)
	cards := f.cards()
	if len(cards) != 1 {
		t.Fatalf("%d cards after the spike, want 1", len(cards))
	}
	card := cards[0]
	contains(t, "card", text(card),
		"Listening alert #1 · Acme · recall · sev2 suggested", "sev2 (High)", "mentions 6.0× baseline (≥ 5×)",
		"2,400", "brandwatch", "20% negative · reach 120k",
		"[Open crisis room → /crisis open sev2 Acme recall mentions spike --brand acme]",
		"[Ack → /alerts ack 1]", "[Snooze 1h → /alerts snooze 1 1h]")

	f.feed("recall", 2600, 700)
	f.feed("recall", 400)
	if n := len(f.cards()); n != 1 {
		t.Errorf("%d cards after the spike ended, want still 1", n)
	}
	ups := f.updates()
	if len(ups) != 3 {
		t.Fatalf("%d updates, want 3 (2,600, 700, then resolved)", len(ups))
	}
	for _, u := range ups {
		if u.Ref != card.Ref {
			t.Errorf("update edited %v, want the card %v", u.Ref, card.Ref)
		}
	}
	contains(t, "update during the spike", text(ups[0]), "2,600", "6.5×")
	contains(t, "update while subsiding", text(ups[1]), "700", "sev2 suggested")
	last := text(ups[2])
	contains(t, "last update", last, "✅ Resolved: listening alert #1", "back to baseline", "Peak: 2,600")
	if len(ups[2].Message.Buttons) != 0 {
		t.Errorf("the resolved card still has buttons: %+v", ups[2].Message.Buttons)
	}
	if a := f.alert(1); a.Status != store.AlertResolved || a.PeakMentions != 2600 || a.CrisisRequested {
		t.Errorf("alert = %+v, want resolved with peak 2,600 and no crisis", a)
	}
	if rooms := f.Chat.Events("room"); len(rooms) != 0 {
		t.Errorf("a sev2 spike opened rooms: %+v", rooms)
	}
	f.Say("/alerts list").Contains(t, "No active listening alerts")
}

func TestQuietTopicSmallJumpIsSilent(t *testing.T) {
	f := newFixture(t)
	quiet := []int64{2, 1, 3, 2, 2, 2, 1, 2, 3, 2, 2, 2}
	f.feed("lipstick", quiet...)
	f.feed("lipstick", 8, 9)
	if ev := f.Chat.Events(); len(ev) != 0 {
		t.Errorf("a quiet topic going from 2 to 8 mentions made chat events: %+v", ev)
	}
}

func TestLoudSpikeAlertsEvenFromAQuietStart(t *testing.T) {
	f := newFixture(t)
	f.feed("lipstick", 2, 1, 3, 2, 2, 2)
	f.feed("lipstick", 400)
	if n := len(f.cards()); n != 1 {
		t.Errorf("%d cards for 2 → 400 mentions, want 1", n)
	}
}

func TestDuplicateWindowChangesNothing(t *testing.T) {
	f := newFixture(t)
	f.feed("recall", steady(12)...)
	f.feed("recall", 2400)
	spike := point("recall", f.Clock.Now(), 2400)
	before, version := len(f.Chat.Events()), f.alert(1).Version

	for range 3 {
		if r := f.ingest(spike); r.Stored != 0 || r.Duplicates != 1 {
			t.Errorf("re-sent window: receipt %+v, want 1 duplicate", r)
		}
	}
	changed := spike
	changed.Mentions = 9000 // a retry never changes what was accepted
	f.ingest(changed, point("recall", f.Clock.Now().Add(-time.Hour), 400))
	f.Advance(time.Hour)

	if after := len(f.Chat.Events()); after != before {
		t.Errorf("duplicates made %d more chat events", after-before)
	}
	if a := f.alert(1); a.Version != version || a.Mentions != 2400 {
		t.Errorf("alert after duplicates = version %d, %d mentions; want version %d, 2,400", a.Version, a.Mentions, version)
	}
}

func TestBackfillRaisesNoAlertForThePast(t *testing.T) {
	f := newFixture(t)
	f.Advance(48 * time.Hour)
	now := f.Clock.Now()
	var batch []store.ListeningPoint
	for i := 30; i >= 1; i-- {
		c := int64(400)
		if i == 10 {
			c = 8000 // a storm ten hours ago
		}
		batch = append(batch, point("recall", now.Add(-time.Duration(i)*time.Hour), c))
	}
	batch = append(batch, point("recall", now, 410))
	if r := f.ingest(batch...); r.Stored != 31 {
		t.Fatalf("receipt %+v, want 31 stored", r)
	}
	f.Advance(time.Hour)
	if n := len(f.cards()); n != 0 {
		t.Errorf("a backfill with a past storm raised %d alerts", n)
	}
	// The backfill is history: the next spike is judged against it.
	f.ingest(point("recall", f.Clock.Now(), 2400))
	if n := len(f.cards()); n != 1 {
		t.Errorf("%d cards for a spike after the backfill, want 1", n)
	}
}

func TestAckStopsRepeatNotifications(t *testing.T) {
	f := newFixture(t)
	f.feed("recall", steady(12)...)
	f.feed("recall", 2400)
	f.Say("@dana /alerts ack 1").Fails(t, bot.EForbidden, "only holders of social-lead, holders of community")
	if r := f.Say("/role assign community @priya"); r.Err != nil {
		t.Fatal(r.Err)
	}
	f.Say("@priya /alerts ack #1").Contains(t, "Alert #1 acknowledged by @priya")
	f.Say("@priya /alerts ack 1").Fails(t, bot.EConflict, "was acknowledged by @priya")
	ups := f.updates()
	if len(ups) != 1 {
		t.Fatalf("%d updates after the ack, want 1", len(ups))
	}
	contains(t, "acknowledged card", text(ups[0]), "acknowledged by @priya")
	if acked := text(ups[0]); strings.Contains(acked, "re-notified every") || strings.Contains(acked, "/alerts ack 1") {
		t.Errorf("the acknowledged card still promises repeats or offers Ack:\n%s", acked)
	}

	f.Advance(9 * time.Hour)
	if n := len(f.cards()); n != 1 {
		t.Errorf("%d cards after 9h of an acknowledged alert, want 1", n)
	}
	f.Say("/alerts ack 7").Fails(t, bot.ENotFound, "no alert #7")
	f.Say("/alerts ack seven").Fails(t, bot.EInvalid, "is not an id")
}

func TestRepeatAndSnooze(t *testing.T) {
	// The source sends nothing more: a quiet period longer than the test
	// keeps the alert active.
	f := newFixture(t, withConfig(t, "  quiet_period: 6h", "  quiet_period: 24h"))
	f.feed("recall", steady(12)...)
	f.feed("recall", 2400)
	f.Advance(4 * time.Hour)
	if n := len(f.cards()); n != 2 {
		t.Fatalf("%d cards after the repeat interval, want 2 (the alert and a repeat)", n)
	}
	f.Say("/alerts snooze 1 2h").Contains(t, "Alert #1 snoozed by @alex", "(2h00m)")
	f.Advance(2*time.Hour - time.Minute)
	if n := len(f.cards()); n != 2 {
		t.Errorf("%d cards just before the snooze ends, want still 2", n)
	}
	f.Advance(2 * time.Minute)
	if n := len(f.cards()); n != 3 {
		t.Errorf("%d cards when the snooze ended, want 3", n)
	}
	f.Advance(4 * time.Hour)
	if n := len(f.cards()); n != 4 {
		t.Errorf("%d cards after another interval, want 4", n)
	}
	f.Say("/alerts snooze 1 30d").Fails(t, bot.EInvalid, "at most 7d")
	f.Say("/alerts snooze 1 soon").Fails(t, bot.EInvalid, "not a duration")
	f.Say("/alerts snooze 1").Fails(t, bot.EInvalid, "Usage: /alerts snooze <id> <duration>")
}

func TestListShowsActiveAlerts(t *testing.T) {
	f := newFixture(t)
	f.feed("recall", steady(12)...)
	f.feed("recall", 2400)
	r := f.Say("@dana /alerts list")
	r.Contains(t, "Active listening alerts (1)", "#1 sev2 Acme · recall — 2,400 mentions, 6.0× baseline", "active since")
	if !r.Private() {
		t.Error("the list was not private")
	}
}

func TestAnotherSourceNeitherDuplicatesNorResolves(t *testing.T) {
	f := newFixture(t)
	other := func(end time.Time, c int64) store.ListeningPoint {
		p := point("recall", end, c)
		p.Source = "meltwater"
		return p
	}
	for range 12 {
		f.Advance(time.Hour)
		f.ingest(point("recall", f.Clock.Now(), 400), other(f.Clock.Now(), 200))
	}
	f.Advance(time.Hour)
	f.ingest(point("recall", f.Clock.Now(), 2400), other(f.Clock.Now(), 200))
	f.Advance(time.Hour)
	f.ingest(other(f.Clock.Now(), 1400), point("recall", f.Clock.Now(), 2500))
	if n := len(f.cards()); n != 1 {
		t.Errorf("%d cards, want 1 alert for the group", n)
	}
	if a := f.alert(1); a.Status != store.AlertActive {
		t.Errorf("a quiet window of another source resolved the alert: %+v", a)
	}
}

func TestBaselineSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	first := newFixture(t, dataDir(dir))
	first.feed("recall", steady(12)...)
	at := first.Clock.Now()
	if err := first.Store.Close(); err != nil {
		t.Fatal(err)
	}

	second := newFixture(t, dataDir(dir))
	second.Clock.Set(at)
	second.feed("recall", 2400)
	if n := len(second.cards()); n != 1 {
		t.Errorf("%d cards after a restart, want 1: the baseline is in the database", n)
	}
}

func dataDir(dir string) commandstest.Option { return commandstest.WithDataDir(dir) }

// TestSnoozeRefusesAnOverflowingDuration is a regression test: a duration
// too large for time.Duration ("1e10d", "infd") came out negative on amd64,
// slipped under the 7-day limit, and snoozed the alert into the past.
func TestSnoozeRefusesAnOverflowingDuration(t *testing.T) {
	f := newFixture(t)
	f.feed("recall", steady(12)...)
	f.feed("recall", 2400)
	for _, d := range []string{"1e10d", "infd", "1e300w"} {
		f.Say("/alerts snooze 1 "+d).Fails(t, bot.EInvalid, "is not a duration")
	}
	f.Say("/alerts snooze 1 8d").Fails(t, bot.EInvalid, "at most 7d")
	if a := f.alert(1); a.SnoozedBy != "" || !a.SnoozedUntil.IsZero() {
		t.Errorf("alert after refused snoozes = %+v", a)
	}
}
