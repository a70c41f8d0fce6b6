package route_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/route"
	"github.com/interlock-coe/interlock/store"
)

// TestReassignArmsItsTimersWithTheChange is a regression test: the new
// department's post retry and clock used to be armed after the
// reassignment committed, so a failure (or a crash) in between left the
// issue in its new department unposted and without a clock.
func TestReassignArmsItsTimersWithTheChange(t *testing.T) {
	f, timers := newFlakyFixture(t)
	f.assignLiaisons(t)
	f.Say("@priya /route sales Can you sue them for me?") // #1
	timers.down.Store(true)
	f.Chat.FailNext("post", errors.New("slack is down"))
	f.Say("@sam #sales /route reassign 1 legal").Contains(t, "@sam reassigned #1 from Sales to Legal", "⚠ Could not post in #legal yet; retrying.")
	timers.down.Store(false)

	f.Advance(31 * time.Minute)
	if f.postsContaining("#legal", "Routed issue #1 → Legal") != 1 {
		t.Errorf("the reassigned issue was never posted in #legal: %q", f.posts("#legal"))
	}
	if f.postsContaining("#legal", "⏰ Reminder: routed issue #1 for Legal") != 1 {
		t.Errorf("no reminder from the new clock in #legal: %q", f.posts("#legal"))
	}
	if f.postsContaining("#sales", "Reminder") != 0 {
		t.Errorf("the old department was reminded: %q", f.posts("#sales"))
	}
}

// TestReassignAnAnsweredIssueStartsNoClock checks that reassigning an
// answered issue moves its post but arms no reminder or escalation.
func TestReassignAnAnsweredIssueStartsNoClock(t *testing.T) {
	f := newFixture(t)
	f.assignLiaisons(t)
	f.Say("@priya /route sales Can you sue them for me?") // #1
	f.Say("@sam /route answer 1 Asking legal for you")
	f.Say("@sam /route reassign 1 legal").Contains(t, "@sam reassigned #1 from Sales to Legal")
	f.Advance(3 * time.Hour)
	if n := f.postsContaining("#legal", "Routed issue #1 → Legal"); n != 1 {
		t.Errorf("#legal has %d posts of #1, want 1: %q", n, f.posts("#legal"))
	}
	if f.postsContaining("#legal", "Reminder") != 0 || f.postsContaining("#legal", "Escalated") != 0 {
		t.Errorf("an answered issue got a clock after its reassignment: %q", f.posts("#legal"))
	}
}

// TestResolveSucceedsWhenTheRepostCannotBeCancelled is a regression test:
// /route resolve used to answer "Something went wrong" after it had
// resolved the issue, when cancelling the post's retry failed.
func TestResolveSucceedsWhenTheRepostCannotBeCancelled(t *testing.T) {
	f, timers := newFlakyFixture(t)
	f.assignLiaisons(t)
	f.Say("@priya /route sales Wants a quote") // #1
	timers.down.Store(true)
	r := f.Say("@sam /route resolve 1").Contains(t, "✅ #1 resolved by @sam")
	if r.Err != nil {
		t.Errorf("resolve failed after resolving: %v", r.Err)
	}
	timers.down.Store(false)
	if is, err := f.Store.RoutedIssue(context.Background(), 1); err != nil || is.Status != store.IssueResolved {
		t.Fatalf("issue = %+v (%v), want resolved", is, err)
	}
	f.Advance(2 * time.Hour)
	if f.postsContaining("#sales", "Reminder") != 0 || f.postsContaining("#sales", "Escalated") != 0 {
		t.Errorf("a resolved issue was reminded or escalated: %q", f.posts("#sales"))
	}
}

// hangUp is a store that cancels the request's context as soon as the
// routed issue is stored, as a webhook sender that hangs up then would.
type hangUp struct {
	store.Store
	cancel context.CancelFunc
}

func (h *hangUp) CreateRoutedIssue(ctx context.Context, is store.RoutedIssue, timers func(store.RoutedIssue) []bot.Timer) (store.RoutedIssue, bool, error) {
	got, created, err := h.Store.CreateRoutedIssue(ctx, is, timers)
	if h.cancel != nil {
		h.cancel()
	}
	return got, created, err
}

// TestASenderHangingUpDoesNotDelayThePost is a regression test: the post of
// an inbox message used the webhook request's context, so a sender that
// hung up once the message was stored left it unposted until the retry.
func TestASenderHangingUpDoesNotDelayThePost(t *testing.T) {
	hang := &hangUp{}
	f := newFixtureWith(t, 0, func(d commands.Deps) commands.Deps {
		hang.Store = d.Store
		d.Store = hang
		return d
	})
	f.assignLiaisons(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hang.cancel = cancel
	id, created, err := f.svc.Ingest(ctx, route.Message{Source: "zendesk", ExternalID: "z-9", Text: "Where is my order?"})
	if err != nil || !created || id != 1 {
		t.Fatalf("Ingest = %d, %v, %v", id, created, err)
	}
	if posts := f.posts("#customer-care"); len(posts) != 1 || !strings.Contains(posts[0], "@lee a customer issue") {
		t.Errorf("#customer-care right after the hang-up: %q, want the issue posted", posts)
	}
}

func TestResolveRefusalNamesWhoRoutedIt(t *testing.T) {
	f := newFixture(t)
	f.assignLiaisons(t)
	f.Say("@priya /route sales Wants a quote") // #1
	f.Say("@noah /route resolve 1").Fails(t, bot.EForbidden, "or @priya who routed it may do that to #1")
	f.Say("@noah /route claim 1").Fails(t, bot.EForbidden, "social-lead or the CoE lead may do that to #1")
}
