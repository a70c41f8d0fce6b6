package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// experimentColumns are read by scanExperiment, from experiments e.
const experimentColumns = `e.id, e.title, e.hypothesis, e.metric, e.brand, e.channel, e.proposer, e.proposed_at,
	(SELECT COUNT(*) FROM experiment_votes v WHERE v.experiment_id = e.id),
	e.status, e.owner, e.owner_brand, e.picked_by, e.picked_at, e.started_at, e.dropped_at,
	e.a_successes, e.a_trials, e.b_successes, e.b_trials, e.lift, e.p_value,
	e.winner, e.verdict, e.notes, e.result_by, e.result_at`

// CreateExperiment stores a new proposed experiment and returns it with its
// id.
func (s *Store) CreateExperiment(ctx context.Context, e store.Experiment) (store.Experiment, error) {
	if strings.TrimSpace(e.Title) == "" || e.Proposer == "" || e.ProposedAt.IsZero() {
		return store.Experiment{}, bot.Errorf(bot.EInvalid, "a test needs a title, a proposer and a time")
	}
	var out store.Experiment
	err := s.inTx(ctx, func(q *querier) error {
		var id int64
		err := q.queryRow(ctx, `INSERT INTO experiments (title, hypothesis, metric, brand, channel, proposer, proposed_at, status)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			e.Title, e.Hypothesis, e.Metric, e.Brand, e.Channel, e.Proposer, e.ProposedAt, store.ExperimentProposed).Scan(&id)
		if err != nil {
			return err
		}
		out, err = loadExperiment(ctx, q, id)
		return err
	})
	if err != nil {
		return store.Experiment{}, fmt.Errorf("create test %q: %w", e.Title, err)
	}
	return out, nil
}

// Experiment returns the experiment with id; ENotFound when there is none.
func (s *Store) Experiment(ctx context.Context, id int64) (store.Experiment, error) {
	var out store.Experiment
	err := s.inTx(ctx, func(q *querier) (err error) {
		out, err = loadExperiment(ctx, q, id)
		return err
	})
	if err != nil {
		return store.Experiment{}, fmt.Errorf("load test %d: %w", id, err)
	}
	return out, nil
}

// ListExperiments lists the experiments with status ("" = all) by id.
func (s *Store) ListExperiments(ctx context.Context, status string) ([]store.Experiment, error) {
	w := where{}
	if status != "" {
		w.add("e.status = ?", status)
	}
	var out []store.Experiment
	err := s.inTx(ctx, func(q *querier) error {
		rows, err := q.query(ctx, `SELECT `+experimentColumns+` FROM experiments e`+w.sql()+` ORDER BY e.id`, w.args...)
		if err != nil {
			return err
		}
		if out, err = collect(rows, scanExperiment); err != nil {
			return err
		}
		return attachReplications(ctx, q, out)
	})
	if err != nil {
		return nil, fmt.Errorf("list tests: %w", err)
	}
	return out, nil
}

// VoteExperiment records person's vote on a proposed experiment.
func (s *Store) VoteExperiment(ctx context.Context, id int64, person string, at time.Time) (store.Experiment, error) {
	var out store.Experiment
	err := s.inTx(ctx, func(q *querier) error {
		e, err := loadExperiment(ctx, q, id)
		if err != nil {
			return err
		}
		if e.Status != store.ExperimentProposed {
			return bot.Errorf(bot.EConflict, "test #%d is %s; votes are for proposed tests", id, e.Status)
		}
		n, err := q.exec(ctx, `INSERT INTO experiment_votes (experiment_id, person, voted_at) VALUES (?, ?, ?)
			ON CONFLICT (experiment_id, person) DO NOTHING`, id, person, at)
		if err != nil {
			return err
		}
		if n == 0 {
			return bot.Errorf(bot.EConflict, "@%s already voted for test #%d", person, id)
		}
		out, err = loadExperiment(ctx, q, id)
		return err
	})
	if err != nil {
		return store.Experiment{}, fmt.Errorf("vote for test %d: %w", id, err)
	}
	return out, nil
}

// PickExperiment moves a proposed experiment to picked with its owner and,
// unless p.Turn is negative, advances the owner rotation from p.Turn.
func (s *Store) PickExperiment(ctx context.Context, p store.ExperimentPick) (store.Experiment, error) {
	var out store.Experiment
	err := s.inTx(ctx, func(q *querier) error {
		if p.Turn >= 0 {
			n, err := q.exec(ctx, `UPDATE test_sheet_state SET pick_turn = pick_turn + 1 WHERE id = 1 AND pick_turn = ?`, p.Turn)
			if err != nil {
				return err
			}
			if n == 0 {
				return bot.Errorf(bot.EConflict, "another test was picked at the same moment; try again")
			}
		}
		err := moveExperiment(ctx, q, p.ID, []string{store.ExperimentProposed},
			`status = ?, owner = ?, owner_brand = ?, picked_by = ?, picked_at = ?`,
			store.ExperimentPicked, p.Owner, p.OwnerBrand, p.By, p.At)
		if err != nil {
			return err
		}
		out, err = loadExperiment(ctx, q, p.ID)
		return err
	})
	if err != nil {
		return store.Experiment{}, fmt.Errorf("pick test %d: %w", p.ID, err)
	}
	return out, nil
}

// StartExperiment moves a picked experiment to running.
func (s *Store) StartExperiment(ctx context.Context, id int64, at time.Time) (store.Experiment, error) {
	return s.transition(ctx, "start", id, []string{store.ExperimentPicked},
		`status = ?, started_at = ?`, store.ExperimentRunning, at)
}

// DropExperiment moves an experiment that is not done to dropped.
func (s *Store) DropExperiment(ctx context.Context, id int64, at time.Time) (store.Experiment, error) {
	return s.transition(ctx, "drop", id, []string{store.ExperimentProposed, store.ExperimentPicked, store.ExperimentRunning},
		`status = ?, dropped_at = ?`, store.ExperimentDropped, at)
}

// transition runs one status change in its own transaction.
func (s *Store) transition(ctx context.Context, verb string, id int64, from []string, set string, args ...any) (store.Experiment, error) {
	var out store.Experiment
	err := s.inTx(ctx, func(q *querier) error {
		if err := moveExperiment(ctx, q, id, from, set, args...); err != nil {
			return err
		}
		var err error
		out, err = loadExperiment(ctx, q, id)
		return err
	})
	if err != nil {
		return store.Experiment{}, fmt.Errorf("%s test %d: %w", verb, id, err)
	}
	return out, nil
}

// RecordExperimentResult stores a picked or running experiment's result,
// moves it to done and appends d to the decision log, all at once.
func (s *Store) RecordExperimentResult(ctx context.Context, id int64, r store.ExperimentResult, d store.Decision) (store.Experiment, store.Decision, error) {
	if r.A.Trials <= 0 || r.B.Trials <= 0 || r.At.IsZero() {
		return store.Experiment{}, store.Decision{}, bot.Errorf(bot.EInvalid, "a result needs trials in both variants and a time")
	}
	var (
		out    store.Experiment
		logged store.Decision
	)
	err := s.inTx(ctx, func(q *querier) error {
		err := moveExperiment(ctx, q, id, []string{store.ExperimentPicked, store.ExperimentRunning},
			`status = ?, a_successes = ?, a_trials = ?, b_successes = ?, b_trials = ?, lift = ?, p_value = ?,
				winner = ?, verdict = ?, notes = ?, result_by = ?, result_at = ?`,
			store.ExperimentDone, r.A.Successes, r.A.Trials, r.B.Successes, r.B.Trials, finiteOrNull(r.Lift), finiteOrNull(r.PValue),
			r.Winner, r.Verdict, r.Notes, r.By, r.At)
		if err != nil {
			return err
		}
		if logged, err = appendDecision(ctx, q, d); err != nil {
			return err
		}
		out, err = loadExperiment(ctx, q, id)
		return err
	})
	if err != nil {
		return store.Experiment{}, store.Decision{}, fmt.Errorf("record result of test %d: %w", id, err)
	}
	return out, logged, nil
}

// AddReplication records that brand adopted a done experiment's winner.
func (s *Store) AddReplication(ctx context.Context, id int64, brand, by string, at time.Time) (store.Experiment, error) {
	var out store.Experiment
	err := s.inTx(ctx, func(q *querier) error {
		e, err := loadExperiment(ctx, q, id)
		if err != nil {
			return err
		}
		if e.Status != store.ExperimentDone || e.Result == nil || e.Result.Winner == "" {
			return bot.Errorf(bot.EConflict, "test #%d has no winner to replicate", id)
		}
		n, err := q.exec(ctx, `INSERT INTO experiment_replications (experiment_id, brand, replicated_by, replicated_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (experiment_id, brand) DO NOTHING`, id, brand, by, at)
		if err != nil {
			return err
		}
		if n == 0 {
			return bot.Errorf(bot.EConflict, "%s already replicated test #%d", brand, id)
		}
		out, err = loadExperiment(ctx, q, id)
		return err
	})
	if err != nil {
		return store.Experiment{}, fmt.Errorf("replicate test %d for %s: %w", id, brand, err)
	}
	return out, nil
}

// SheetState returns the owner rotation and the monthly pick's bookkeeping.
func (s *Store) SheetState(ctx context.Context) (store.SheetState, error) {
	var (
		st   store.SheetState
		next sql.NullTime
	)
	err := s.inTx(ctx, func(q *querier) error {
		return q.queryRow(ctx, `SELECT pick_turn, next_pick_at FROM test_sheet_state WHERE id = 1`).Scan(&st.PickTurn, &next)
	})
	if err != nil {
		return store.SheetState{}, fmt.Errorf("read testing sheet state: %w", err)
	}
	st.NextPickAt = next.Time
	return st, nil
}

// SetNextPick records when the monthly pick timer is armed for.
func (s *Store) SetNextPick(ctx context.Context, at time.Time) error {
	err := s.inTx(ctx, func(q *querier) error {
		_, err := q.exec(ctx, `UPDATE test_sheet_state SET next_pick_at = ? WHERE id = 1`, at)
		return err
	})
	if err != nil {
		return fmt.Errorf("record next monthly pick: %w", err)
	}
	return nil
}

// moveExperiment applies set (with args) to experiment id if its status is
// one of from: ENotFound when there is no such experiment, EConflict when
// it is in another status.
func moveExperiment(ctx context.Context, q *querier, id int64, from []string, set string, args ...any) error {
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(from)), ", ")
	all := make([]any, 0, len(args)+1+len(from))
	all = append(append(append(all, args...), id), stringArgs(from)...)
	n, err := q.exec(ctx, `UPDATE experiments SET `+set+` WHERE id = ? AND status IN (`+marks+`)`, all...)
	if err != nil || n > 0 {
		return err
	}
	e, err := loadExperiment(ctx, q, id)
	if err != nil {
		return err
	}
	return bot.Errorf(bot.EConflict, "test #%d is %s, not %s", id, e.Status, strings.Join(from, " or "))
}

// loadExperiment reads one experiment with its replications.
func loadExperiment(ctx context.Context, q *querier, id int64) (store.Experiment, error) {
	rows, err := q.query(ctx, `SELECT `+experimentColumns+` FROM experiments e WHERE e.id = ?`, id)
	if err != nil {
		return store.Experiment{}, err
	}
	es, err := collect(rows, scanExperiment)
	if err != nil {
		return store.Experiment{}, err
	}
	if len(es) == 0 {
		return store.Experiment{}, bot.Errorf(bot.ENotFound, "no test #%d", id)
	}
	if err := attachReplications(ctx, q, es); err != nil {
		return store.Experiment{}, err
	}
	return es[0], nil
}

// attachReplications fills in the Replications of es, in the order they
// happened.
func attachReplications(ctx context.Context, q *querier, es []store.Experiment) error {
	if len(es) == 0 {
		return nil
	}
	byID := make(map[int64]*store.Experiment, len(es))
	for i := range es {
		byID[es[i].ID] = &es[i]
	}
	// One experiment (every load, vote and move) reads only its own rows.
	w := where{}
	if len(es) == 1 {
		w.add("experiment_id = ?", es[0].ID)
	}
	rows, err := q.query(ctx, `SELECT experiment_id, brand FROM experiment_replications`+w.sql()+` ORDER BY replicated_at, brand`, w.args...)
	if err != nil {
		return err
	}
	type replication struct {
		id    int64
		brand string
	}
	reps, err := collect(rows, func(r Rows) (rep replication, err error) { return rep, r.Scan(&rep.id, &rep.brand) })
	if err != nil {
		return err
	}
	for _, rep := range reps {
		if e, ok := byID[rep.id]; ok {
			e.Replications = append(e.Replications, rep.brand)
		}
	}
	return nil
}

func scanExperiment(r Rows) (store.Experiment, error) {
	var (
		e                               store.Experiment
		picked, started, dropped, resAt sql.NullTime
		aS, aN, bS, bN                  sql.NullInt64
		lift, pValue                    sql.NullFloat64
		res                             store.ExperimentResult
	)
	err := r.Scan(&e.ID, &e.Title, &e.Hypothesis, &e.Metric, &e.Brand, &e.Channel, &e.Proposer, &e.ProposedAt,
		&e.Votes, &e.Status, &e.Owner, &e.OwnerBrand, &e.PickedBy, &picked, &started, &dropped,
		&aS, &aN, &bS, &bN, &lift, &pValue, &res.Winner, &res.Verdict, &res.Notes, &res.By, &resAt)
	if err != nil {
		return e, err
	}
	e.PickedAt, e.StartedAt, e.DroppedAt = picked.Time, started.Time, dropped.Time
	if resAt.Valid {
		res.A = store.Arm{Successes: aS.Int64, Trials: aN.Int64}
		res.B = store.Arm{Successes: bS.Int64, Trials: bN.Int64}
		res.Lift, res.PValue, res.At = nanIfNull(lift), nanIfNull(pValue), resAt.Time
		e.Result = &res
	}
	return e, nil
}

// finiteOrNull binds NaN and infinities as NULL: SQLite cannot keep them.
func finiteOrNull(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return f
}

func nanIfNull(f sql.NullFloat64) float64 {
	if !f.Valid {
		return math.NaN()
	}
	return f.Float64
}

func stringArgs(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
