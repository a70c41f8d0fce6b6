package route_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestInboxIssuesAreOutsideText: every message quoting an inbox issue
// (the post, the reminder, the escalation and the note to the social lead,
// /route list) is marked as outside text, alerting only the staff it calls
// on; an issue typed by staff is not.
func TestInboxIssuesAreOutsideText(t *testing.T) {
	f := newFixture(t)
	f.assignLiaisons(t)
	code, _ := f.postInbox(t, `{"source": "zendesk", "external_id": "z-1", "platform": "x",
		"author": "@dana", "text": "<@123> @everyone <!channel> <#C1> my refund never came"}`)
	if code != http.StatusOK && code != http.StatusCreated && code != http.StatusAccepted {
		t.Fatalf("inbox answered %d", code)
	}
	f.Say("@sam /route sales Wants a demo, ask @dana")
	f.Advance(63 * time.Minute)

	var inbox, typed int
	for _, e := range f.Chat.Events("post") {
		m := e.Message
		if !strings.Contains(m.Text, "refund never came") {
			typed++
			if m.Outside {
				t.Errorf("a post about the typed issue in %s is outside text:\n%s", e.Channel, m.Text)
			}
			continue
		}
		inbox++
		if !m.Outside {
			t.Errorf("post in %s quoting the inbox is not outside text:\n%s", e.Channel, m.Text)
		}
		if len(m.Notify) == 0 || slices.Contains(m.Notify, "dana") {
			t.Errorf("post in %s notifies %v, want the staff it calls on, never the author", e.Channel, m.Notify)
		}
	}
	if inbox != 4 || typed == 0 {
		t.Errorf("%d inbox and %d typed posts, want the post, reminder, escalation and lead note, and typed ones", inbox, typed)
	}
	if first := f.Chat.Events("post")[0].Message; !slices.Equal(first.Notify, []string{"lee"}) {
		t.Errorf("the inbox issue's post notifies %v, want the liaison [lee]", first.Notify)
	}
	if r := f.Say("@lee /route list"); !r.Replies[0].Outside {
		t.Error("/route list, which quotes customers, is not outside text")
	}
}
