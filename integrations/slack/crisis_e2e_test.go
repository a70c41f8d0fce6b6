package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/crisis"
	"github.com/interlock-coe/interlock/commands/role"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// crew are the example configuration's people in this test and their
// Slack user ids. The example configuration has no Slack ids, so the
// adapter finds them by email (users.lookupByEmail) and maps clickers back
// by users.info.
var crew = map[string]string{
	"alex": "U0ALEX", "sam": "U0SAM", "maria": "U0MARIA", "dana": "U0DANA", "lee": "U0LEE",
}

// crisisRoom is the first room the fake Slack creates.
const crisisRoom = "G0ROOM1"

// slackCrisis is the real /crisis feature on the commandstest harness,
// with the Slack adapter as its chat, against the fake Slack.
type slackCrisis struct {
	t     *testing.T
	h     *commandstest.Harness
	f     *fakeSlack
	a     *Adapter
	clock *fakeClock
	hooks *hookServer
}

func newSlackCrisis(t *testing.T) *slackCrisis {
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
	register := func(r *bot.Router, d commands.Deps) { crisis.Register(r, d, d.Store) }
	s.h = commandstest.New(t, []commandstest.Register{role.Register, register},
		commandstest.WithChat(func(r *bot.Router) bot.Chat {
			s.a, s.clock, _ = testAdapter(t, s.f, r, func(o *Options) { o.Directory = cfg })
			return s.a
		}))
	for _, line := range []string{
		"/role assign comms @sam",
		"/role assign legal @dana",
		"/role assign spokesperson @maria",
		"/role assign customer-care @lee",
	} {
		if r := s.h.Say(line); r.Err != nil {
			t.Fatalf("%s: %v", line, r.Err)
		}
	}
	return s
}

// command posts a signed /crisis slash command typed by person in channel
// and waits until the adapter has finished the work it started.
func (s *slackCrisis) command(person, channel, text, trigger string) int {
	s.t.Helper()
	body := commandForm("/crisis", text, crew[person], channel, trigger, s.hooks.srv.URL)
	w := serve(s.a, signed("/slack/commands", body, s.clock.now))
	idle(s.a)
	return w.Code
}

// click posts a signed block_actions payload: person clicks the button
// whose value is command, in channel.
func (s *slackCrisis) click(person, channel, command, trigger string) int {
	s.t.Helper()
	payload, err := json.Marshal(map[string]any{
		"type": "block_actions", "trigger_id": trigger, "response_url": s.hooks.srv.URL,
		"user":      map[string]string{"id": crew[person], "username": person},
		"channel":   map[string]string{"id": channel},
		"container": map[string]string{"type": "message", "channel_id": channel, "message_ts": "1700000000.000100"},
		"actions": []map[string]string{{
			"type": "button", "action_id": "interlock-1", "block_id": "b", "value": command, "action_ts": "1700000001.1",
		}},
	})
	if err != nil {
		s.t.Fatal(err)
	}
	w := serve(s.a, signed("/slack/interactions", url.Values{"payload": {string(payload)}}.Encode(), s.clock.now))
	idle(s.a)
	return w.Code
}

func TestSlackCrisisOpenEndToEnd(t *testing.T) {
	s := newSlackCrisis(t)
	open := "open sev2 Checkout outage --brand acme"

	// Refused requests reach neither the router nor Slack.
	body := commandForm("/crisis", open, crew["alex"], "C0SOCIAL", "100.1.bad", s.hooks.srv.URL)
	forged := signed("/slack/commands", body, s.clock.now)
	forged.Header.Set("X-Slack-Signature", "v0="+strings.Repeat("ab", 32))
	if code := serve(s.a, forged).Code; code != http.StatusUnauthorized {
		t.Errorf("bad signature answered %d, want 401", code)
	}
	stale := signed("/slack/commands", body, s.clock.now.Add(-6*time.Minute))
	if code := serve(s.a, stale).Code; code != http.StatusUnauthorized {
		t.Errorf("6-minute-old timestamp answered %d, want 401", code)
	}
	idle(s.a)
	if n := len(s.f.callsTo("conversations.create")) + len(s.f.callsTo("users.info")); n != 0 {
		t.Fatalf("refused requests made %d Slack calls", n)
	}

	if code := s.command("alex", "C0SOCIAL", open, "100.1.open"); code != http.StatusOK {
		t.Fatalf("signed /crisis open answered %d", code)
	}

	creates := s.f.callsTo("conversations.create")
	if len(creates) != 1 || creates[0].form.Get("name") != "crisis-20261123-checkout-outage" || creates[0].form.Get("is_private") != "true" {
		t.Fatalf("want one private conversations.create named crisis-20261123-checkout-outage; got %+v", creates)
	}
	invites := s.f.callsTo("conversations.invite")
	if len(invites) != 1 || invites[0].form.Get("channel") != crisisRoom {
		t.Fatalf("want exactly one conversations.invite to %s; got %+v", crisisRoom, invites)
	}
	invited := strings.Split(invites[0].form.Get("users"), ",")
	slices.Sort(invited)
	if want := []string{"U0ALEX", "U0DANA", "U0LEE", "U0MARIA", "U0SAM"}; !slices.Equal(invited, want) {
		t.Fatalf("invited %v, want %v (alex, sam, maria, dana, lee)", invited, want)
	}
	topics := s.f.callsTo("conversations.setTopic")
	if len(topics) == 0 {
		t.Fatal("no conversations.setTopic")
	}
	for _, c := range topics {
		if c.form.Get("channel") != crisisRoom || !strings.HasPrefix(c.form.Get("topic"), "sev2 · Checkout outage · acme · check-ins every 30m") {
			t.Errorf("topic call %v", c.form)
		}
	}
	s.checkBrief(t)
	announce := postsTo(s.f, "C0SOCIAL")
	if len(announce) != 1 || !strings.Contains(announce[0].form.Get("text"), "Crisis #1 opened (sev2): Checkout outage → #crisis-20261123-checkout-outage") ||
		strings.Contains(announce[0].form.Get("text"), "pending") {
		t.Fatalf("reply where /crisis open was typed: %+v", announce)
	}
}

// checkBrief checks that the room got one message, the brief in Block
// Kit with the holding statement, and that exactly it was pinned.
func (s *slackCrisis) checkBrief(t *testing.T) {
	t.Helper()
	briefs := postsTo(s.f, crisisRoom)
	if len(briefs) != 1 {
		t.Fatalf("%d posts in the room, want the brief", len(briefs))
	}
	types, blocks := blockTypes(t, briefs[0])
	if !slices.Equal(types, []string{"header", "section", "section", "context"}) {
		t.Fatalf("brief blocks %v", types)
	}
	if title := blocks[0]["text"].(map[string]any)["text"]; title != "🚨 SEV2 — Checkout outage (acme)" {
		t.Errorf("brief header %q", title)
	}
	fields := blocks[2]["fields"].([]any)
	holding := fields[0].(map[string]any)["text"].(string)
	sev, _ := s.h.Deps.Config.Severity("sev2")
	if !strings.HasPrefix(holding, "*Holding statement (pre-approved)*\n") || !strings.Contains(holding, sev.HoldingStatement) {
		t.Errorf("holding statement field %q", holding)
	}
	if spokes := fields[1].(map[string]any)["text"].(string); !strings.Contains(spokes, "<@U0MARIA> (spokesperson)") {
		t.Errorf("spokesperson field %q does not mention maria's Slack account", spokes)
	}

	cr, err := s.h.Store.Crisis(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	pins := s.f.callsTo("pins.add")
	if cr.BriefChannel != crisisRoom || cr.BriefID == "" ||
		len(pins) != 1 || pins[0].form.Get("channel") != crisisRoom || pins[0].form.Get("timestamp") != cr.BriefID {
		t.Fatalf("want the brief (%s %s) pinned once; pins.add calls %+v", cr.BriefChannel, cr.BriefID, pins)
	}
}

func TestSlackCrisisApprovalButtons(t *testing.T) {
	s := newSlackCrisis(t)
	s.command("alex", "C0SOCIAL", "open sev2 Checkout outage --brand acme", "100.2.open")
	if code := s.command("alex", crisisRoom, "propose We know checkout is failing and are fixing it.", "100.2.propose"); code != http.StatusOK {
		t.Fatalf("propose answered %d", code)
	}

	var opened []string
	for _, c := range s.f.callsTo("conversations.open") {
		opened = append(opened, c.form.Get("users"))
	}
	slices.Sort(opened)
	if !slices.Equal(opened, []string{"U0DANA", "U0SAM"}) {
		t.Fatalf("direct messages opened with %v, want the comms and legal holders", opened)
	}
	for _, dm := range []string{"DU0DANA", "DU0SAM"} {
		asks := postsTo(s.f, dm)
		if len(asks) != 1 {
			t.Fatalf("%d messages to %s, want the approval request", len(asks), dm)
		}
		if values := buttonValues(t, asks[0]); !slices.Contains(values, "/crisis approve 1") {
			t.Fatalf("approval request to %s has buttons %v", dm, values)
		}
	}

	for _, vote := range []struct{ person, room, trigger, want string }{
		{"sam", "DU0SAM", "300.2.sam", "approved proposal #1 as comms (1 of 2)"},
		{"dana", "DU0DANA", "300.2.dana", "is approved — quorum met"},
	} {
		if code := s.click(vote.person, vote.room, "/crisis approve 1", vote.trigger); code != http.StatusOK {
			t.Fatalf("%s's click answered %d", vote.person, code)
		}
		room := postsTo(s.f, crisisRoom)
		if last := room[len(room)-1].form.Get("text"); !strings.Contains(last, vote.want) {
			t.Fatalf("after %s's click the room last read %q, want %q", vote.person, last, vote.want)
		}
	}
	p, err := s.h.Store.Proposal(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != store.ProposalApproved {
		t.Fatalf("proposal #1 is %s, want approved", p.Status)
	}
}

// buttonValues returns the values of the buttons a chat.postMessage sent.
func buttonValues(t *testing.T, c apiCall) []string {
	t.Helper()
	_, blocks := blockTypes(t, c)
	var out []string
	for _, b := range blocks {
		if b["type"] != "actions" {
			continue
		}
		for _, el := range b["elements"].([]any) {
			out = append(out, el.(map[string]any)["value"].(string))
		}
	}
	return out
}

// TestSlackCrisisAnsweredButtons clicks the buttons of approval requests:
// Approve replaces the request through the response_url to say who
// approved, without buttons; Reject opens a modal (views.open with the
// click's trigger_id) whose submission rejects with the reason typed.
func TestSlackCrisisAnsweredButtons(t *testing.T) {
	s := newSlackCrisis(t)
	s.command("alex", "C0SOCIAL", "open sev2 Checkout outage --brand acme", "100.3.open")
	s.command("alex", crisisRoom, "propose We know checkout is failing and are fixing it.", "100.3.propose")
	values := buttonValues(t, postsTo(s.f, "DU0SAM")[0])
	if len(values) != 2 || values[0] != "/crisis approve 1" {
		t.Fatalf("approval request buttons %q", values)
	}

	s.click("sam", "DU0SAM", values[0], "300.3.sam")
	replaced := s.replacements()
	if len(replaced) != 1 || !strings.Contains(fmt.Sprint(replaced[0]["text"]), "Approved by <@U0SAM> as comms") ||
		strings.Contains(fmt.Sprint(replaced[0]["blocks"]), "actions") {
		t.Fatalf("after sam's click the response_url got replacements %v, want one saying who approved, without buttons", replaced)
	}

	s.click("dana", "DU0DANA", values[1], "300.3.dana")
	views := s.f.openedViews()
	if len(views) != 1 || views[0]["trigger_id"] != "300.3.dana" {
		t.Fatalf("views.open requests %v, want one with dana's trigger_id", views)
	}
	view, _ := views[0]["view"].(map[string]any)
	if view["callback_id"] != formCallbackID || !strings.Contains(fmt.Sprint(view["blocks"]), "input") {
		t.Fatalf("the modal opened is %v", view)
	}
	if p, _ := s.h.Store.Proposal(context.Background(), 1); p.Status != store.ProposalPending {
		t.Fatalf("opening the modal changed proposal #1 to %s", p.Status)
	}
	s.submit("dana", view["private_metadata"].(string), "Too defensive, soften it")
	p, err := s.h.Store.Proposal(context.Background(), 1)
	if err != nil || p.Status != store.ProposalRejected {
		t.Fatalf("proposal #1 is %s (%v), want rejected", p.Status, err)
	}
	replaced = s.replacements()
	if len(replaced) != 2 || !strings.Contains(fmt.Sprint(replaced[1]["text"]), "Rejected by <@U0DANA> as legal: Too defensive, soften it") {
		t.Fatalf("after dana's submission the response_url got replacements %v", replaced)
	}
	room := postsTo(s.f, crisisRoom)
	if last := room[len(room)-1].form.Get("text"); !strings.Contains(last, "Too defensive, soften it") {
		t.Fatalf("the room last read %q, want the rejection with the typed reason", last)
	}
}

// submit posts a signed view_submission of the modal with metadata, with
// text typed in its field, as person.
func (s *slackCrisis) submit(person, metadata, text string) {
	s.t.Helper()
	payload, err := json.Marshal(map[string]any{
		"type": "view_submission", "user": map[string]string{"id": crew[person]},
		"view": map[string]any{
			"id": "V0FORM", "callback_id": formCallbackID, "private_metadata": metadata,
			"state": map[string]any{"values": map[string]any{formBlockID: map[string]any{formActionID: map[string]any{"type": "plain_text_input", "value": text}}}},
		},
	})
	if err != nil {
		s.t.Fatal(err)
	}
	w := serve(s.a, signed("/slack/interactions", url.Values{"payload": {string(payload)}}.Encode(), s.clock.now))
	idle(s.a)
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		s.t.Fatalf("view_submission answered %d %q, want an empty 200 that closes the modal", w.Code, w.Body)
	}
}

// replacements are the response_url posts that replace the clicked message.
func (s *slackCrisis) replacements() []obj {
	var out []obj
	for _, m := range s.hooks.received() {
		if m["replace_original"] == true {
			out = append(out, m)
		}
	}
	return out
}
