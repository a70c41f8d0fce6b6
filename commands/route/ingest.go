package route

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// Auto is the department word that asks for classification by the rules.
const Auto = "auto"

// Message is a customer message to route: from the inbox webhook, or typed
// by a social manager (no Source).
type Message struct {
	Source     string // the inbox; "" when typed
	ExternalID string // the message's id in Source; required with Source
	Brand      string
	Platform   string
	Author     string
	Text       string
	URL        string
	ReceivedAt time.Time // zero = now
	Department string    // "" or Auto = classify by the rules
	RoutedBy   string    // the person who typed it; "" = the inbox
}

// FieldError is bad input in one field of a Message. It carries the
// bot.EInvalid code, so a command shows its text to the sender.
type FieldError struct {
	Field   string // the webhook's JSON field name
	Problem string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Problem }

// Unwrap gives the error its bot.EInvalid code.
func (e *FieldError) Unwrap() error { return &bot.Error{Code: bot.EInvalid, Message: e.Problem} }

// Limits on identifiers, so that a hostile webhook cannot fill the store
// with huge keys.
const (
	maxIDLength   = 200
	maxWordLength = 100
)

// postRetry is when the durable retry of a new issue's post fires: the
// issue is posted at once, and the timer only retries if that failed or the
// process stopped first.
const postRetry = 30 * time.Second

// routed is what routing a message did.
type routed struct {
	issue    store.RoutedIssue
	created  bool
	liaisons []string // who was mentioned
	postErr  error    // the post failed and is being retried
}

// Ingest routes m: it classifies it (unless a department is given), stores
// it, posts it in the department's channel and starts its clock. A message
// whose source and external id were seen before is not routed again: its
// existing id comes back with created=false. Bad input is a *FieldError.
func (s *Service) Ingest(ctx context.Context, m Message) (id int64, created bool, err error) {
	r, err := s.route(ctx, m)
	return r.issue.ID, r.created, err
}

// route is Ingest with everything the /route command reports.
func (s *Service) route(ctx context.Context, m Message) (routed, error) {
	m, err := s.normalize(m)
	if err != nil {
		return routed{}, err
	}
	is, err := s.newIssue(ctx, m)
	if err != nil {
		return routed{}, err
	}
	// The clock and a retry of the post are armed with the issue, so that
	// no crash can leave it unposted or without its clock.
	is, created, err := s.Store.CreateRoutedIssue(ctx, is, s.newIssueTimers)
	if err != nil {
		return routed{}, fmt.Errorf("store routed issue: %w", err)
	}
	r := routed{issue: is, created: created}
	if created {
		// The issue is stored and the sender is told so from here on: a
		// webhook sender hanging up must not cancel the post, which would
		// then wait for its retry.
		r.liaisons, r.postErr = s.post(context.WithoutCancel(ctx), &r.issue)
	}
	return r, nil
}

// newIssueTimers are the timers armed with a new issue: its clock, and the
// retry of its post should the first attempt fail.
func (s *Service) newIssueTimers(is store.RoutedIssue) []bot.Timer {
	return append(s.clockTimers(is), timer(timerPost, is.ID, "post", is.RoutedAt.Add(postRetry)))
}

// normalize checks and tidies a message.
func (s *Service) normalize(m Message) (Message, error) {
	m.Source = strings.TrimSpace(m.Source)
	m.ExternalID = strings.TrimSpace(m.ExternalID)
	// Webhook text does not pass the router's normalisation: remove the
	// controls that would make a summary read backwards here too.
	m.Text = strings.TrimSpace(bot.NormalizeText(m.Text))
	m.Author = bot.NormalizeText(m.Author)
	m.Brand = strings.ToLower(strings.TrimSpace(m.Brand))
	m.Department = strings.ToLower(strings.TrimSpace(m.Department))
	switch {
	case m.Text == "":
		return m, &FieldError{"text", "is required: what did the customer say?"}
	case m.Source != "" && m.ExternalID == "":
		return m, &FieldError{"external_id", "is required with a source"}
	case m.Source == "" && m.ExternalID != "":
		return m, &FieldError{"source", "is required with an external_id"}
	case len(m.Source) > maxWordLength:
		return m, &FieldError{"source", fmt.Sprintf("is longer than %d bytes", maxWordLength)}
	case len(m.ExternalID) > maxIDLength:
		return m, &FieldError{"external_id", fmt.Sprintf("is longer than %d bytes", maxIDLength)}
	case len(m.Platform) > maxWordLength:
		return m, &FieldError{"platform", fmt.Sprintf("is longer than %d bytes", maxWordLength)}
	case len(m.Author) > maxIDLength:
		return m, &FieldError{"author", fmt.Sprintf("is longer than %d bytes", maxIDLength)}
	}
	if _, ok := s.Config.Brand(m.Brand); m.Brand != "" && !ok {
		return m, &FieldError{"brand", fmt.Sprintf("unknown brand %q; brands: %s", bot.Excerpt(m.Brand), strings.Join(s.Config.BrandIDs(), ", "))}
	}
	if err := checkLink(m.URL); err != nil {
		return m, &FieldError{"url", err.Error()}
	}
	if r := m.ReceivedAt; !r.IsZero() && (r.Year() < 2000 || r.After(s.Clock.Now().Add(24*time.Hour))) {
		return m, &FieldError{"received_at", "is not a plausible time (before 2000 or in the future)"}
	}
	return m, nil
}

// checkLink accepts "" or an absolute http(s) URL.
func checkLink(link string) error {
	if link == "" {
		return nil
	}
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(link) > 2000 {
		return fmt.Errorf("%q is not a link (want http(s)://…)", link)
	}
	return nil
}

// newIssue classifies m and fills in its clock.
func (s *Service) newIssue(ctx context.Context, m Message) (store.RoutedIssue, error) {
	match, err := s.pick(ctx, m.Department, m.Text)
	if err != nil {
		return store.RoutedIssue{}, err
	}
	chosenBy := ""
	if m.Department != "" && m.Department != Auto {
		chosenBy = m.RoutedBy
	}
	dept, _ := s.Config.Department(match.Department)
	now := s.Clock.Now()
	received := m.ReceivedAt
	if received.IsZero() {
		received = now
	}
	return store.RoutedIssue{
		Source: m.Source, ExternalID: m.ExternalID, Brand: m.Brand, Platform: m.Platform,
		Author: m.Author, Text: m.Text, URL: m.URL,
		Department: dept.ID, Rule: match.Rule, Keyword: match.Keyword, Confidence: match.Confidence,
		ChosenBy: chosenBy, RoutedBy: m.RoutedBy,
		Status: store.IssueOpen, ReceivedAt: received, RoutedAt: now, DueAt: now.Add(s.sla(dept)),
	}, nil
}

// pick chooses the department: the one named, or the rules' choice, or —
// when no rule matches — the classifier's if it is confident enough.
func (s *Service) pick(ctx context.Context, department, text string) (Match, error) {
	if department == "" || department == Auto {
		m := Classify(s.Config.Routing.Rules, s.Config.Routing.Default, text)
		if !m.Default() {
			return m, nil
		}
		if p, ok := s.classify(ctx, text); ok {
			return Match{Department: p.Department, Confidence: p.Confidence}, nil
		}
		return m, nil
	}
	dept, err := s.department(department)
	if err != nil {
		return Match{}, &FieldError{"department", bot.ErrorMessage(err)}
	}
	return Match{Department: dept.ID}, nil
}

// department validates a department word.
func (s *Service) department(word string) (config.Department, error) {
	dept, ok := s.Config.Department(word)
	if !ok {
		return dept, bot.Errorf(bot.EInvalid, "unknown department %q; departments: %s", word, strings.Join(s.Config.DepartmentIDs(), ", "))
	}
	return dept, nil
}

// sla is the department's first-response target.
func (s *Service) sla(dept config.Department) time.Duration {
	switch {
	case dept.SLA > 0:
		return dept.SLA
	case s.Config.Routing.SLA > 0:
		return s.Config.Routing.SLA
	}
	return config.DefaultSLA
}

// post posts the issue in its department's channel, mentioning the liaison
// on duty, records where, and disarms the post's retry.
func (s *Service) post(ctx context.Context, is *store.RoutedIssue) ([]string, error) {
	dept, _ := s.Config.Department(is.Department)
	liaisons, _, err := s.Roster().Holders(ctx, dept.LiaisonRole, is.Brand)
	if err != nil {
		return nil, err
	}
	ref, err := s.Chat.Post(ctx, dept.Channel, s.withTemplates(ctx, *is, s.issueMessage(*is, dept, liaisons)))
	if err != nil {
		s.Log.Warn("cannot post routed issue; will retry", "issue", is.ID, "err", err)
		return liaisons, fmt.Errorf("post issue %d in %s: %w", is.ID, dept.Channel, err)
	}
	if err := s.Scheduler.Cancel(ctx, timerKey(is.ID, "post")); err != nil {
		// Harmless: the retry finds the issue posted and does nothing.
		s.Log.Warn("cannot cancel post retry", "issue", is.ID, "err", err)
	}
	now := s.Clock.Now()
	updated, err := s.Store.UpdateRoutedIssue(ctx, is.ID, func(u *store.RoutedIssue) error {
		u.PostChannel, u.PostID, u.PostedAt = ref.Channel, ref.ID, now
		return nil
	})
	if err == nil {
		*is = updated
	} else {
		// The post is out; posting it again would only repeat it.
		s.Log.Error("cannot record post of routed issue", "issue", is.ID, "err", err)
	}
	return liaisons, nil
}

// repost is the timer that retries a failed post.
func (s *Service) repost(ctx context.Context, t bot.Timer) error {
	is, err := s.load(ctx, t)
	if err != nil || !is.PostedAt.IsZero() || is.Status == store.IssueResolved {
		return err
	}
	_, err = s.post(ctx, &is)
	return err
}
