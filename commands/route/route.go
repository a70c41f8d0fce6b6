// Package route implements /route: customer issues from the social inbox or
// typed by a social manager, classified by the configured rules and posted
// to the department that can answer them, with a first-response clock
// (durable reminder and escalation timers), claims, answers sent back to the
// inbox with retries, and every time kept for the response-time KPIs.
package route

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/store"
)

// Timer kinds.
const (
	timerRemind   = "route.remind"
	timerEscalate = "route.escalate"
	timerPost     = "route.post"
	timerDeliver  = "route.deliver"
)

// socialLead is the role told about escalations and allowed to work any
// issue.
const socialLead = "social-lead"

// Service routes customer issues. The /route commands and the inbox webhook
// both go through it.
type Service struct {
	commands.Deps
	sender  Sender
	learner *learner
	// reads and marks group the store calls of the reminders and
	// escalations firing at once (see firing.go).
	reads *bot.Group[int64, clockRead]
	marks map[store.IssueMark]*bot.Group[markCall, struct{}]
}

// New returns a service. sender delivers answers back to the social inbox;
// nil means answers are only recorded.
func New(d commands.Deps, sender Sender) *Service {
	s := &Service{Deps: d, sender: sender, learner: &learner{}}
	s.reads = bot.NewGroup(0, s.readClocks)
	s.marks = map[store.IssueMark]*bot.Group[markCall, struct{}]{}
	for _, m := range []store.IssueMark{store.IssueReminded, store.IssueEscalated} {
		s.marks[m] = bot.NewGroup(0, func(ctx context.Context, calls []markCall) ([]struct{}, error) {
			return s.markIssues(ctx, m, calls)
		})
	}
	return s
}

// Register builds the service, adds the /route commands and the route
// timers to r, and returns the service for the inbox webhook.
func Register(r *bot.Router, d commands.Deps, sender Sender) *Service {
	s := New(d, sender)
	s.Register(r)
	return s
}

// Register adds the /route commands to r and the route timers to the
// scheduler.
func (s *Service) Register(r *bot.Router) {
	r.Describe("route", "Customer issues routed to departments: route · claim · answer · resolve · reassign · list")
	r.Register(
		bot.Command{
			Group: "route", Args: "<department|auto> <summary…> [--link URL] [--brand B]",
			Summary: "Route a customer issue to a department's liaison, with a first-response clock",
			Examples: []string{
				"/route auto Customer says her parcel never arrived --link https://x.com/ann/status/1 --brand acme",
				"/route legal GDPR data request from @ann",
			},
			Options: []string{"link", "brand"}, MinWords: 2, Handler: s.routeCommand,
		},
		bot.Command{
			Group: "route", Name: "claim", Args: "<id>",
			Summary:  "Take a routed issue: the first response, which stops its clock",
			Examples: []string{"/route claim 3"}, MinWords: 1, Handler: s.claim,
		},
		bot.Command{
			Group: "route", Name: "answer", Args: "<id> <reply…> [--template NAME]",
			Summary: "Record the reply and send it back to the social inbox; with --template the words are the template's key=value",
			Examples: []string{
				"/route answer 3 Sorry about that! A replacement ships today.",
				`/route answer 3 --template late-parcel name=Ann order="A 12"`,
			},
			Options: []string{"template"}, MinWords: 1, Handler: s.answer,
		},
		bot.Command{
			Group: "route", Name: "resolve", Args: "<id>",
			Summary: "Close a routed issue", Examples: []string{"/route resolve 3"},
			MinWords: 1, Handler: s.resolve,
		},
		bot.Command{
			Group: "route", Name: "reassign", Args: "<id> <department>",
			Summary:  "Send a routed issue to another department (its clock restarts)",
			Examples: []string{"/route reassign 3 sales"}, MinWords: 1, Handler: s.reassign,
		},
		bot.Command{
			Group: "route", Name: "list", Args: "[--open|--mine]",
			Summary:  "Show routed issues with their time left and delivery state (--open: unresolved; --mine: yours to answer)",
			Examples: []string{"/route list --open", "/route list --mine"},
			Switches: []string{"open", "mine"}, Handler: s.list,
		},
	)
	s.Scheduler.Handle(timerRemind, s.remind)
	s.Scheduler.Handle(timerEscalate, s.escalate)
	s.Scheduler.Handle(timerPost, s.repost)
	s.Scheduler.Handle(timerDeliver, s.deliver)
}

// issueRef is every route timer's payload.
type issueRef struct {
	IssueID int64 `json:"issue_id"`
}

func timerKey(id int64, what string) string { return fmt.Sprintf("route:%d:%s", id, what) }

// timer is the route timer of kind for issue id, keyed by what.
func timer(kind string, id int64, what string, due time.Time) bot.Timer {
	payload, _ := json.Marshal(issueRef{id}) // cannot fail: one int64
	return bot.Timer{Kind: kind, Key: timerKey(id, what), Due: due, Payload: string(payload)}
}

func itoa(i int) string { return strconv.Itoa(i) }

func quote(s string) string { return strconv.Quote(s) }
