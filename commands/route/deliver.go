package route

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// Answer is a reply sent back to the social inbox; its JSON is the outbound
// webhook's body. An issue from the inbox carries its source and external
// id; one typed in chat has neither, and its link (URL) when one was given.
type Answer struct {
	Source     string    `json:"source"`
	ExternalID string    `json:"external_id"`
	Brand      string    `json:"brand"`
	Platform   string    `json:"platform"`
	IssueID    int64     `json:"issue_id"`
	URL        string    `json:"url"` // the customer's message, when known
	Reply      string    `json:"reply"`
	AnsweredBy string    `json:"answered_by"`
	AnsweredAt time.Time `json:"answered_at"`
}

// Sender delivers answers to the social inbox. integrations/inbox
// implements it over HTTP. Send may be called again for the same answer
// after a failure; receivers de-duplicate by issue id.
type Sender interface {
	Send(ctx context.Context, a Answer) error
}

var errNoOutbound = errors.New("no outbound inbox is configured (routing.outbound.url)")

// maxErrorText bounds the failure kept on an issue.
const maxErrorText = 300

// deliverFallback is when the durable delivery timer of a new answer
// fires: the answer is sent at once, and the timer only retries it if that
// failed or the process stopped first.
const deliverFallback = time.Minute

// sendNow makes the first delivery attempt of a new answer, so the inbox
// has it while the liaison is still looking, and reports how it went.
func (s *Service) sendNow(ctx context.Context, is store.RoutedIssue) error {
	sendErr := s.sender.Send(ctx, answerOf(is))
	if err := s.recordDelivery(ctx, is.ID, sendErr); err != nil {
		return err
	}
	if sendErr != nil {
		s.Log.Warn("answer not delivered; will retry", "issue", is.ID, "err", sendErr)
		return sendErr
	}
	if err := s.Scheduler.Cancel(ctx, timerKey(is.ID, "deliver")); err != nil {
		// Harmless: the timer finds the answer sent and does nothing.
		s.Log.Warn("cannot cancel delivery timer", "issue", is.ID, "err", err)
	}
	return nil
}

// deliver is the timer that sends an answer back to the inbox. A failure
// is recorded on the issue (for /route list) and returned, so the scheduler
// retries with backoff until the inbox takes it.
func (s *Service) deliver(ctx context.Context, t bot.Timer) error {
	is, err := s.load(ctx, t)
	if err != nil || is.Delivery != store.DeliveryPending {
		return err
	}
	// Without a sender (the configuration lost its outbound URL since the
	// answer) the delivery waits, visibly failing, for one to come back.
	sendErr := errNoOutbound
	if s.sender != nil {
		sendErr = s.sender.Send(ctx, answerOf(is))
	}
	if err := s.recordDelivery(ctx, is.ID, sendErr); err != nil {
		return err
	}
	if sendErr != nil {
		return fmt.Errorf("send answer to issue %d to %s: %w", is.ID, inboxName(is), sendErr)
	}
	return nil
}

// recordDelivery notes one delivery attempt: sent, or failed with sendErr.
func (s *Service) recordDelivery(ctx context.Context, id int64, sendErr error) error {
	now := s.Clock.Now()
	_, err := s.Store.UpdateRoutedIssue(ctx, id, func(is *store.RoutedIssue) error {
		is.DeliveryAttempts++
		if sendErr != nil {
			is.DeliveryError = excerpt(sendErr.Error(), maxErrorText)
			return nil
		}
		is.Delivery, is.DeliveryError, is.DeliveredAt = store.DeliverySent, "", now
		return nil
	})
	if err != nil {
		return fmt.Errorf("record delivery of issue %d: %w", id, err)
	}
	return nil
}

func answerOf(is store.RoutedIssue) Answer {
	return Answer{
		Source: is.Source, ExternalID: is.ExternalID, Brand: is.Brand, Platform: is.Platform,
		IssueID: is.ID, URL: is.URL, Reply: is.Reply, AnsweredBy: is.AnsweredBy, AnsweredAt: is.AnsweredAt.UTC(),
	}
}
