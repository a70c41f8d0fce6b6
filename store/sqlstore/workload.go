package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/interlock-coe/interlock/store"
)

// workloadQueries count each kind of open work per person; each returns
// (person, count) rows.
var workloadQueries = []struct {
	kind  string
	sql   string
	count func(*store.Workload) *int
}{
	{"requests", `SELECT claimed_by, COUNT(*) FROM service_requests
		WHERE status = 'open' AND claimed_by <> '' GROUP BY claimed_by`,
		func(w *store.Workload) *int { return &w.Requests }},
	{"issues", `SELECT claimed_by, COUNT(*) FROM routed_issues
		WHERE status <> 'resolved' AND claimed_by <> '' GROUP BY claimed_by`,
		func(w *store.Workload) *int { return &w.Issues }},
	{"crises", `SELECT m.person, COUNT(*) FROM crisis_members m JOIN crises c ON c.id = m.crisis_id
		WHERE c.status = 'open' GROUP BY m.person`,
		func(w *store.Workload) *int { return &w.Crises }},
	// A stage's roles are stored comma-joined; a role id may hold '_',
	// which LIKE would read as a wildcard, hence the escape.
	{"content", `SELECT person, COUNT(*) FROM (
			SELECT DISTINCT ra.person AS person, s.item_id, s.position
			FROM content_stages s
			JOIN content_items i ON i.id = s.item_id
			JOIN role_assignments ra ON ra.removed_at IS NULL AND NOT ra.backup
				AND (ra.brand = '' OR ra.brand = i.brand)
				AND (',' || s.roles || ',') LIKE ('%,' || REPLACE(REPLACE(ra.role, '\', '\\'), '_', '\_') || ',%') ESCAPE '\'
			WHERE i.status = 'in-review' AND s.status = 'pending' AND ra.person <> i.submitted_by
				AND NOT EXISTS (SELECT 1 FROM content_answers a WHERE a.item_id = s.item_id
					AND a.position = s.position AND a.version = i.version AND a.person = ra.person)
		) waiting GROUP BY person`,
		func(w *store.Workload) *int { return &w.Content }},
}

// Workload counts each person's open work, one query per kind, in one
// transaction; the busiest first.
func (s *Store) Workload(ctx context.Context) ([]store.Workload, error) {
	byPerson := map[string]*store.Workload{}
	err := s.inTx(ctx, func(q *querier) error {
		for _, wq := range workloadQueries {
			rows, err := q.query(ctx, wq.sql)
			if err != nil {
				return fmt.Errorf("count %s: %w", wq.kind, err)
			}
			counts, err := collect(rows, func(r Rows) (c personCount, err error) {
				err = r.Scan(&c.person, &c.n)
				return c, err
			})
			if err != nil {
				return fmt.Errorf("count %s: %w", wq.kind, err)
			}
			for _, c := range counts {
				w, ok := byPerson[c.person]
				if !ok {
					w = &store.Workload{Person: c.person}
					byPerson[c.person] = w
				}
				*wq.count(w) += int(c.n)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("workload: %w", err)
	}
	out := make([]store.Workload, 0, len(byPerson))
	for _, w := range byPerson {
		out = append(out, *w)
	}
	slices.SortFunc(out, func(a, b store.Workload) int {
		return cmp.Or(cmp.Compare(b.Total(), a.Total()), cmp.Compare(a.Person, b.Person))
	})
	return out, nil
}

type personCount struct {
	person string
	n      int64
}
