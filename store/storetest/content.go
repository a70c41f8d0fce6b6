package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

func contentTests() []test {
	return []test{
		{"ContentSubmitAndLoad", testContentSubmitAndLoad},
		{"ContentUpdate", testContentUpdate},
		{"ContentAnswerOnce", testContentAnswerOnce},
		{"ContentList", testContentList},
		{"ContentTrailAppendOnly", testContentTrailAppendOnly},
	}
}

func submitContent(t *testing.T, s store.Store, title, by string, timers ...bot.Timer) store.ContentItem {
	arm := func(store.ContentItem) []bot.Timer { return timers }
	t.Helper()
	it := store.ContentItem{
		Title: title, Link: "https://example.com/" + title, Brand: "acme", Sensitivity: "high",
		SubmittedBy: by, SubmittedAt: base(), PublishAt: base().Add(48 * time.Hour), Status: store.ContentInReview,
		Stages: []store.ContentStage{
			{Name: "comms", Roles: []string{"comms"}, Quorum: 1, Target: 4 * time.Hour, Status: store.StagePending, StartedAt: base()},
			{Name: "legal", Roles: []string{"legal", "exec"}, Quorum: 2, Target: 8 * time.Hour, Status: store.StageWaiting},
		},
	}
	got, err := s.SubmitContent(t.Context(), it, store.ContentEntry{At: base(), Actor: by, Action: "submitted", Version: 1}, arm)
	if err != nil {
		t.Fatalf("SubmitContent: %v", err)
	}
	return got
}

func testContentSubmitAndLoad(t *testing.T, s store.Store) {
	tm := bot.Timer{Kind: "content.remind", Key: "content:x:remind", Due: base().Add(time.Hour), Payload: "{}"}
	it := submitContent(t, s, "launch", "priya", tm)
	got := must(s.ContentItem(t.Context(), it.ID))(t)
	if got.ID == 0 || got.Version != 1 || got.Title != "launch" || got.Brand != "acme" || got.Status != store.ContentInReview {
		t.Fatalf("item = %+v", got)
	}
	checkTime(t, "publish_at", got.PublishAt, base().Add(48*time.Hour))
	if !got.DecidedAt.IsZero() {
		t.Errorf("decided_at = %v, want zero", got.DecidedAt)
	}
	if len(got.Stages) != 2 || got.Stages[1].Name != "legal" || got.Stages[1].Quorum != 2 ||
		got.Stages[1].Target != 8*time.Hour || len(got.Stages[1].Roles) != 2 || !got.Stages[1].StartedAt.IsZero() {
		t.Fatalf("stages = %+v", got.Stages)
	}
	if next, ok, _ := s.NextTimerDue(t.Context()); !ok || !next.Equal(stored(tm.Due)) {
		t.Errorf("the submission's timer was not stored: %v %v", next, ok)
	}
	if _, err := s.ContentItem(t.Context(), it.ID+100); !bot.IsCode(err, bot.ENotFound) {
		t.Errorf("missing item: %v, want not found", err)
	}
	bad := store.ContentItem{Title: "x", SubmittedBy: "p", SubmittedAt: base(), Status: store.ContentInReview}
	if _, err := s.SubmitContent(t.Context(), bad, store.ContentEntry{At: base(), Action: "submitted"}, nil); err == nil {
		t.Error("an item without a link or stages was stored")
	}
}

func testContentUpdate(t *testing.T, s store.Store) {
	it := submitContent(t, s, "launch", "priya")
	at := base().Add(time.Hour)
	u, err := s.UpdateContent(t.Context(), it.ID, func(u *store.ContentUpdate) error {
		u.Item.Stages[0].Status, u.Item.Stages[0].DecidedAt = store.StageApproved, at
		u.Item.Stages[1].Status, u.Item.Stages[1].StartedAt = store.StagePending, at
		u.NewAnswers = append(u.NewAnswers, store.ContentAnswer{Position: 0, Version: 1, Person: "sam", Role: "comms", Verdict: store.VerdictApprove, Comment: "ok", At: at})
		u.Trail = append(u.Trail, store.ContentEntry{At: at, Actor: "sam", Action: "approved", Stage: "comms", Version: 1, Text: "ok"})
		u.Decisions = append(u.Decisions, store.Decision{Kind: store.KindApproval, Text: "content #1 approved", Actor: "sam", Ref: "content:1", At: at})
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateContent: %v", err)
	}
	if u.Item.Stages[1].Status != store.StagePending {
		t.Errorf("returned state = %+v", u.Item.Stages)
	}
	got := must(s.ContentItem(t.Context(), it.ID))(t)
	if got.Stages[0].Status != store.StageApproved || got.Stages[1].Status != store.StagePending {
		t.Fatalf("stages after update = %+v", got.Stages)
	}
	checkTime(t, "stage started", got.Stages[1].StartedAt, at)
	answers := must(s.ContentAnswers(t.Context(), it.ID))(t)
	if len(answers) != 1 || answers[0].Person != "sam" || answers[0].Comment != "ok" || answers[0].Verdict != store.VerdictApprove {
		t.Errorf("answers = %+v", answers)
	}
	trail := must(s.ContentTrail(t.Context(), it.ID))(t)
	if len(trail) != 2 || trail[0].Action != "submitted" || trail[1].Stage != "comms" || trail[1].Actor != "sam" {
		t.Errorf("trail = %+v", trail)
	}
	if ds := must(s.ListDecisions(t.Context(), store.DecisionQuery{Ref: "content:1"}))(t); len(ds) != 1 {
		t.Errorf("decisions = %+v, want the approval", ds)
	}

	// A refusing change writes nothing.
	refuse := errors.New("no")
	_, err = s.UpdateContent(t.Context(), it.ID, func(u *store.ContentUpdate) error {
		u.Item.Status = store.ContentWithdrawn
		u.Trail = append(u.Trail, store.ContentEntry{At: at, Action: "withdrawn", Version: 1})
		return refuse
	})
	if !errors.Is(err, refuse) {
		t.Fatalf("refused change: %v", err)
	}
	if got := must(s.ContentItem(t.Context(), it.ID))(t); got.Status != store.ContentInReview {
		t.Errorf("a refused change was written: %s", got.Status)
	}
	if _, err := s.UpdateContent(t.Context(), 999, func(*store.ContentUpdate) error { return nil }); !bot.IsCode(err, bot.ENotFound) {
		t.Errorf("update of a missing item: %v", err)
	}
}

func testContentAnswerOnce(t *testing.T, s store.Store) {
	it := submitContent(t, s, "launch", "priya")
	answer := func(version int) error {
		_, err := s.UpdateContent(t.Context(), it.ID, func(u *store.ContentUpdate) error {
			u.NewAnswers = append(u.NewAnswers, store.ContentAnswer{Position: 0, Version: version, Person: "sam", Verdict: store.VerdictApprove, At: base()})
			u.Trail = append(u.Trail, store.ContentEntry{At: base(), Actor: "sam", Action: "approved", Version: version})
			return nil
		})
		return err
	}
	if err := answer(1); err != nil {
		t.Fatal(err)
	}
	if err := answer(1); !bot.IsCode(err, bot.EConflict) {
		t.Fatalf("second answer at the same version: %v, want a conflict", err)
	}
	if err := answer(2); err != nil {
		t.Fatalf("an answer to version 2: %v", err)
	}
	if trail := must(s.ContentTrail(t.Context(), it.ID))(t); len(trail) != 3 {
		t.Errorf("the refused answer left a trail entry: %+v", trail)
	}
}

func testContentList(t *testing.T, s store.Store) {
	a := submitContent(t, s, "a", "priya")
	b := submitContent(t, s, "b", "lee")
	at := base().Add(2 * time.Hour)
	if _, err := s.UpdateContent(t.Context(), a.ID, func(u *store.ContentUpdate) error {
		u.Item.Status, u.Item.DecidedAt = store.ContentApproved, at
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	ids := func(q store.ContentQuery) string {
		var out string
		for _, it := range must(s.ListContent(t.Context(), q))(t) {
			out += fmt.Sprintf("%d(%d) ", it.ID, len(it.Stages))
		}
		return out
	}
	all := fmt.Sprintf("%d(2) %d(2) ", b.ID, a.ID)
	for _, tt := range []struct {
		q    store.ContentQuery
		want string
	}{
		{store.ContentQuery{}, all},
		{store.ContentQuery{Open: true}, fmt.Sprintf("%d(2) ", b.ID)},
		{store.ContentQuery{SubmittedBy: "priya"}, fmt.Sprintf("%d(2) ", a.ID)},
		{store.ContentQuery{DecidedFrom: at, DecidedTo: at.Add(time.Second)}, fmt.Sprintf("%d(2) ", a.ID)},
		{store.ContentQuery{DecidedFrom: at.Add(time.Second)}, ""},
		{store.ContentQuery{SubmittedFrom: base(), SubmittedTo: base().Add(time.Second)}, all},
		{store.ContentQuery{SubmittedTo: base()}, ""},
		{store.ContentQuery{Limit: 1}, fmt.Sprintf("%d(2) ", b.ID)},
	} {
		if got := ids(tt.q); got != tt.want {
			t.Errorf("ListContent(%+v) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

func testContentTrailAppendOnly(t *testing.T, s store.Store) {
	raw := rawExecer(t, s)
	it := submitContent(t, s, "launch", "priya")
	for _, sql := range []string{
		`UPDATE content_trail SET text = 'changed'`,
		fmt.Sprintf(`UPDATE content_trail SET actor = 'mallory' WHERE item_id = %d`, it.ID),
		`DELETE FROM content_trail`,
	} {
		if err := raw.ExecRaw(t.Context(), sql); err == nil {
			t.Errorf("%s: the database allowed it", sql)
		}
	}
	trail := must(s.ContentTrail(t.Context(), it.ID))(t)
	if len(trail) != 1 || trail[0].Actor != "priya" {
		t.Errorf("trail after the refused changes = %+v", trail)
	}
}
