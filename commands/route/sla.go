package route

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// clockTimers are the reminder and the escalation of an issue awaiting its
// first response, at the configured shares of its target.
func (s *Service) clockTimers(is store.RoutedIssue) []bot.Timer {
	target, start := s.target(is)
	at := func(share float64) time.Time { return start.Add(time.Duration(share * float64(target))) }
	remindAt, escalateAt := at(s.Config.Routing.Reminder), at(s.Config.Routing.Escalate)
	if s.Config.Routing.Escalate <= 0 {
		escalateAt = is.DueAt
	}
	var out []bot.Timer
	if s.Config.Routing.Reminder > 0 && remindAt.Before(escalateAt) {
		out = append(out, timer(timerRemind, is.ID, "remind", remindAt))
	}
	return append(out, timer(timerEscalate, is.ID, "escalate", escalateAt))
}

// target returns an issue's first-response target and when its clock
// started (routing, or the last reassignment).
func (s *Service) target(is store.RoutedIssue) (time.Duration, time.Time) {
	dept, _ := s.Config.Department(is.Department)
	sla := s.sla(dept)
	return sla, is.DueAt.Add(-sla)
}

// stopClock cancels an issue's reminder and escalation. A failure is only
// logged: the timers check the issue's status when they fire, so the clock
// is stopped by the status change itself.
func (s *Service) stopClock(ctx context.Context, id int64) { s.disarmClock(ctx, id, nil) }

// disarmClock cancels the issue's reminder and escalation, except those
// among armed (the ones a change has just armed anew).
func (s *Service) disarmClock(ctx context.Context, id int64, armed []bot.Timer) {
	for _, what := range []string{"remind", "escalate"} {
		key := timerKey(id, what)
		if slices.ContainsFunc(armed, func(t bot.Timer) bool { return t.Key == key }) {
			continue
		}
		if err := s.Scheduler.Cancel(ctx, key); err != nil {
			s.Log.Warn("cannot cancel route timer", "issue", id, "timer", what, "err", err)
		}
	}
}

// load decodes a route timer and loads its issue.
func (s *Service) load(ctx context.Context, t bot.Timer) (store.RoutedIssue, error) {
	id, err := issueOf(t)
	if err != nil {
		return store.RoutedIssue{}, err
	}
	is, err := s.Store.RoutedIssue(ctx, id)
	if err != nil {
		return is, fmt.Errorf("load routed issue %d: %w", id, err)
	}
	return is, nil
}

// issueOf decodes a route timer's issue id.
func issueOf(t bot.Timer) (int64, error) {
	var ref issueRef
	if err := json.Unmarshal([]byte(t.Payload), &ref); err != nil {
		return 0, fmt.Errorf("decode timer %s: %w", t.Key, err)
	}
	return ref.IssueID, nil
}

// liaisonRole is the role on duty for an issue's department.
func (s *Service) liaisonRole(is store.RoutedIssue) string {
	dept, _ := s.Config.Department(is.Department)
	return dept.LiaisonRole
}

// remind is the timer that nudges the liaison on duty halfway to the target.
func (s *Service) remind(ctx context.Context, t bot.Timer) error {
	is, roster, err := s.loadWithRoster(ctx, t)
	if err != nil || is.Status != store.IssueOpen {
		return err
	}
	dept, _ := s.Config.Department(is.Department)
	liaisons, _ := commands.HoldersAmong(roster, dept.LiaisonRole, is.Brand)
	now := s.Clock.Now()
	if !now.Before(is.DueAt) {
		return nil // fired late, after an outage: the escalation says it all
	}
	_, start := s.target(is)
	text := fmt.Sprintf("⏰ Reminder: routed issue %s for %s has had no first response for %s; it is due by %s (%s left). %s.",
		bot.FormatID(is.ID), dept.Name, bot.FormatDuration(now.Sub(start)), s.stamp(is.DueAt),
		bot.FormatDuration(is.DueAt.Sub(now)), callOut(liaisons, dept, fmt.Sprintf("please claim it: /route claim %d", is.ID)))
	msg := quoting(bot.Message{Text: text + "\n> " + excerpt(is.Text, 200), Buttons: buttons(is.ID)}, is, liaisons)
	if _, err := s.Chat.Post(ctx, dept.Channel, msg); err != nil {
		return fmt.Errorf("post reminder of issue %d: %w", is.ID, err)
	}
	return s.mark(ctx, is.ID, store.IssueReminded, now)
}

// escalate is the timer that calls the backup liaison and tells the social
// lead when the target passes without a first response.
func (s *Service) escalate(ctx context.Context, t bot.Timer) error {
	is, roster, err := s.loadWithRoster(ctx, t)
	if err != nil || is.Status != store.IssueOpen {
		return err
	}
	dept, _ := s.Config.Department(is.Department)
	backups := commands.BackupsAmong(roster, dept.LiaisonRole, is.Brand)
	leads, _ := commands.HoldersAmong(roster, socialLead, is.Brand)
	// A retry after the social note failed does not call the backups twice.
	if is.EscalatedAt.IsZero() {
		if _, err := s.Chat.Post(ctx, dept.Channel, s.escalation(is, dept, backups)); err != nil {
			return fmt.Errorf("post escalation of issue %d: %w", is.ID, err)
		}
		if err := s.mark(ctx, is.ID, store.IssueEscalated, s.Clock.Now()); err != nil {
			return err
		}
	}
	if _, err := s.Chat.Post(ctx, s.Config.Channels.Social, s.leadNote(is, dept, backups, leads)); err != nil {
		return fmt.Errorf("tell the social lead about issue %d: %w", is.ID, err)
	}
	return nil
}

// escalation is the department channel's message calling the backups.
func (s *Service) escalation(is store.RoutedIssue, dept config.Department, backups []string) bot.Message {
	sla, _ := s.target(is)
	target := bot.FormatDuration(sla)
	text := fmt.Sprintf("🚨 Escalated: routed issue %s for %s missed its first-response target (%s, due %s). ",
		bot.FormatID(is.ID), dept.Name, target, s.stamp(is.DueAt))
	if len(backups) > 0 {
		text += fmt.Sprintf("%s (backup for %s), please take it: /route claim %d", mentions(backups), dept.LiaisonRole, is.ID)
	} else {
		text += fmt.Sprintf("No backup holds %s (assign one with /role assign %s @name --backup); the social lead has been told.", dept.LiaisonRole, dept.LiaisonRole)
	}
	return quoting(bot.Message{Text: text + "\n> " + excerpt(is.Text, 200), Buttons: buttons(is.ID)}, is, backups)
}

// leadNote is the social channel's note about an escalation.
func (s *Service) leadNote(is store.RoutedIssue, dept config.Department, backups, leads []string) bot.Message {
	sla, _ := s.target(is)
	to := "no backup is assigned"
	if len(backups) > 0 {
		to = "escalated to " + mentions(backups)
	}
	lead := "no social lead is assigned"
	if len(leads) > 0 {
		lead = mentions(leads)
	}
	text := fmt.Sprintf("🚨 %s: routed issue %s (%s%s) has had no first response within %s; %s. It is in %s.",
		lead, bot.FormatID(is.ID), dept.Name, brandNote(is.Brand), bot.FormatDuration(sla), to, dept.Channel)
	return quoting(bot.Message{Text: text + "\n> " + excerpt(is.Text, 200)}, is, leads)
}
