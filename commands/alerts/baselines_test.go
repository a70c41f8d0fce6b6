package alerts

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/store"
)

// TestBaselinesUseACopyOnlyWhileItSawEveryChange: a copy is kept while
// the store's change count matches what this replica saved, and dropped
// when another writer's change shows in the count.
func TestBaselinesUseACopyOnlyWhileItSawEveryChange(t *testing.T) {
	k := store.SeriesKey{Source: "s", Brand: "acme", Topic: "recall"}
	base := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	pt := func(id int64, h int) store.ListeningPoint {
		return store.ListeningPoint{ID: id, Source: k.Source, Brand: k.Brand, Topic: k.Topic, Revision: 1,
			WindowStart: base.Add(time.Duration(h) * time.Hour), WindowEnd: base.Add(time.Duration(h+1) * time.Hour)}
	}
	b := newBaselines()
	b.saved(k, 2, []store.ListeningPoint{pt(2, 1), pt(1, 0)}, time.Time{})
	ps, _, ok := b.view(k, base)
	if !ok || len(ps) != 2 || ps[0].ID != 1 {
		t.Fatalf("a new series' copy = %v (%v), want both points oldest first", ps, ok)
	}
	b.saved(k, 3, []store.ListeningPoint{pt(3, 2)}, time.Time{})
	if ps, _, ok := b.view(k, base); !ok || len(ps) != 3 {
		t.Fatalf("after one more save: %d points (%v), want 3", len(ps), ok)
	}
	b.judged(k, []int64{3}, []int64{1})
	if ps, _, _ := b.view(k, base); !ps[2].Evaluated {
		t.Error("a judged point is not marked in the copy")
	}
	// Another replica saved change 4: this replica's save is change 5.
	b.saved(k, 5, []store.ListeningPoint{pt(5, 4)}, time.Time{})
	if _, _, ok := b.view(k, base); ok {
		t.Error("a copy that missed another writer's change is still used")
	}
	// A series first seen with history elsewhere is not built from one save.
	other := store.SeriesKey{Source: "t"}
	b.saved(other, 7, []store.ListeningPoint{pt(9, 0)}, time.Time{})
	if _, _, ok := b.view(other, base); ok {
		t.Error("a copy was made from part of a series")
	}
	// A revised window replaces its older revision.
	b.rebuilt(k, 5, time.Time{}, []store.ListeningPoint{pt(1, 0)})
	rev := pt(1, 0)
	rev.Revision, rev.Mentions = 2, 50
	b.saved(k, 6, []store.ListeningPoint{rev}, time.Time{})
	if ps, _, ok := b.view(k, base); !ok || len(ps) != 1 || ps[0].Mentions != 50 {
		t.Errorf("after a revision: %+v (%v), want the revised window alone", ps, ok)
	}
	// A copy that starts after the history needed is not used.
	b.rebuilt(k, 6, base.Add(time.Hour), nil)
	if _, _, ok := b.view(k, base); ok {
		t.Error("a copy lacking older history was used")
	}
}

// TestBaselinesWaitForConcurrentSavesOfThisReplica: this replica's saves
// of one series noted out of order keep the copy, which is used again once
// the gap between them closes; an older revision noted late never replaces
// a newer one, and a point judged at its revision stays judged.
func TestBaselinesWaitForConcurrentSavesOfThisReplica(t *testing.T) {
	k := store.SeriesKey{Source: "s", Brand: "acme", Topic: "recall"}
	base := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	pt := func(id, rev, mentions int64) store.ListeningPoint {
		return store.ListeningPoint{ID: id, Source: k.Source, Brand: k.Brand, Topic: k.Topic, Revision: rev, Mentions: mentions,
			WindowStart: base.Add(time.Duration(id) * time.Hour), WindowEnd: base.Add(time.Duration(id+1) * time.Hour)}
	}
	b := newBaselines()
	b.saved(k, 1, []store.ListeningPoint{pt(1, 1, 10)}, time.Time{})
	// Changes 2 and 3 revise window 1; the save of change 3 is noted first.
	b.saved(k, 3, []store.ListeningPoint{pt(1, 3, 30)}, time.Time{})
	if _, _, ok := b.view(k, base); ok {
		t.Fatal("a copy with change 2 unseen is used")
	}
	b.judged(k, []int64{1}, []int64{3})
	b.saved(k, 2, []store.ListeningPoint{pt(1, 2, 20)}, time.Time{})
	ps, _, ok := b.view(k, base)
	if !ok || len(ps) != 1 || ps[0].Mentions != 30 || !ps[0].Evaluated {
		t.Fatalf("after the gap closed: %+v (%v), want revision 3 (30 mentions), judged", ps, ok)
	}
	// A change from another replica (4) leaves a gap that never closes.
	for n := int64(5); n <= 5+maxAhead; n++ {
		b.saved(k, n, []store.ListeningPoint{pt(n, 1, 1)}, time.Time{})
		if _, _, ok := b.view(k, base); ok {
			t.Fatalf("change %d: a copy that missed change 4 is used", n)
		}
	}
	if _, ok := b.series[k]; ok {
		t.Error("a copy waiting for more than maxAhead saves is kept")
	}
}

// TestBaselinesViewsNeverChange: a view is shared with the copy, not
// copied, so every later change of the copy — a new newest window, a
// window inserted before it, a revision, a judgement, pruning — must leave
// the points a view holds as they were, while readers and writers run at
// once (the race detector watches).
func TestBaselinesViewsNeverChange(t *testing.T) {
	k := store.SeriesKey{Source: "s", Brand: "acme", Topic: "recall"}
	base := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	pt := func(id int64, h int) store.ListeningPoint {
		return store.ListeningPoint{ID: id, Source: k.Source, Brand: k.Brand, Topic: k.Topic, Revision: 1, Mentions: id,
			WindowStart: base.Add(time.Duration(h) * time.Hour), WindowEnd: base.Add(time.Duration(h+1) * time.Hour)}
	}
	b := newBaselines()
	b.saved(k, 3, []store.ListeningPoint{pt(1, 0), pt(2, 2), pt(3, 4)}, time.Time{})
	type snapshot struct {
		view []store.ListeningPoint
		was  []store.ListeningPoint
	}
	var snaps []snapshot
	take := func() {
		ps, _, ok := b.view(k, base.Add(2*time.Hour))
		if !ok {
			t.Fatal("the copy is not usable")
		}
		snaps = append(snaps, snapshot{view: ps, was: slices.Clone(ps)})
	}
	take()
	changes := []func(){
		func() { b.saved(k, 4, []store.ListeningPoint{pt(4, 6)}, time.Time{}) }, // newest: appended
		func() { b.saved(k, 5, []store.ListeningPoint{pt(5, 1)}, time.Time{}) }, // before the newest
		func() { // a revision of a window in the middle
			rev := pt(2, 2)
			rev.Revision, rev.Mentions = 2, 99
			b.saved(k, 6, []store.ListeningPoint{rev}, time.Time{})
		},
		func() { b.judged(k, []int64{4, 5}, []int64{1, 1}) },
		func() { b.saved(k, 7, []store.ListeningPoint{pt(7, 8)}, base.Add(2*time.Hour)) }, // prunes the oldest
	}
	var wg sync.WaitGroup
	for _, change := range changes {
		for _, s := range snaps {
			wg.Go(func() {
				for i := range s.view {
					_ = s.view[i].Mentions + s.view[i].Revision
					_ = s.view[i].Evaluated
				}
			})
		}
		change()
		wg.Wait()
		take()
	}
	for i, s := range snaps {
		for j := range s.was {
			if got, want := s.view[j], s.was[j]; got.ID != want.ID || got.Mentions != want.Mentions || got.Revision != want.Revision || got.Evaluated != want.Evaluated {
				t.Errorf("view %d, point %d changed from %+v to %+v", i, j, want, got)
			}
		}
	}
	last := snaps[len(snaps)-1].view
	var ids []int64
	for _, p := range last {
		ids = append(ids, p.ID)
	}
	if !slices.Equal(ids, []int64{2, 3, 4, 7}) || last[0].Mentions != 99 || !last[2].Evaluated {
		t.Errorf("the copy at the end: %+v, want windows 2 (revised), 3, 4 (judged), 7", last)
	}
}
