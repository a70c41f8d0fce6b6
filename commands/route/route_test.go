package route_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/store"
)

const shipment = `{"source": "zendesk", "external_id": "z-1001", "brand": "acme", "platform": "x",
	"author": "@ann", "text": "My shipment never arrived and it has been two weeks",
	"url": "https://x.com/ann/status/1", "received_at": "2026-11-23T08:55:00Z"}`

// TestDoneWhen is the issue's acceptance scenario: three messages routed to
// customer care, sales and legal; a reminder at 31 minutes and an
// escalation to the backup at 62; claims and answers stop the clock; the
// answer reaches the inbox; a repeated inbox message creates one issue.
func TestDoneWhen(t *testing.T) {
	f := newFixture(t)
	f.assignLiaisons(t)

	// A missing shipment arrives through the inbox webhook, twice.
	code, body := f.postInbox(t, shipment)
	if code != http.StatusAccepted || body["id"] != float64(1) {
		t.Fatalf("first delivery: %d %v, want 202 id 1", code, body)
	}
	code, body = f.postInbox(t, shipment)
	if code != http.StatusOK || body["id"] != float64(1) || body["duplicate"] != true {
		t.Fatalf("repeat delivery: %d %v, want 200 id 1 duplicate", code, body)
	}
	// A pricing question and a GDPR request are typed by a social manager.
	f.Say("@priya /route auto What is your pricing for a team of 50? --brand globex").
		Contains(t, "Routed #2 to Sales (#sales)", `rule "pricing, demo, quote" matched "pricing"`, "@sam on duty")
	f.Say("@priya /route auto GDPR request: please delete all my data --link https://x.com/bob/status/2").
		Contains(t, "Routed #3 to Legal (#legal)", `matched "gdpr"`, "@dana on duty")

	issues, err := f.Store.ListRoutedIssues(context.Background(), store.RoutedIssueQuery{})
	if err != nil || len(issues) != 3 {
		t.Fatalf("issues = %d (%v), want 3: the repeated inbox message creates none", len(issues), err)
	}
	for channel, want := range map[string][]string{
		"#customer-care": {"Routed issue #1 → Customer Care", "@lee a customer issue", "My shipment never arrived", "@ann on x via zendesk", `matched "shipment"`, "[Claim → /route claim 1]", "[Answer → /route answer 1]", "[Reassign → /route reassign 1]"},
		"#sales":         {"Routed issue #2 → Sales", "@sam", "[Claim → /route claim 2]"},
		"#legal":         {"Routed issue #3 → Legal", "@dana", "https://x.com/bob/status/2"},
	} {
		posts := f.posts(channel)
		if len(posts) != 1 {
			t.Fatalf("%s has %d posts, want 1: %q", channel, len(posts), posts)
		}
		for _, w := range want {
			if !strings.Contains(posts[0], w) {
				t.Errorf("%s post lacks %q:\n%s", channel, w, posts[0])
			}
		}
	}

	// Sales claims at once: its clock stops.
	f.Say("@sam #sales /route claim 2").Contains(t, "@sam claimed #2", "clock is stopped")

	f.Advance(31 * time.Minute)
	if f.postsContaining("#customer-care", "⏰ Reminder: routed issue #1") != 1 || f.postsContaining("#customer-care", "@lee please claim it") != 1 {
		t.Errorf("no reminder for #1 in #customer-care: %q", f.posts("#customer-care"))
	}
	if f.postsContaining("#legal", "⏰ Reminder: routed issue #3") != 1 {
		t.Errorf("no reminder for #3 in #legal: %q", f.posts("#legal"))
	}
	if f.postsContaining("#sales", "Reminder") != 0 {
		t.Errorf("claimed #2 was reminded: %q", f.posts("#sales"))
	}

	// Legal answers the typed GDPR request: its clock stops, and the reply
	// goes to the social inbox with the link to the customer's message.
	f.Say("@dana #legal /route answer 3 We have received your request and will confirm deletion within 30 days.").
		Contains(t, "@dana answered #3, 31m after it was routed", "The reply was delivered to the social inbox.")

	f.Advance(31 * time.Minute)
	if f.postsContaining("#customer-care", "🚨 Escalated: routed issue #1") != 1 || f.postsContaining("#customer-care", "@maria (backup for customer-care)") != 1 {
		t.Errorf("no escalation of #1 to the backup: %q", f.posts("#customer-care"))
	}
	if f.postsContaining("#social-team", "@alex: routed issue #1 (Customer Care, acme)") != 1 {
		t.Errorf("the social lead was not told: %q", f.posts("#social-team"))
	}
	if f.postsContaining("#legal", "Escalated") != 0 || f.postsContaining("#sales", "Escalated") != 0 {
		t.Error("an answered or claimed issue was escalated")
	}

	// Customer care answers; the answer reaches the inbox.
	f.Say("@lee #customer-care /route answer 1 So sorry, Ann! A replacement ships today.").
		Contains(t, "@lee answered #1, 1h02m after it was routed", "The reply was delivered to zendesk.")
	got := f.inbox.received()
	if len(got) != 2 {
		t.Fatalf("inbox received %d answers, want 2", len(got))
	}
	if a := got[0]; a.IssueID != 3 || a.Source != "" || a.URL != "https://x.com/bob/status/2" || a.AnsweredBy != "dana" {
		t.Errorf("first answer = %+v", a)
	}
	a := got[1]
	if a.IssueID != 1 || a.Source != "zendesk" || a.ExternalID != "z-1001" || a.Brand != "acme" || a.Platform != "x" ||
		a.AnsweredBy != "lee" || a.Reply != "So sorry, Ann! A replacement ships today." ||
		!a.AnsweredAt.Equal(commandstest.Start.Add(62*time.Minute)) {
		t.Errorf("answer = %+v", a)
	}
	f.Advance(time.Hour) // the delivery timers find nothing left to send
	if n := len(f.inbox.received()); n != 2 {
		t.Errorf("inbox received %d answers after an hour, want still 2", n)
	}
	f.Say("@alex /route list").Contains(t, "#1 [customer-care, acme] answered by @lee after 1h02m · reply delivered to zendesk",
		"#2 [sales, globex] claimed by @sam after 0s", "#3 [legal] answered by @dana after 31m · reply delivered to the social inbox")

	// Every time is kept for the response-time KPIs.
	is, err := f.Store.RoutedIssue(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	for name, at := range map[string]time.Time{"received": is.ReceivedAt, "routed": is.RoutedAt, "reminded": is.RemindedAt,
		"escalated": is.EscalatedAt, "claimed": is.ClaimedAt, "answered": is.AnsweredAt, "delivered": is.DeliveredAt} {
		if at.IsZero() {
			t.Errorf("issue #1 lacks its %s time", name)
		}
	}
	if want := time.Date(2026, 11, 23, 8, 55, 0, 0, time.UTC); !is.ReceivedAt.Equal(want) {
		t.Errorf("received at %v, want the message's received_at %v", is.ReceivedAt, want)
	}
}
