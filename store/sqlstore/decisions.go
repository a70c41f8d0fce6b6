package sqlstore

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// Limits of ListDecisions.
const (
	defaultDecisionLimit = 50
	maxDecisionLimit     = 1000
)

// AppendDecision adds d to the decision log and returns it with its id and
// stored time. An empty kind is store.KindDecision.
func (s *Store) AppendDecision(ctx context.Context, d store.Decision) (store.Decision, error) {
	if d.Kind == "" {
		d.Kind = store.KindDecision
	}
	if d.Text == "" {
		return store.Decision{}, bot.Errorf(bot.EInvalid, "a decision needs some text")
	}
	if d.At.IsZero() {
		return store.Decision{}, fmt.Errorf("append decision %q: no time given", d.Text)
	}
	var out store.Decision
	err := s.inTx(ctx, func(q *querier) error {
		var err error
		out, err = appendDecision(ctx, q, d)
		return err
	})
	if err != nil {
		return store.Decision{}, fmt.Errorf("append decision: %w", err)
	}
	return out, nil
}

// ListDecisions returns the decisions matching f, newest first.
func (s *Store) ListDecisions(ctx context.Context, f store.DecisionQuery) ([]store.Decision, error) {
	if err := checkSearch(f.Search); err != nil {
		return nil, err
	}
	w := decisionFilter(f)
	limit := f.Limit
	if limit <= 0 {
		limit = defaultDecisionLimit
	}
	limit = min(limit, maxDecisionLimit)
	var out []store.Decision
	err := s.inTx(ctx, func(q *querier) error {
		rows, err := q.query(ctx, `SELECT id, kind, text, context, actor, brand, COALESCE(crisis_id, 0), ref, decided_at
			FROM decisions`+w.sql()+`
			ORDER BY decided_at DESC, id DESC
			LIMIT ?`, append(w.args, limit)...)
		if err != nil {
			return err
		}
		out, err = collect(rows, scanDecision)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list decisions: %w", err)
	}
	return out, nil
}

// checkSearch refuses a search text longer than store.MaxSearchLen.
func checkSearch(text string) error {
	if n := utf8.RuneCountInString(text); n > store.MaxSearchLen {
		return bot.Errorf(bot.EInvalid, "the search text is %d characters long; use at most %d", n, store.MaxSearchLen)
	}
	return nil
}

// decisionFilter turns f into conditions; zero values match everything.
func decisionFilter(f store.DecisionQuery) where {
	w := where{}
	if f.Search != "" {
		p := containsPattern(f.Search)
		w.add(`(LOWER(text) LIKE ? ESCAPE '\' OR LOWER(context) LIKE ? ESCAPE '\')`, p, p)
	}
	if !f.Since.IsZero() {
		w.add("decided_at >= ?", f.Since)
	}
	if f.Kind != "" {
		w.add("kind = ?", f.Kind)
	}
	if f.CrisisID != 0 {
		w.add("crisis_id = ?", f.CrisisID)
	}
	if f.Ref != "" {
		w.add("ref = ?", f.Ref)
	}
	return w
}

// appendDecision inserts d inside a transaction another change runs in, so
// that the change and its log entry commit together.
func appendDecision(ctx context.Context, q *querier, d store.Decision) (store.Decision, error) {
	d.At = dbTime(d.At)
	err := q.queryRow(ctx, `INSERT INTO decisions (kind, text, context, actor, brand, crisis_id, ref, decided_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		d.Kind, d.Text, d.Context, d.Actor, d.Brand, nullInt(d.CrisisID), d.Ref, d.At).Scan(&d.ID)
	if err != nil {
		return store.Decision{}, fmt.Errorf("insert decision: %w", err)
	}
	return d, nil
}

func scanDecision(r Rows) (d store.Decision, err error) {
	err = r.Scan(&d.ID, &d.Kind, &d.Text, &d.Context, &d.Actor, &d.Brand, &d.CrisisID, &d.Ref, &d.At)
	return d, err
}
