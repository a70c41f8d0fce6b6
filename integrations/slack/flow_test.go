package slack

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store/memory"
)

// drill is a stand-in for /crisis open: it does through bot.Chat what
// opening a crisis does (private room, one invitation, topic, a brief with
// buttons, pin) and records approvals clicked on the brief.
type drill struct {
	chat      bot.Chat
	mu        sync.Mutex
	approvals []bot.Request
}

func (d *drill) register(r *bot.Router) {
	r.Register(
		bot.Command{Group: "drill", Name: "open", Args: "<sev> <title…>", MinWords: 2, Handler: d.open},
		bot.Command{Group: "drill", Name: "approve", Args: "<proposal-id>", MinWords: 1, Handler: d.approve},
	)
}

func (d *drill) open(ctx context.Context, c *bot.Context) error {
	sev, title := strings.ToUpper(c.Args.Word(0)), c.Args.Text(1)
	room, err := d.chat.CreateRoom(ctx, bot.RoomSpec{Name: "crisis-1 " + title, Private: true})
	if err != nil {
		return err
	}
	var unknown *bot.UnknownPeopleError
	if err := d.chat.Invite(ctx, room.ID, []string{c.User, "bob", "carol", "dave"}); err != nil && !errors.As(err, &unknown) {
		return err
	}
	if err := d.chat.SetTopic(ctx, room.ID, sev+" · "+title); err != nil {
		return err
	}
	ref, err := d.chat.Post(ctx, room.ID, bot.Message{
		Title:  "Crisis #1 · " + sev + " · " + title,
		Text:   "Opened by @" + c.User + ". Holding statement: we are looking into it & will update <soon>.",
		Fields: []bot.Field{{Title: "Severity", Value: sev}, {Title: "Approvers", Value: "@bob, @carol"}},
		Buttons: []bot.Button{
			{Label: "Approve #1", Command: "/drill approve 1", Style: bot.StylePrimary},
			{Label: "Reject #1", Command: "/drill reject 1 not yet", Style: bot.StyleDanger},
		},
		Footer: "Check-in every 30m",
	})
	if err != nil {
		return err
	}
	if err := d.chat.(bot.Pinner).Pin(ctx, ref); err != nil {
		return err
	}
	if unknown != nil {
		if err := c.Privatef("No Slack account for %s", strings.Join(unknown.People, ", ")); err != nil {
			return err
		}
	}
	return c.Replyf("Crisis #1 opened in #%s", room.Name)
}

func (d *drill) approve(_ context.Context, c *bot.Context) error {
	d.mu.Lock()
	d.approvals = append(d.approvals, c.Request)
	d.mu.Unlock()
	return c.Replyf("Proposal #%s approved by @%s", c.Args.Word(0), c.User)
}

func (d *drill) approved() []bot.Request {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.approvals)
}

// blockTypes returns the types of the blocks a chat.postMessage call sent.
func blockTypes(t *testing.T, c apiCall) ([]string, []map[string]any) {
	t.Helper()
	var blocks []map[string]any
	if err := json.Unmarshal([]byte(c.form.Get("blocks")), &blocks); err != nil {
		t.Fatalf("blocks of %s: %v", c.method, err)
	}
	var types []string
	for _, b := range blocks {
		types = append(types, b["type"].(string))
	}
	return types, blocks
}

func postsTo(f *fakeSlack, channel string) []apiCall {
	var out []apiCall
	for _, c := range f.callsTo("chat.postMessage") {
		if c.form.Get("channel") == channel {
			out = append(out, c)
		}
	}
	return out
}

func TestCrisisLikeFlowAndButtonClick(t *testing.T) {
	f := newFakeSlack(t)
	hooks := newHookServer(t)
	router := bot.NewRouter(slog.New(slog.NewTextHandler(io.Discard, nil)), nil, memory.New(bot.SystemClock{}))
	d := &drill{}
	d.register(router)
	a, clock, _ := testAdapter(t, f, router)
	d.chat = a

	w := serve(a, signed("/slack/commands", commandForm("/drill", "open sev2 Shipping delays (EU)", "U0ALICE", "C0SOCIAL", "100.200.open", hooks.srv.URL), clock.now))
	if w.Code != 200 || w.Body.Len() != 0 {
		t.Fatalf("acknowledged with %d %q", w.Code, w.Body.String())
	}
	idle(a)

	creates := f.callsTo("conversations.create")
	if len(creates) != 1 || creates[0].form.Get("name") != "crisis-1-shipping-delays-eu" || creates[0].form.Get("is_private") != "true" {
		t.Fatalf("conversations.create calls: %+v", creates)
	}
	invites := f.callsTo("conversations.invite")
	if len(invites) != 1 || invites[0].form.Get("channel") != "G0ROOM1" || invites[0].form.Get("users") != "U0ALICE,U0BOB,U0CAROL" {
		t.Fatalf("want one conversations.invite of alice, bob and carol; got %+v", invites)
	}
	if topics := f.callsTo("conversations.setTopic"); len(topics) != 1 || topics[0].form.Get("topic") != "SEV2 · Shipping delays (EU)" {
		t.Fatalf("conversations.setTopic calls: %+v", topics)
	}
	briefs := postsTo(f, "G0ROOM1")
	if len(briefs) != 1 {
		t.Fatalf("%d posts in the room, want the brief", len(briefs))
	}
	types, blocks := blockTypes(t, briefs[0])
	if !slices.Equal(types, []string{"header", "section", "section", "actions", "context"}) {
		t.Fatalf("brief blocks %v", types)
	}
	if text := blocks[1]["text"].(map[string]any)["text"]; text != "Opened by <@U0ALICE>. Holding statement: we are looking into it &amp; will update &lt;soon&gt;." {
		t.Fatalf("brief text %q", text)
	}
	buttons := blocks[3]["elements"].([]any)
	if v := buttons[0].(map[string]any)["value"]; v != "/drill approve 1" {
		t.Fatalf("approve button value %v", v)
	}
	if briefs[0].form.Get("text") == "" {
		t.Fatal("the brief has no plain-text fallback")
	}
	pins := f.callsTo("pins.add")
	if len(pins) != 1 || pins[0].form.Get("channel") != "G0ROOM1" || pins[0].form.Get("timestamp") == "" {
		t.Fatalf("pins.add calls: %+v", pins)
	}
	announce := postsTo(f, "C0SOCIAL")
	if len(announce) != 1 || !strings.Contains(announce[0].form.Get("text"), "Crisis #1 opened in #crisis-1-shipping-delays-eu") {
		t.Fatalf("public reply: %+v", announce)
	}
	if msgs := hooks.received(); len(msgs) != 1 || msgs[0]["response_type"] != "ephemeral" || !strings.Contains(msgs[0]["text"].(string), "No Slack account for dave") {
		t.Fatalf("private reply: %v", msgs)
	}

	// Bob clicks Approve on the brief; Slack delivers the click twice.
	click := url.Values{"payload": {`{"type":"block_actions","trigger_id":"300.400.click","response_url":"` + hooks.srv.URL + `",
		"user":{"id":"U0BOB","username":"bob"},"channel":{"id":"G0ROOM1","name":"crisis-1-shipping-delays-eu"},
		"container":{"type":"message","channel_id":"G0ROOM1","message_ts":"` + pins[0].form.Get("timestamp") + `"},
		"actions":[{"type":"button","action_id":"interlock-1","block_id":"b","value":"/drill approve 1","action_ts":"1700000001.1"}]}`}}.Encode()
	for range 2 {
		if code := serve(a, signed("/slack/interactions", click, clock.now)).Code; code != 200 {
			t.Fatalf("click answered %d", code)
		}
		idle(a)
	}
	got := d.approved()
	if len(got) != 1 {
		t.Fatalf("%d approvals, want exactly 1", len(got))
	}
	if got[0].User != "bob" || got[0].Channel != "G0ROOM1" || got[0].Text != "/drill approve 1" || got[0].ID != "slack:act:300.400.click" {
		t.Fatalf("approval request %+v", got[0])
	}
	if room := postsTo(f, "G0ROOM1"); len(room) != 2 || !strings.Contains(room[1].form.Get("text"), "approved by <@U0BOB>") {
		t.Fatalf("room posts after the click: %+v", room)
	}
}
