package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// Limits of ListRoutedIssues.
const (
	defaultIssueLimit = 50
	maxIssueLimit     = 1000
)

// issueColumns are the columns of routed_issues in scanIssue's order.
const issueColumns = `id, source, external_id, brand, platform, author, text, url,
	department, rule_name, keyword, chosen_by, routed_by, status,
	received_at, routed_at, due_at, post_channel, post_id, posted_at, reminded_at, escalated_at,
	claimed_by, claimed_at, answered_by, answered_at, reply, resolved_by, resolved_at,
	delivery, delivery_attempts, delivery_error, delivered_at, confidence,
	answer_template, answer_template_version`

// CreateRoutedIssue stores a new issue with its timers, or returns the one
// already stored with the same source and external id (created=false).
func (s *Store) CreateRoutedIssue(ctx context.Context, is store.RoutedIssue, timers func(store.RoutedIssue) []bot.Timer) (got store.RoutedIssue, created bool, err error) {
	if is.Text == "" || is.Department == "" || is.Status == "" || is.ReceivedAt.IsZero() || is.RoutedAt.IsZero() || is.DueAt.IsZero() {
		return is, false, bot.Errorf(bot.EInvalid, "a routed issue needs a text, a department, a status and its times")
	}
	err = s.inTx(ctx, func(q *querier) error {
		// Look first, so that a repeat does not use up an id; the insert
		// still settles a race between two deliveries.
		if is.Source != "" {
			got, err = issueByExternalID(ctx, q, is.Source, is.ExternalID)
			if !bot.IsCode(err, bot.ENotFound) {
				return err
			}
		}
		err := q.queryRow(ctx, `INSERT INTO routed_issues (source, external_id, brand, platform, author, text, url,
				department, rule_name, keyword, chosen_by, routed_by, status, received_at, routed_at, due_at, confidence)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (source, external_id) WHERE source <> '' DO NOTHING
			RETURNING id`,
			is.Source, is.ExternalID, is.Brand, is.Platform, is.Author, is.Text, is.URL,
			is.Department, is.Rule, is.Keyword, is.ChosenBy, is.RoutedBy, is.Status,
			is.ReceivedAt, is.RoutedAt, is.DueAt, is.Confidence).Scan(&is.ID)
		if errors.Is(err, ErrNoRows) {
			got, err = issueByExternalID(ctx, q, is.Source, is.ExternalID)
			return err
		}
		if err != nil {
			return err
		}
		created = true
		if got, err = loadIssue(ctx, q, is.ID, false); err != nil || timers == nil {
			return err
		}
		return scheduleTimers(ctx, q, timers(got)...)
	})
	if err != nil {
		return store.RoutedIssue{}, false, fmt.Errorf("create routed issue: %w", err)
	}
	return got, created, nil
}

// RoutedIssue returns the issue with id.
func (s *Store) RoutedIssue(ctx context.Context, id int64) (store.RoutedIssue, error) {
	var is store.RoutedIssue
	err := s.autocommit(ctx, func(q *querier) (err error) { // one read
		is, err = loadIssue(ctx, q, id, false)
		return err
	})
	if err != nil {
		return is, fmt.Errorf("load routed issue: %w", err)
	}
	return is, nil
}

// RoutedIssuesWithRoster returns the issues among ids that exist, by id,
// and the current assignments of every role that roles names for any of
// them. The reads need no common snapshot (a role changed between them is
// as if changed just after both), so on PostgreSQL a group of timer
// handlers reads with two statements, not two transactions each.
func (s *Store) RoutedIssuesWithRoster(ctx context.Context, ids []int64, roles func(store.RoutedIssue) []string) ([]store.RoutedIssue, []store.RoleAssignment, error) {
	var (
		issues []store.RoutedIssue
		as     []store.RoleAssignment
	)
	ids = distinctIDs(ids)
	err := s.autocommit(ctx, func(q *querier) error { // reads, no snapshot needed
		for chunk := range slices.Chunk(ids, issueChunk) {
			rows, err := q.query(ctx, `SELECT `+issueColumns+` FROM routed_issues WHERE id IN (`+inList(len(chunk))+`) ORDER BY id`, anys(chunk)...)
			if err != nil {
				return err
			}
			got, err := collect(rows, scanIssue)
			if err != nil {
				return err
			}
			issues = append(issues, got...)
		}
		var names []string
		for _, is := range issues {
			for _, r := range roles(is) {
				if !slices.Contains(names, r) {
					names = append(names, r)
				}
			}
		}
		if len(names) == 0 {
			return nil // assignmentsOf reads every role when given none
		}
		var err error
		as, err = assignmentsOf(ctx, q, names)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("load %d routed issues with their roster: %w", len(ids), err)
	}
	return issues, as, nil
}

// MarkRoutedIssues sets the time of mark to at on each of the issues with
// ids that is still open, in one statement per issueChunk of them, and
// returns the ids it marked.
func (s *Store) MarkRoutedIssues(ctx context.Context, mark store.IssueMark, at time.Time, ids ...int64) (marked []int64, err error) {
	column, ok := markColumns[mark]
	if !ok {
		return nil, fmt.Errorf("mark routed issues: unknown mark %q", mark)
	}
	ids = distinctIDs(ids)
	if len(ids) == 0 {
		return nil, nil
	}
	run := s.autocommit // one statement
	if len(ids) > issueChunk {
		run = s.inTx
	}
	err = run(ctx, func(q *querier) error {
		for chunk := range slices.Chunk(ids, issueChunk) {
			args := append([]any{at, store.IssueOpen}, anys(chunk)...)
			rows, err := q.query(ctx, `UPDATE routed_issues SET `+column+` = ?, revision = revision + 1
				WHERE status = ? AND id IN (`+inList(len(chunk))+`) RETURNING id`, args...)
			if err != nil {
				return err
			}
			got, err := collect(rows, func(r Rows) (id int64, err error) { return id, r.Scan(&id) })
			if err != nil {
				return err
			}
			marked = append(marked, got...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mark %d routed issues %s: %w", len(ids), mark, err)
	}
	slices.Sort(marked)
	return marked, nil
}

// issueChunk bounds the ids of one statement, well within either
// database's limit on parameters.
const issueChunk = 500

// distinctIDs returns ids sorted, without repeats.
func distinctIDs(ids []int64) []int64 {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return slices.Compact(ids)
}

// inList returns the n placeholders of an IN list: "?, ?, ?".
func inList(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// anys returns vs as arguments of a query.
func anys[T any](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

// markColumns are the columns of the marks MarkRoutedIssues sets.
var markColumns = map[store.IssueMark]string{
	store.IssueReminded:  "reminded_at",
	store.IssueEscalated: "escalated_at",
}

// UpdateRoutedIssue applies change to the issue with id and writes it back
// with timers, holding the row for the whole transaction.
func (s *Store) UpdateRoutedIssue(ctx context.Context, id int64, change func(*store.RoutedIssue) error, timers ...bot.Timer) (store.RoutedIssue, error) {
	var is store.RoutedIssue
	var changeErr error
	err := s.inTx(ctx, func(q *querier) (err error) {
		if is, err = loadIssue(ctx, q, id, true); err != nil {
			return err
		}
		if changeErr = change(&is); changeErr != nil {
			return changeErr
		}
		is.ID = id
		if err := saveIssue(ctx, q, is); err != nil {
			return err
		}
		if err := scheduleTimers(ctx, q, timers...); err != nil {
			return err
		}
		is, err = loadIssue(ctx, q, id, false)
		return err
	})
	switch {
	case changeErr != nil:
		return store.RoutedIssue{}, changeErr
	case err != nil:
		return store.RoutedIssue{}, fmt.Errorf("update routed issue: %w", err)
	}
	return is, nil
}

// ListRoutedIssues lists the issues matching f, newest first.
func (s *Store) ListRoutedIssues(ctx context.Context, f store.RoutedIssueQuery) ([]store.RoutedIssue, error) {
	w := where{}
	if f.Unresolved {
		w.add("status <> ?", store.IssueResolved)
	}
	if f.Department != "" {
		w.add("department = ?", f.Department)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = defaultIssueLimit
	}
	return s.listIssues(ctx, w, "id DESC", min(limit, maxIssueLimit))
}

// RoutedIssuesBetween lists the issues received in [from, to) for brand
// ("" = every brand), oldest first.
func (s *Store) RoutedIssuesBetween(ctx context.Context, from, to time.Time, brand string) ([]store.RoutedIssue, error) {
	w := where{}
	w.add("received_at >= ? AND received_at < ?", from, to)
	if brand != "" {
		w.add("brand = ?", brand)
	}
	return s.listIssues(ctx, w, "received_at, id", 0)
}

// Limits of RoutingExamples.
const (
	defaultExampleLimit = 5000
	maxExampleLimit     = 50000
)

// RoutingExamples returns the text and current department of up to limit
// answered issues, most recently answered first.
func (s *Store) RoutingExamples(ctx context.Context, limit int) ([]store.RoutingExample, error) {
	if limit <= 0 {
		limit = defaultExampleLimit
	}
	var out []store.RoutingExample
	err := s.inTx(ctx, func(q *querier) error {
		rows, err := q.query(ctx, `SELECT id, text, department FROM routed_issues
			WHERE answered_at IS NOT NULL ORDER BY answered_at DESC, id DESC LIMIT ?`, min(limit, maxExampleLimit))
		if err != nil {
			return err
		}
		out, err = collect(rows, func(r Rows) (e store.RoutingExample, err error) {
			err = r.Scan(&e.IssueID, &e.Text, &e.Department)
			return e, err
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("routing examples: %w", err)
	}
	return out, nil
}

// RoutingExamplesStamp counts the answered issues and sums their
// revisions: an issue answered, or an answered one changed (reassigned,
// say), changes the stamp.
func (s *Store) RoutingExamplesStamp(ctx context.Context) (store.RoutingStamp, error) {
	var st store.RoutingStamp
	err := s.inTx(ctx, func(q *querier) error {
		return q.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(revision), 0) FROM routed_issues
			WHERE answered_at IS NOT NULL`).Scan(&st.Answered, &st.Revisions)
	})
	if err != nil {
		return st, fmt.Errorf("routing examples stamp: %w", err)
	}
	return st, nil
}

// listIssues runs one filtered, ordered query; limit 0 means all.
func (s *Store) listIssues(ctx context.Context, w where, order string, limit int) ([]store.RoutedIssue, error) {
	query := `SELECT ` + issueColumns + ` FROM routed_issues` + w.sql() + ` ORDER BY ` + order
	args := w.args
	if limit > 0 {
		query += ` LIMIT ?`
		args = append(args, limit)
	}
	var out []store.RoutedIssue
	err := s.inTx(ctx, func(q *querier) error {
		rows, err := q.query(ctx, query, args...)
		if err != nil {
			return err
		}
		out, err = collect(rows, scanIssue)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list routed issues: %w", err)
	}
	return out, nil
}

// loadIssue reads one issue; forUpdate locks its row until the transaction
// ends (PostgreSQL; SQLite serialises writers anyway).
func loadIssue(ctx context.Context, q *querier, id int64, forUpdate bool) (store.RoutedIssue, error) {
	lock := ""
	if forUpdate && q.dialect == Postgres {
		lock = " FOR UPDATE"
	}
	rows, err := q.query(ctx, `SELECT `+issueColumns+` FROM routed_issues WHERE id = ?`+lock, id)
	if err != nil {
		return store.RoutedIssue{}, err
	}
	return oneIssue(rows, fmt.Sprintf("no routed issue #%d", id))
}

func issueByExternalID(ctx context.Context, q *querier, source, externalID string) (store.RoutedIssue, error) {
	rows, err := q.query(ctx, `SELECT `+issueColumns+` FROM routed_issues WHERE source = ? AND external_id = ?`, source, externalID)
	if err != nil {
		return store.RoutedIssue{}, err
	}
	return oneIssue(rows, fmt.Sprintf("no routed issue from %s %s", source, externalID))
}

// oneIssue returns the only issue of rows, or ENotFound with missing.
func oneIssue(rows Rows, missing string) (store.RoutedIssue, error) {
	issues, err := collect(rows, scanIssue)
	if err != nil {
		return store.RoutedIssue{}, err
	}
	if len(issues) == 0 {
		return store.RoutedIssue{}, bot.Errorf(bot.ENotFound, "%s", missing)
	}
	return issues[0], nil
}

// saveIssue writes every field of is but its id and its origin (source and
// external id).
func saveIssue(ctx context.Context, q *querier, is store.RoutedIssue) error {
	_, err := q.exec(ctx, `UPDATE routed_issues SET brand = ?, platform = ?, author = ?, text = ?, url = ?,
			department = ?, rule_name = ?, keyword = ?, chosen_by = ?, routed_by = ?, status = ?,
			received_at = ?, routed_at = ?, due_at = ?, post_channel = ?, post_id = ?, posted_at = ?,
			reminded_at = ?, escalated_at = ?, claimed_by = ?, claimed_at = ?, answered_by = ?, answered_at = ?,
			reply = ?, resolved_by = ?, resolved_at = ?,
			delivery = ?, delivery_attempts = ?, delivery_error = ?, delivered_at = ?, confidence = ?,
			answer_template = ?, answer_template_version = ?,
			revision = revision + 1
		WHERE id = ?`,
		is.Brand, is.Platform, is.Author, is.Text, is.URL,
		is.Department, is.Rule, is.Keyword, is.ChosenBy, is.RoutedBy, is.Status,
		is.ReceivedAt, is.RoutedAt, is.DueAt, is.PostChannel, is.PostID, zeroAsNull(is.PostedAt),
		zeroAsNull(is.RemindedAt), zeroAsNull(is.EscalatedAt), is.ClaimedBy, zeroAsNull(is.ClaimedAt),
		is.AnsweredBy, zeroAsNull(is.AnsweredAt), is.Reply, is.ResolvedBy, zeroAsNull(is.ResolvedAt),
		is.Delivery, is.DeliveryAttempts, is.DeliveryError, zeroAsNull(is.DeliveredAt), is.Confidence,
		is.Template, is.TemplateVersion,
		is.ID)
	if err != nil {
		return fmt.Errorf("save routed issue %d: %w", is.ID, err)
	}
	return nil
}

func scanIssue(r Rows) (store.RoutedIssue, error) {
	var (
		is                                             store.RoutedIssue
		posted, reminded, escalated, claimed, answered sql.NullTime
		resolved, delivered                            sql.NullTime
	)
	err := r.Scan(&is.ID, &is.Source, &is.ExternalID, &is.Brand, &is.Platform, &is.Author, &is.Text, &is.URL,
		&is.Department, &is.Rule, &is.Keyword, &is.ChosenBy, &is.RoutedBy, &is.Status,
		&is.ReceivedAt, &is.RoutedAt, &is.DueAt, &is.PostChannel, &is.PostID, &posted, &reminded, &escalated,
		&is.ClaimedBy, &claimed, &is.AnsweredBy, &answered, &is.Reply, &is.ResolvedBy, &resolved,
		&is.Delivery, &is.DeliveryAttempts, &is.DeliveryError, &delivered, &is.Confidence,
		&is.Template, &is.TemplateVersion)
	if err != nil {
		return is, err
	}
	is.PostedAt, is.RemindedAt, is.EscalatedAt = nullTimeValue(posted), nullTimeValue(reminded), nullTimeValue(escalated)
	is.ClaimedAt, is.AnsweredAt = nullTimeValue(claimed), nullTimeValue(answered)
	is.ResolvedAt, is.DeliveredAt = nullTimeValue(resolved), nullTimeValue(delivered)
	return is, nil
}
