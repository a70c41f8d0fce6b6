package route

import (
	"context"
	"fmt"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// The reminders and escalations of a burst fire on the scheduler's
// workers at once. Each reads its issue with the roster and records its
// mark; grouped (bot.Group), the workers of one replica share one read of
// their issues and rosters and one mark statement per kind of mark, so a
// burst costs the database a few statements a group instead of three a
// timer. A lone timer still goes at once.

// clockRead is one issue as a reminder or an escalation reads it: the
// issue and the assignments of its clock roles (with those of the other
// issues read together, which the role filters of commands.HoldersAmong
// and BackupsAmong ignore).
type clockRead struct {
	issue  store.RoutedIssue
	roster []store.RoleAssignment
	found  bool
}

// markCall is one issue's mark, recorded at at.
type markCall struct {
	id int64
	at time.Time
}

// loadWithRoster decodes a route timer and loads its issue with the
// assignments of its clock roles (its liaison role and the social lead),
// together with the other reminders and escalations firing now.
func (s *Service) loadWithRoster(ctx context.Context, t bot.Timer) (store.RoutedIssue, []store.RoleAssignment, error) {
	id, err := issueOf(t)
	if err != nil {
		return store.RoutedIssue{}, nil, err
	}
	r, err := s.reads.Do(ctx, id)
	if err == nil && !r.found {
		err = bot.Errorf(bot.ENotFound, "no routed issue #%d", id)
	}
	if err != nil {
		return store.RoutedIssue{}, nil, fmt.Errorf("load routed issue %d: %w", id, err)
	}
	return r.issue, r.roster, nil
}

// readClocks reads the issues of ids with their clock roles' assignments
// in one store call.
func (s *Service) readClocks(ctx context.Context, ids []int64) ([]clockRead, error) {
	issues, roster, err := s.Store.RoutedIssuesWithRoster(ctx, ids, func(is store.RoutedIssue) []string {
		return []string{s.liaisonRole(is), socialLead}
	})
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]store.RoutedIssue, len(issues))
	for _, is := range issues {
		byID[is.ID] = is
	}
	out := make([]clockRead, len(ids))
	for i, id := range ids {
		is, ok := byID[id]
		out[i] = clockRead{issue: is, roster: roster, found: ok}
	}
	return out, nil
}

// mark records a timer's effect on an issue, together with the same marks
// of the other timers firing now; an issue answered meanwhile is left
// alone. A failed statement fails every timer of its group (each retries).
func (s *Service) mark(ctx context.Context, id int64, mark store.IssueMark, at time.Time) error {
	g, ok := s.marks[mark]
	if !ok {
		return fmt.Errorf("update routed issue %d: unknown mark %q", id, mark)
	}
	if _, err := g.Do(ctx, markCall{id: id, at: at}); err != nil {
		return fmt.Errorf("update routed issue %d: %w", id, err)
	}
	return nil
}

// markIssues records mark on the issues of calls in one store call, at
// the latest of their times (each was posted by then).
func (s *Service) markIssues(ctx context.Context, mark store.IssueMark, calls []markCall) ([]struct{}, error) {
	ids := make([]int64, len(calls))
	var at time.Time
	for i, c := range calls {
		ids[i] = c.id
		if c.at.After(at) {
			at = c.at
		}
	}
	if _, err := s.Store.MarkRoutedIssues(ctx, mark, at, ids...); err != nil {
		return nil, err
	}
	return make([]struct{}, len(calls)), nil
}
