package alerts_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/alerts"
	"github.com/interlock-coe/interlock/store"
	"github.com/interlock-coe/interlock/store/memory"
	"github.com/interlock-coe/interlock/store/postgres"
	"github.com/interlock-coe/interlock/store/storetest"
)

func TestReplicasReceivingTheSameWebhookMakeOneAlert(t *testing.T) {
	f := newFixture(t)
	replica := newReplica(f)
	f.feed("recall", steady(12)...)
	f.Advance(time.Hour)
	spike := point("recall", f.Clock.Now(), 2400)
	done := make(chan error, 2)
	for _, l := range []*alerts.Listener{f.l, replica} {
		go func() { _, err := l.Ingest(context.Background(), []store.ListeningPoint{spike}); done <- err }()
	}
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	f.Advance(time.Hour)
	if n := len(f.cards()); n != 1 {
		t.Errorf("two replicas made %d cards, want 1", n)
	}
	as, err := f.Store.ListListeningAlerts(context.Background(), true, 0)
	if err != nil || len(as) != 1 {
		t.Errorf("alerts = %d (err %v), want 1", len(as), err)
	}
}

// newReplica is a second process over the same database and chat, with a
// router, coordination and scheduler of its own.
func newReplica(f *fixture) *alerts.Listener {
	d := f.Deps
	d.Coord = memory.New(f.Clock)
	d.Scheduler = bot.NewScheduler(f.Store, f.Clock, d.Log)
	r := bot.NewRouter(d.Log, d.Access, d.Coord)
	registerCrisis(r, d)
	return alerts.Register(r, d)
}

// TestReplicasOnPostgresMakeOneAlert runs three replicas, each with its own
// connection pool, router, coordination and scheduler, over one PostgreSQL
// database and one chat. They all receive the same webhook at once, then
// different sources of the same brand and topic at once: one alert, one
// card, one crisis room.
func TestReplicasOnPostgresMakeOneAlert(t *testing.T) {
	f := newFixture(t)
	url := storetest.PostgresURL(t)
	var replicas []*alerts.Listener
	for range 3 {
		replicas = append(replicas, postgresReplica(t, f, url))
	}
	sources := []string{"brandwatch", "meltwater", "talkwalker"}
	for range 12 {
		f.Clock.Set(f.Clock.Now().Add(time.Hour))
		for i, l := range replicas {
			p := point("recall", f.Clock.Now(), 400)
			p.Source = sources[i]
			mustIngest(t, l, p)
		}
	}
	f.Clock.Set(f.Clock.Now().Add(time.Hour))
	spike := point("recall", f.Clock.Now(), 4000)
	all(replicas, func(l *alerts.Listener) { mustIngest(t, l, spike) })
	f.Clock.Set(f.Clock.Now().Add(time.Hour))
	all(replicas, func(l *alerts.Listener) {
		for _, src := range sources {
			p := point("recall", f.Clock.Now(), 4200)
			p.Source = src
			mustIngest(t, l, p)
		}
	})

	if n := len(f.cards()); n != 1 {
		t.Errorf("%d cards from three replicas, want 1", n)
	}
	if n := len(f.Chat.Events("room")); n != 1 {
		t.Errorf("%d crisis rooms from three replicas, want 1", n)
	}
}

func postgresReplica(t *testing.T, f *fixture, url string) *alerts.Listener {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	st, err := postgres.Open(context.Background(), url, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	d := f.Deps
	d.Store, d.Coord = st, memory.New(f.Clock)
	d.Scheduler = bot.NewScheduler(st, f.Clock, log)
	r := bot.NewRouter(log, &bot.Access{Roles: d.Roster(), Policy: d.Config.Permissions, Admins: []string{d.Config.Org.CoELead}}, d.Coord)
	registerCrisis(r, d)
	return alerts.Register(r, d)
}

func mustIngest(t *testing.T, l *alerts.Listener, ps ...store.ListeningPoint) {
	t.Helper()
	if _, err := l.Ingest(context.Background(), ps); err != nil {
		t.Error(err)
	}
}

// all runs f for every replica at once.
func all(ls []*alerts.Listener, f func(l *alerts.Listener)) {
	var wg sync.WaitGroup
	for _, l := range ls {
		wg.Go(func() { f(l) })
	}
	wg.Wait()
}

// TestWindowAfterAnotherReplicasIsJudgedFromTheStore: a replica judges a
// live window from its copy of the series before storing it. When another
// replica stored windows of that series meanwhile, the copy is stale: here
// it would call a window quiet that the real baseline (the other replica's
// quiet hours) makes a spike. The store refuses that judgement, and the
// window is judged from the store after the save: one card, nothing left
// for the sweep.
func TestWindowAfterAnotherReplicasIsJudgedFromTheStore(t *testing.T) {
	f := newFixture(t)
	replica := newReplica(f)
	f.feed("recall", steady(12)...)
	var quiet []store.ListeningPoint
	for range 30 {
		f.Advance(time.Hour)
		quiet = append(quiet, point("recall", f.Clock.Now(), 20))
	}
	if _, err := replica.Ingest(context.Background(), quiet); err != nil {
		t.Fatal(err)
	}
	f.feed("recall", 400)
	if n := len(f.cards()); n != 1 {
		t.Errorf("400 mentions after 30 hours of 20 made %d cards, want 1", n)
	}
	pending, err := f.Store.UnjudgedSeries(context.Background(), f.Clock.Now().Add(time.Hour), 10)
	if err != nil || len(pending) != 0 {
		t.Errorf("unjudged series after the window = %v (err %v), want none", pending, err)
	}
}
