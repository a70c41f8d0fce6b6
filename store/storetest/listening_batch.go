package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/store"
)

func batchTests() []test {
	return []test{
		{"ListeningBatchStoresAsPerPoint", testBatchAsPerPoint},
		{"ListeningSeriesSinceAndMarkJudged", testSeriesSinceAndMark},
		{"ListeningPrejudgedKeptOnlyOnCount", testPrejudged},
		{"MentionsSaveAggregateAndReplay", testMentionsSave},
		{"MentionsTopStatsAndPrune", testMentionsTopAndPrune},
	}
}

// testBatchAsPerPoint saves the same points in one batch (a duplicate
// inside it, one point stored before) and one at a time: the stored series
// and the receipts agree.
func testBatchAsPerPoint(t *testing.T, s store.Store) {
	var batch, single []store.ListeningPoint
	for h := range 600 {
		p := point(h, int64(100+h))
		p.Source = "batch"
		batch = append(batch, p)
		p.Source = "single"
		single = append(single, p)
	}
	savePoints(t, s, batch[7])
	batch = append(batch, batch[3]) // repeated inside the batch
	got := savePoints(t, s, batch...)
	for i, r := range got {
		wantDup := i == 7 || i == len(batch)-1
		if r.Duplicate != wantDup || r.ID <= 0 {
			t.Fatalf("batch receipt %d = %+v, want duplicate %v", i, r, wantDup)
		}
	}
	if got[len(batch)-1].ID != got[3].ID {
		t.Errorf("a point repeated in a batch has id %d, first %d", got[len(batch)-1].ID, got[3].ID)
	}
	if got[0].SeriesChanges != 600 {
		t.Errorf("series changes after the batch = %d, want 600", got[0].SeriesChanges)
	}
	var last store.PointReceipt
	for _, p := range single {
		last = savePoints(t, s, p)[0]
	}
	if last.SeriesChanges != 600 {
		t.Errorf("series changes after 600 single saves = %d, want 600", last.SeriesChanges)
	}
	strip := func(src string) []store.ListeningPoint {
		ps := must(s.ListeningSeries(t.Context(), store.SeriesKey{Source: src, Brand: series.Brand, Topic: series.Topic}, time.Time{}, time.Time{}))(t)
		for i := range ps {
			ps[i].ID, ps[i].Source = 0, ""
		}
		return ps
	}
	if b, one := strip("batch"), strip("single"); len(b) != 600 || !slices.EqualFunc(b, one, pointsEqual) {
		t.Errorf("a batch stored %d points unlike 600 single saves", len(b))
	}
}

func pointsEqual(a, b store.ListeningPoint) bool {
	return fmt.Sprint(a) == fmt.Sprint(b)
}

func testSeriesSinceAndMark(t *testing.T, s store.Store) {
	rs := savePoints(t, s, point(0, 1), point(1, 2), point(2, 3))
	ps, changes := must2(s.SeriesSince(t.Context(), series, base().Add(90*time.Minute)))(t)
	if changes != 3 || len(ps) != 2 || ps[0].Mentions != 2 || ps[0].Revision != 1 {
		t.Fatalf("SeriesSince = %d points, %d changes, want the last 2 of 3", len(ps), changes)
	}
	missed := must(s.MarkPointsJudged(t.Context(), []int64{rs[0].ID, rs[1].ID}, []int64{1, 2}))(t)
	if !slices.Equal(missed, []int64{rs[1].ID}) {
		t.Errorf("marking at a wrong revision missed %v, want [%d]", missed, rs[1].ID)
	}
	missed = must(s.MarkPointsJudged(t.Context(), []int64{rs[0].ID, rs[1].ID}, []int64{1, 1}))(t)
	if !slices.Equal(missed, []int64{rs[0].ID}) {
		t.Errorf("marking again missed %v, want [%d] (judged already)", missed, rs[0].ID)
	}
	if un := must(s.UnevaluatedPoints(t.Context(), series))(t); len(un) != 1 || un[0].ID != rs[2].ID {
		t.Errorf("unevaluated = %v, want the third point only", un)
	}
	other := point(5, 9)
	other.Topic, other.ReceivedAt = "other", base().Add(100*time.Hour)
	savePoints(t, s, other)
	if got := must(s.UnjudgedSeries(t.Context(), base().Add(99*time.Hour), 10))(t); !slices.Equal(got, []store.SeriesKey{series}) {
		t.Errorf("unjudged series received before = %v, want [%v]", got, series)
	}
	if _, changes := must2(s.SeriesSince(t.Context(), store.SeriesKey{Source: "none"}, time.Time{}))(t); changes != 0 {
		t.Errorf("an unknown series has %d changes", changes)
	}
}

func mention(id string, minute int, sentiment int, followers int64) store.Mention {
	hour := base().UTC().Truncate(time.Hour)
	return store.Mention{
		Source: "x", ID: id, Brand: "acme", Topic: "recall", At: hour.Add(time.Duration(minute) * time.Minute),
		Sentiment: sentiment, Text: "post " + id, URL: "https://x.example/" + id, Author: "a" + id,
		Followers: followers, ReceivedAt: base(),
	}
}

func testMentionsSave(t *testing.T, s store.Store) {
	ms := []store.Mention{mention("1", 1, -1, 10), mention("2", 2, 0, 20), mention("3", 70, 1, 30), mention("1", 1, -1, 10)}
	r := must(s.SaveMentions(t.Context(), ms, nil))(t)
	if r.Stored != 3 || r.Duplicates != 1 || len(r.Windows) != 2 || len(r.Receipts) != 2 {
		t.Fatalf("first save = %+v, want 3 stored in 2 windows", r)
	}
	if !slices.Equal(r.New, []bool{true, true, true, false}) {
		t.Errorf("new = %v, want the first three (the fourth repeats the first)", r.New)
	}
	k := store.SeriesKey{Source: "x", Brand: "acme", Topic: "recall"}
	ps := must(s.ListeningSeries(t.Context(), k, time.Time{}, time.Time{}))(t)
	if len(ps) != 2 || ps[0].Mentions != 2 || ps[0].Negative != 1 || ps[0].Neutral != 1 || ps[0].Reach != 30 || !ps[0].FromMentions {
		t.Fatalf("windows = %+v, want 2 mentions (1 negative) in the first", ps)
	}
	again := must(s.SaveMentions(t.Context(), ms, nil))(t)
	if again.Stored != 0 || again.Duplicates != 4 || len(again.Windows) != 0 || slices.Contains(again.New, true) || len(again.New) != 4 {
		t.Errorf("replayed mentions = %+v, want nothing stored", again)
	}
	more := must(s.SaveMentions(t.Context(), []store.Mention{mention("4", 3, -1, 5)}, nil))(t)
	if len(more.Windows) != 1 || more.Windows[0].Mentions != 3 || more.Windows[0].Revision != 2 || more.Windows[0].Evaluated {
		t.Errorf("window after one more mention = %+v, want 3 mentions, revision 2, unjudged", more.Windows)
	}
	if more.Receipts[0].SeriesChanges != 3 {
		t.Errorf("series changes = %d, want 3 (two windows, one revised)", more.Receipts[0].SeriesChanges)
	}
	// A tool's window is never changed by mentions.
	tool := point(0, 400)
	tool.Source = "y"
	tool.WindowStart, tool.WindowEnd = ms[0].MentionWindow(), ms[0].MentionWindow().Add(time.Hour)
	savePoints(t, s, tool)
	m := mention("9", 5, 0, 1)
	m.Source = "y"
	must(s.SaveMentions(t.Context(), []store.Mention{m}, nil))(t)
	if got := must(s.ListeningSeries(t.Context(), tool.Series(), time.Time{}, time.Time{}))(t); got[0].Mentions != 400 {
		t.Errorf("a tool's window became %d mentions, want 400", got[0].Mentions)
	}
}

func testMentionsTopAndPrune(t *testing.T, s store.Store) {
	ms := []store.Mention{mention("1", 1, -1, 10), mention("2", 2, 0, 300), mention("3", 3, -1, 20), mention("4", 90, 1, 9000)}
	ms[3].ReceivedAt = base().Add(time.Hour)
	must(s.SaveMentions(t.Context(), ms, nil))(t)
	hour := base().UTC().Truncate(time.Hour)
	top := must(s.TopMentions(t.Context(), "acme", "recall", hour, hour.Add(time.Hour), 2))(t)
	if len(top) != 2 || top[0].ID != "2" || top[1].ID != "3" || top[0].URL != "https://x.example/2" {
		t.Errorf("top mentions = %+v, want 2 then 3", top)
	}
	st := must(s.MentionStats(t.Context(), "acme", "recall", hour, hour.Add(time.Hour), 10))(t)
	if st.Count != 3 || st.Negative != 2 || len(st.Texts) != 3 {
		t.Errorf("stats = %+v, want 3 mentions, 2 negative", st)
	}
	if n := must(s.PruneMentions(t.Context(), base().Add(time.Minute), 100))(t); n != 3 {
		t.Errorf("pruned %d, want 3", n)
	}
	if st := must(s.MentionStats(t.Context(), "acme", "recall", hour, hour.Add(2*time.Hour), 10))(t); st.Count != 1 {
		t.Errorf("%d mentions left, want 1", st.Count)
	}
}

// testPrejudged saves points judged by the caller: kept judged when the
// series' change count before the save is the one the caller judged
// against, stored unjudged (for the sweep to find) when another writer
// changed the series first.
func testPrejudged(t *testing.T, s store.Store) {
	prejudged := func(h int, prior int64) store.ListeningPoint {
		p := point(h, 400)
		p.Prejudged, p.PriorChanges = true, prior
		return p
	}
	first := savePoints(t, s, prejudged(0, 0), prejudged(1, 0))
	if !first[0].Evaluated || !first[1].Evaluated || first[1].SeriesChanges != 2 {
		t.Fatalf("prejudged against the empty series = %+v, want both judged, 2 changes", first)
	}
	savePoints(t, s, point(2, 400)) // another writer: count 3
	stale := savePoints(t, s, prejudged(3, 2), prejudged(0, 2))
	if stale[0].Evaluated || stale[0].SeriesChanges != 4 {
		t.Errorf("prejudged against a stale count = %+v, want unjudged, 4 changes", stale[0])
	}
	if !stale[1].Duplicate || !stale[1].Evaluated {
		t.Errorf("a duplicate sent prejudged = %+v, want the stored point as it is", stale[1])
	}
	fresh := savePoints(t, s, prejudged(4, 4))
	if !fresh[0].Evaluated {
		t.Errorf("prejudged against the current count = %+v, want judged", fresh[0])
	}
	ps := must(s.ListeningSeries(t.Context(), series, time.Time{}, time.Time{}))(t)
	var judged []bool
	for _, p := range ps {
		judged = append(judged, p.Evaluated)
	}
	if want := []bool{true, true, false, false, true}; !slices.Equal(judged, want) {
		t.Errorf("stored judged = %v, want %v", judged, want)
	}
	pending := must(s.UnjudgedSeries(t.Context(), base().Add(24*time.Hour), 10))(t)
	if len(pending) != 1 || pending[0] != series {
		t.Errorf("unjudged series = %v, want %v", pending, series)
	}
}
