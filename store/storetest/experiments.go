package storetest

import (
	"math"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

func experimentTests() []test {
	return []test{
		{"ExperimentCreateAndList", testExperimentCreate},
		{"ExperimentVotes", testExperimentVotes},
		{"ExperimentLifecycle", testExperimentLifecycle},
		{"ExperimentPickRotation", testExperimentPickRotation},
		{"ExperimentResultAndReplications", testExperimentResult},
		{"ExperimentSheetState", testExperimentSheetState},
	}
}

func proposeExperiment(t *testing.T, s store.Store, title string, at time.Time) store.Experiment {
	t.Helper()
	return must(s.CreateExperiment(t.Context(), store.Experiment{
		Title: title, Hypothesis: "it helps", Metric: "ctr", Brand: "acme", Channel: "instagram",
		Proposer: "dana", ProposedAt: at, Status: store.ExperimentProposed,
	}))(t)
}

func checkCode(t *testing.T, what string, err error, code bot.Code) {
	t.Helper()
	if !bot.IsCode(err, code) {
		t.Errorf("%s: err = %v (code %s), want code %s", what, err, bot.ErrorCode(err), code)
	}
}

func testExperimentCreate(t *testing.T, s store.Store) {
	at := base()
	e := proposeExperiment(t, s, "Reels hooks", at)
	if e.ID <= 0 || e.Status != store.ExperimentProposed || e.Votes != 0 || e.Result != nil || e.Title != "Reels hooks" ||
		e.Hypothesis != "it helps" || e.Metric != "ctr" || e.Brand != "acme" || e.Channel != "instagram" || e.Proposer != "dana" {
		t.Errorf("CreateExperiment = %+v", e)
	}
	checkTime(t, "ProposedAt", e.ProposedAt, at)
	if !e.PickedAt.IsZero() || !e.StartedAt.IsZero() {
		t.Errorf("new experiment has pick or start times: %+v", e)
	}
	second := proposeExperiment(t, s, "Carousel", at.Add(time.Minute))
	all := must(s.ListExperiments(t.Context(), ""))(t)
	if len(all) != 2 || all[0].ID != e.ID || all[1].ID != second.ID {
		t.Errorf("ListExperiments = %+v, want both by id", all)
	}
	if got := must(s.ListExperiments(t.Context(), store.ExperimentDone))(t); len(got) != 0 {
		t.Errorf("ListExperiments(done) = %+v, want none", got)
	}
	_, err := s.Experiment(t.Context(), 999)
	checkCode(t, "Experiment(999)", err, bot.ENotFound)
	_, err = s.CreateExperiment(t.Context(), store.Experiment{Proposer: "dana", ProposedAt: at})
	checkCode(t, "CreateExperiment without title", err, bot.EInvalid)
}

func testExperimentVotes(t *testing.T, s store.Store) {
	at := base()
	e := proposeExperiment(t, s, "Reels hooks", at)
	for i, person := range []string{"dana", "sam"} {
		got := must(s.VoteExperiment(t.Context(), e.ID, person, at))(t)
		if got.Votes != i+1 {
			t.Errorf("after %s's vote: votes = %d, want %d", person, got.Votes, i+1)
		}
	}
	_, err := s.VoteExperiment(t.Context(), e.ID, "dana", at)
	checkCode(t, "second vote", err, bot.EConflict)
	_, err = s.VoteExperiment(t.Context(), 999, "dana", at)
	checkCode(t, "vote on a missing test", err, bot.ENotFound)
	if got := must(s.Experiment(t.Context(), e.ID))(t); got.Votes != 2 {
		t.Errorf("votes = %d, want 2", got.Votes)
	}
	must(s.PickExperiment(t.Context(), store.ExperimentPick{ID: e.ID, Owner: "alex", By: "alex", At: at, Turn: -1}))(t)
	_, err = s.VoteExperiment(t.Context(), e.ID, "lee", at)
	checkCode(t, "vote on a picked test", err, bot.EConflict)
}

func testExperimentLifecycle(t *testing.T, s store.Store) {
	at := base()
	e := proposeExperiment(t, s, "Reels hooks", at)
	_, err := s.StartExperiment(t.Context(), e.ID, at)
	checkCode(t, "start a proposed test", err, bot.EConflict)
	picked := must(s.PickExperiment(t.Context(), store.ExperimentPick{
		ID: e.ID, Owner: "alex", OwnerBrand: "globex", By: "schedule", At: at.Add(time.Hour), Turn: -1,
	}))(t)
	if picked.Status != store.ExperimentPicked || picked.Owner != "alex" || picked.OwnerBrand != "globex" || picked.PickedBy != "schedule" {
		t.Errorf("PickExperiment = %+v", picked)
	}
	checkTime(t, "PickedAt", picked.PickedAt, at.Add(time.Hour))
	_, err = s.PickExperiment(t.Context(), store.ExperimentPick{ID: e.ID, Owner: "sam", By: "sam", At: at, Turn: -1})
	checkCode(t, "pick twice", err, bot.EConflict)
	running := must(s.StartExperiment(t.Context(), e.ID, at.Add(2*time.Hour)))(t)
	if running.Status != store.ExperimentRunning {
		t.Errorf("status = %s, want running", running.Status)
	}
	checkTime(t, "StartedAt", running.StartedAt, at.Add(2*time.Hour))
	dropped := must(s.DropExperiment(t.Context(), e.ID, at.Add(3*time.Hour)))(t)
	if dropped.Status != store.ExperimentDropped {
		t.Errorf("status = %s, want dropped", dropped.Status)
	}
	checkTime(t, "DroppedAt", dropped.DroppedAt, at.Add(3*time.Hour))
	_, err = s.DropExperiment(t.Context(), e.ID, at)
	checkCode(t, "drop twice", err, bot.EConflict)
	_, err = s.StartExperiment(t.Context(), 999, at)
	checkCode(t, "start a missing test", err, bot.ENotFound)
	if got := must(s.ListExperiments(t.Context(), store.ExperimentDropped))(t); len(got) != 1 {
		t.Errorf("ListExperiments(dropped) = %+v, want one", got)
	}
}

func testExperimentPickRotation(t *testing.T, s store.Store) {
	at := base()
	first, second := proposeExperiment(t, s, "one", at), proposeExperiment(t, s, "two", at)
	if st := must(s.SheetState(t.Context()))(t); st.PickTurn != 0 || !st.NextPickAt.IsZero() {
		t.Fatalf("fresh SheetState = %+v, want zero", st)
	}
	must(s.PickExperiment(t.Context(), store.ExperimentPick{ID: first.ID, Owner: "alex", By: "alex", At: at, Turn: 0}))(t)
	if st := must(s.SheetState(t.Context()))(t); st.PickTurn != 1 {
		t.Errorf("PickTurn = %d after one pick, want 1", st.PickTurn)
	}
	_, err := s.PickExperiment(t.Context(), store.ExperimentPick{ID: second.ID, Owner: "alex", By: "alex", At: at, Turn: 0})
	checkCode(t, "pick with a stale turn", err, bot.EConflict)
	if got := must(s.Experiment(t.Context(), second.ID))(t); got.Status != store.ExperimentProposed {
		t.Errorf("a refused pick changed the test: %+v", got)
	}
	must(s.PickExperiment(t.Context(), store.ExperimentPick{ID: second.ID, Owner: "alex", By: "alex", At: at, Turn: 1}))(t)
	if st := must(s.SheetState(t.Context()))(t); st.PickTurn != 2 {
		t.Errorf("PickTurn = %d after two picks, want 2", st.PickTurn)
	}
	// A refused pick must not move the rotation.
	_, err = s.PickExperiment(t.Context(), store.ExperimentPick{ID: second.ID, Owner: "alex", By: "alex", At: at, Turn: 2})
	checkCode(t, "pick a picked test", err, bot.EConflict)
	if st := must(s.SheetState(t.Context()))(t); st.PickTurn != 2 {
		t.Errorf("PickTurn = %d after a refused pick, want 2", st.PickTurn)
	}
}

func testExperimentResult(t *testing.T, s store.Store) {
	at := base()
	e := proposeExperiment(t, s, "Reels hooks", at)
	r := store.ExperimentResult{
		A: store.Arm{Successes: 120, Trials: 4000}, B: store.Arm{Successes: 165, Trials: 4000},
		Lift: 0.375, PValue: 0.0066, Winner: "b", Verdict: "B wins", Notes: "two weeks", By: "sam", At: at.Add(time.Hour),
	}
	d := store.Decision{Kind: store.KindResult, Text: "B wins", Actor: "sam", Ref: "test:1", At: r.At}
	_, _, err := s.RecordExperimentResult(t.Context(), e.ID, r, d)
	checkCode(t, "result of a proposed test", err, bot.EConflict)
	if n := len(must(s.ListDecisions(t.Context(), store.DecisionQuery{Kind: store.KindResult}))(t)); n != 0 {
		t.Errorf("a refused result was logged (%d decisions)", n)
	}
	must(s.PickExperiment(t.Context(), store.ExperimentPick{ID: e.ID, Owner: "alex", OwnerBrand: "acme", By: "alex", At: at, Turn: -1}))(t)
	_, err = s.AddReplication(t.Context(), e.ID, "globex", "lee", at)
	checkCode(t, "replicate before a result", err, bot.EConflict)

	done, logged, err := s.RecordExperimentResult(t.Context(), e.ID, r, d)
	if err != nil {
		t.Fatal(err)
	}
	if done.Status != store.ExperimentDone || done.Result == nil {
		t.Fatalf("RecordExperimentResult = %+v", done)
	}
	got := *done.Result
	if got.A != r.A || got.B != r.B || got.Lift != r.Lift || got.PValue != r.PValue || got.Winner != "b" ||
		got.Verdict != r.Verdict || got.Notes != r.Notes || got.By != "sam" {
		t.Errorf("Result = %+v, want %+v", got, r)
	}
	checkTime(t, "Result.At", got.At, r.At)
	if logged.ID <= 0 || logged.Kind != store.KindResult {
		t.Errorf("logged decision = %+v", logged)
	}
	_, _, err = s.RecordExperimentResult(t.Context(), e.ID, r, d)
	checkCode(t, "second result", err, bot.EConflict)

	for _, brand := range []string{"globex", "umbrella"} {
		must(s.AddReplication(t.Context(), e.ID, brand, "lee", at.Add(time.Hour)))(t)
	}
	_, err = s.AddReplication(t.Context(), e.ID, "globex", "lee", at)
	checkCode(t, "replicate twice", err, bot.EConflict)
	list := must(s.ListExperiments(t.Context(), store.ExperimentDone))(t)
	if len(list) != 1 {
		t.Fatalf("ListExperiments(done) = %+v", list)
	}
	checkStrings(t, "replications", list[0].Replications, []string{"globex", "umbrella"})
}

// testExperimentSheetState also checks that an undefined lift (A without
// successes) survives the round trip as NaN.
func testExperimentSheetState(t *testing.T, s store.Store) {
	at := base()
	must(0, s.SetNextPick(t.Context(), at))(t)
	checkTime(t, "NextPickAt", must(s.SheetState(t.Context()))(t).NextPickAt, at)

	e := proposeExperiment(t, s, "from zero", at)
	must(s.PickExperiment(t.Context(), store.ExperimentPick{ID: e.ID, Owner: "alex", By: "alex", At: at, Turn: -1}))(t)
	r := store.ExperimentResult{A: store.Arm{Trials: 10}, B: store.Arm{Successes: 1, Trials: 10}, Lift: math.NaN(), PValue: 0.3, Verdict: "no clear winner", By: "sam", At: at}
	done, _, err := s.RecordExperimentResult(t.Context(), e.ID, r, store.Decision{Kind: store.KindResult, Text: "none", Actor: "sam", At: at})
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(done.Result.Lift) || done.Result.Winner != "" {
		t.Errorf("Result = %+v, want NaN lift and no winner", done.Result)
	}
}
