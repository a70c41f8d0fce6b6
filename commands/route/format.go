package route

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// issueMessage is the department channel's post of an issue, with the
// buttons of what can be done to it now.
func (s *Service) issueMessage(is store.RoutedIssue, dept config.Department, liaisons []string) bot.Message {
	var head string
	switch is.Status {
	case store.IssueOpen:
		head = callOut(liaisons, dept, "a customer issue for "+dept.Name+" — please claim it")
	default:
		head = s.progress(is)
	}
	fields := []bot.Field{{Title: "From", Value: origin(is)}}
	if is.Brand != "" {
		fields = append(fields, bot.Field{Title: "Brand", Value: is.Brand})
	}
	if is.URL != "" {
		fields = append(fields, bot.Field{Title: "Link", Value: is.URL})
	}
	fields = append(fields, bot.Field{Title: "Routing", Value: reason(is)})
	if is.Status == store.IssueOpen {
		sla, _ := s.target(is)
		fields = append(fields, bot.Field{Title: "First response due", Value: fmt.Sprintf("%s (%s target)", s.stamp(is.DueAt), bot.FormatDuration(sla))})
	}
	return quoting(bot.Message{
		Title:   fmt.Sprintf("Routed issue %s → %s", bot.FormatID(is.ID), dept.Name),
		Text:    head + "\n> " + excerpt(is.Text, 1000),
		Fields:  fields,
		Buttons: actions(is),
	}, is, liaisons)
}

// quoting marks m, which quotes is's text, as outside text when the issue
// came from the inbox: its customer's words and author are shown inert, and
// only notify (the staff it calls on) are alerted.
func quoting(m bot.Message, is store.RoutedIssue, notify []string) bot.Message {
	if is.Source == "" {
		m.Notify = append([]string(nil), notify...)
		return m
	}
	return bot.Quoting(m, notify...)
}

// actions are the buttons for what can be done to an issue in its state.
// Each button's command is the typed equivalent; Answer and Reassign answer
// with their usage, asking for the reply or the department.
func actions(is store.RoutedIssue) []bot.Button {
	id := itoa(int(is.ID))
	claim := bot.Button{Label: "Claim", Command: "/route claim " + id, Style: bot.StylePrimary}
	answer := bot.Button{Label: "Answer", Command: "/route answer " + id}
	reassign := bot.Button{Label: "Reassign", Command: "/route reassign " + id}
	resolve := bot.Button{Label: "Resolve", Command: "/route resolve " + id}
	switch is.Status {
	case store.IssueOpen:
		return []bot.Button{claim, answer, reassign}
	case store.IssueClaimed:
		return []bot.Button{answer, reassign, resolve}
	case store.IssueAnswered:
		return []bot.Button{resolve}
	}
	return nil
}

// buttons are the actions of an issue still awaiting its first response.
func buttons(id int64) []bot.Button {
	return actions(store.RoutedIssue{ID: id, Status: store.IssueOpen})
}

// routedReply tells the person who routed an issue where it went and why.
func (s *Service) routedReply(r routed, auto bool) bot.Message {
	is := r.issue
	dept, _ := s.Config.Department(is.Department)
	text := fmt.Sprintf("📨 Routed %s to %s (%s)", bot.FormatID(is.ID), dept.Name, dept.Channel)
	if auto {
		text += ": " + reason(is)
	}
	text += fmt.Sprintf(". %s. First response due by %s.", callOut(r.liaisons, dept, "on duty"), s.stamp(is.DueAt))
	if r.postErr != nil {
		text += fmt.Sprintf(" ⚠ Could not post in %s yet; retrying.", dept.Channel)
	}
	return bot.Message{Text: text}
}

// progress says where a claimed, answered or resolved issue stands.
func (s *Service) progress(is store.RoutedIssue) string {
	switch is.Status {
	case store.IssueClaimed:
		return fmt.Sprintf("🙋 Claimed by @%s %s after routing.", is.ClaimedBy, bot.FormatDuration(is.ClaimedAt.Sub(is.RoutedAt)))
	case store.IssueAnswered:
		return fmt.Sprintf("💬 Answered by @%s %s after routing.", is.AnsweredBy, bot.FormatDuration(is.AnsweredAt.Sub(is.RoutedAt)))
	case store.IssueResolved:
		return fmt.Sprintf("✅ Resolved by @%s.", is.ResolvedBy)
	}
	return "Waiting for a first response."
}

// refresh redraws an issue's post where the platform can edit messages, so
// its buttons match what can still be done.
func (s *Service) refresh(ctx context.Context, is store.RoutedIssue) {
	up, ok := s.Chat.(bot.Updater)
	if !ok || is.PostID == "" {
		return
	}
	dept, _ := s.Config.Department(is.Department)
	ref := bot.MessageRef{Channel: is.PostChannel, ID: is.PostID}
	if err := up.Update(ctx, ref, s.withTemplates(ctx, is, s.issueMessage(is, dept, nil))); err != nil {
		s.Log.Warn("cannot update routed issue post", "issue", is.ID, "err", err)
	}
}

// retire redraws an issue's old post, after a reassignment, with a note
// and no buttons.
func (s *Service) retire(ctx context.Context, old store.RoutedIssue, note string) {
	up, ok := s.Chat.(bot.Updater)
	if !ok || old.PostID == "" {
		return
	}
	msg := quoting(bot.Message{
		Title: fmt.Sprintf("Routed issue %s → %s", bot.FormatID(old.ID), s.deptName(old.Department)),
		Text:  note + "\n> " + excerpt(old.Text, 1000),
	}, old, nil)
	if err := up.Update(ctx, bot.MessageRef{Channel: old.PostChannel, ID: old.PostID}, msg); err != nil {
		s.Log.Warn("cannot update routed issue post", "issue", old.ID, "err", err)
	}
}

// noOutbound says that an answer stays here for want of an outbound inbox.
func (s *Service) noOutbound(is store.RoutedIssue) string {
	text := "No outbound inbox is configured (routing.outbound.url), so the reply is only recorded: answer the customer "
	if is.URL != "" {
		return text + "at " + is.URL + "."
	}
	return text + "where they wrote."
}

// inboxName names where an issue's answer goes.
func inboxName(is store.RoutedIssue) string {
	if is.Source != "" {
		return is.Source
	}
	return "the social inbox"
}

// reason says how an issue's department was chosen.
func reason(is store.RoutedIssue) string {
	if is.ChosenBy != "" {
		return "chosen by @" + is.ChosenBy
	}
	return Match{Department: is.Department, Rule: is.Rule, Keyword: is.Keyword, Confidence: is.Confidence}.Reason()
}

// origin says who wrote an issue, and where.
func origin(is store.RoutedIssue) string {
	if is.Source == "" {
		return "typed by @" + is.RoutedBy
	}
	who := is.Author
	if who == "" {
		who = "a customer"
	}
	if is.Platform != "" {
		who += " on " + is.Platform
	}
	return who + " via " + is.Source
}

// callOut addresses the liaisons on duty with ask, or says that nobody
// holds the department's liaison role and how to fix that.
func callOut(liaisons []string, dept config.Department, ask string) string {
	if len(liaisons) == 0 {
		return fmt.Sprintf("Nobody holds %s: assign a liaison with /role assign %s @name", dept.LiaisonRole, dept.LiaisonRole)
	}
	return mentions(liaisons) + " " + ask
}

// onDuty names the liaisons, or says there are none.
func onDuty(liaisons []string, dept config.Department) string {
	if len(liaisons) == 0 {
		return "nobody (no one holds " + dept.LiaisonRole + ")"
	}
	return mentions(liaisons)
}

func (s *Service) deptName(id string) string {
	if d, ok := s.Config.Department(id); ok {
		return d.Name
	}
	return id
}

// stamp shows a time in the org's zone: the clock time today, with the
// date otherwise.
func (s *Service) stamp(t time.Time) string {
	loc := s.Config.Org.Location
	if loc == nil {
		loc = time.UTC
	}
	t, now := t.In(loc), s.Clock.Now().In(loc)
	if t.YearDay() == now.YearDay() && t.Year() == now.Year() {
		return t.Format("15:04")
	}
	return t.Format("Mon 02 Jan 15:04")
}

func mentions(people []string) string {
	out := make([]string, len(people))
	for i, p := range people {
		out[i] = bot.Mention(p)
	}
	return strings.Join(out, ", ")
}

func brandNote(brand string) string {
	if brand == "" {
		return ""
	}
	return ", " + brand
}

// excerpt shortens text to at most n runes on one line.
func excerpt(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if r := []rune(text); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return text
}
