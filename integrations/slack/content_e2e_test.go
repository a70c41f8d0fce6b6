package slack

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/content"
	"github.com/interlock-coe/interlock/commands/role"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// newSlackContent is the real /content feature on the commandstest
// harness, with the Slack adapter as its chat, against the fake Slack.
func newSlackContent(t *testing.T) *slackCrisis {
	t.Helper()
	s := &slackCrisis{t: t, f: newFakeSlack(t), hooks: newHookServer(t)}
	s.f.mu.Lock()
	for handle, id := range crew {
		s.f.users[handle+"@example.com"] = id
		s.f.emails[id] = handle + "@example.com"
	}
	s.f.mu.Unlock()
	cfg, err := config.Load(config.Env{})
	if err != nil {
		t.Fatal(err)
	}
	s.h = commandstest.New(t, []commandstest.Register{role.Register, content.Register},
		commandstest.WithChat(func(r *bot.Router) bot.Chat {
			s.a, s.clock, _ = testAdapter(t, s.f, r, func(o *Options) { o.Directory = cfg })
			return s.a
		}))
	for _, line := range []string{"/role assign comms @sam", "/role assign legal @dana"} {
		if r := s.h.Say(line); r.Err != nil {
			t.Fatalf("%s: %v", line, r.Err)
		}
	}
	return s
}

// TestSlackContentAnsweredButtons clicks the buttons of content approval
// requests: Approve replaces the request to say who approved, without
// buttons; Reject opens a modal whose submission rejects with the reason
// typed, and replaces the request with it.
func TestSlackContentAnsweredButtons(t *testing.T) {
	s := newSlackContent(t)
	if r := s.h.Say("/content submit Launch post --link https://drive.example.com/d/1 --sensitivity high"); r.Err != nil {
		t.Fatal(r.Err)
	}
	values := buttonValues(t, postsTo(s.f, "DU0SAM")[0])
	if len(values) != 3 || values[0] != "/content approve 1" {
		t.Fatalf("approval request buttons %q", values)
	}
	s.click("sam", "DU0SAM", values[0], "400.1.sam")
	replaced := s.replacements()
	if len(replaced) != 1 || !strings.Contains(fmt.Sprint(replaced[0]["text"]), "Approved by <@U0SAM> as comms (stage comms, version 1)") ||
		strings.Contains(fmt.Sprint(replaced[0]["blocks"]), "actions") {
		t.Fatalf("after sam's click the response_url got replacements %v, want one saying who approved, without buttons", replaced)
	}

	values = buttonValues(t, postsTo(s.f, "DU0DANA")[0])
	s.click("dana", "DU0DANA", values[2], "400.2.dana")
	views := s.f.openedViews()
	if len(views) != 1 || views[0]["trigger_id"] != "400.2.dana" {
		t.Fatalf("views.open requests %v, want one with dana's trigger_id", views)
	}
	if it, _ := s.h.Store.ContentItem(context.Background(), 1); it.Status != store.ContentInReview {
		t.Fatalf("opening the modal changed content #1 to %s", it.Status)
	}
	view, _ := views[0]["view"].(map[string]any)
	s.submit("dana", view["private_metadata"].(string), "Claims need a source")
	if it, err := s.h.Store.ContentItem(context.Background(), 1); err != nil || it.Status != store.ContentRejected {
		t.Fatalf("content #1 is %s (%v), want rejected", it.Status, err)
	}
	replaced = s.replacements()
	if len(replaced) != 2 || !strings.Contains(fmt.Sprint(replaced[1]["text"]), "Rejected by <@U0DANA> as legal (stage legal, version 1):") ||
		!strings.Contains(fmt.Sprint(replaced[1]["text"]), "Claims need a source") {
		t.Fatalf("after dana's submission the response_url got replacements %v", replaced)
	}
}
