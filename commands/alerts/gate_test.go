package alerts_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/store"
)

// saveGate, once armed, holds the first save it sees until released, and
// counts the saves and their sizes: tests of merged saves hold one save
// while more calls queue behind it.
type saveGate struct {
	mu    sync.Mutex
	armed bool
	open  chan struct{}
	sizes []int
}

func (g *saveGate) arm() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.armed, g.sizes, g.open = true, nil, make(chan struct{})
}

func (g *saveGate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	close(g.open)
}

// pass counts a save of n items and holds it if it is the first since
// arm.
func (g *saveGate) pass(n int) {
	g.mu.Lock()
	if !g.armed {
		g.mu.Unlock()
		return
	}
	g.sizes = append(g.sizes, n)
	first, open := len(g.sizes) == 1, g.open
	g.mu.Unlock()
	if first {
		<-open
	}
}

func (g *saveGate) saves() []int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]int(nil), g.sizes...)
}

// gatedStore passes saves of listening points and of mentions through
// their gates.
type gatedStore struct {
	store.Store
	points, mentions saveGate
}

func (s *gatedStore) SaveListeningPoints(ctx context.Context, ps []store.ListeningPoint, timers []bot.Timer) ([]store.PointReceipt, error) {
	s.points.pass(len(ps))
	return s.Store.SaveListeningPoints(ctx, ps, timers)
}

func (s *gatedStore) SaveMentions(ctx context.Context, ms []store.Mention, timers []bot.Timer) (store.MentionsReceipt, error) {
	s.mentions.pass(len(ms))
	return s.Store.SaveMentions(ctx, ms, timers)
}

// newGatedFixture is a fixture whose store saves through gates.
func newGatedFixture(t *testing.T, st commandstest.Option) (*fixture, *gatedStore) {
	gs := &gatedStore{}
	f := newFixtureWith(t, func(d commands.Deps) commands.Deps {
		gs.Store = d.Store
		d.Store = gs
		return d
	}, st)
	return f, gs
}

// waitFor polls ok until it holds, failing the test after 10 s.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}
