package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack/slacktest"
	"github.com/slack-go/slack/socketmode"
)

// socketServer is a Socket Mode endpoint: it greets, sends envelopes, and
// reports each acknowledged envelope id.
func socketServer(t *testing.T, envelopes []string, acks chan<- string) func(c slacktest.Customize) {
	return func(c slacktest.Customize) {
		c.Handle("/apps.connections.open", func(w http.ResponseWriter, r *http.Request) {
			if got := r.Header.Get("Authorization"); got != "Bearer xapp-test" {
				t.Errorf("apps.connections.open with %q, want the app-level token", got)
			}
			_ = json.NewEncoder(w).Encode(obj{"ok": true, "url": "ws://" + r.Host + "/socket"})
		})
		c.Handle("/socket", func(w http.ResponseWriter, r *http.Request) {
			up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
			conn, err := up.Upgrade(w, r, nil)
			if err != nil {
				t.Errorf("upgrade: %v", err)
				return
			}
			defer conn.Close()
			hello := `{"type":"hello","num_connections":1,"connection_info":{"app_id":"A0APP"},"debug_info":{"host":"test"}}`
			for _, m := range append([]string{hello}, envelopes...) {
				if err := conn.WriteMessage(websocket.TextMessage, []byte(m)); err != nil {
					return
				}
			}
			for {
				var ack struct {
					EnvelopeID string `json:"envelope_id"`
				}
				if err := conn.ReadJSON(&ack); err != nil {
					return
				}
				acks <- ack.EnvelopeID
			}
		})
	}
}

func TestSocketModeAcknowledgesAndDispatches(t *testing.T) {
	hooks := newHookServer(t)
	slash := `{"envelope_id":"env-1","type":"slash_commands","accepts_response_payload":true,"payload":` +
		`{"token":"x","team_id":"T0TEAM","channel_id":"C0SOCIAL","user_id":"U0ALICE","command":"/kpi","text":"reach --brand <#C0SOCIAL|social>",` +
		`"response_url":"` + hooks.srv.URL + `","trigger_id":"55.66.sock"}}`
	click := `{"envelope_id":"env-2","type":"interactive","accepts_response_payload":false,"payload":` +
		`{"type":"block_actions","trigger_id":"77.88.sock","response_url":"` + hooks.srv.URL + `","user":{"id":"U0BOB"},` +
		`"channel":{"id":"G0ROOM1"},"actions":[{"type":"button","action_id":"interlock-1","value":"/crisis approve 2","action_ts":"1.2"}]}}`
	mention := `{"envelope_id":"env-3","type":"events_api","accepts_response_payload":false,"retry_attempt":0,"payload":` +
		eventBody("Ev0SOCK", `{"type":"app_mention","user":"U0ALICE","text":"<@U0BOT> crisis list","channel":"C0SOCIAL","ts":"1.3"}`) + `}`
	acks := make(chan string, 8)
	f := newFakeSlack(t, socketServer(t, []string{slash, click, mention}, acks))
	d := newRecorder()
	a, _, _ := testAdapter(t, f, d, func(o *Options) { o.AppToken = "xapp-test" })

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.RunSocketMode(ctx) }()

	got := map[string]bool{}
	for len(got) < 3 {
		select {
		case id := <-acks:
			got[id] = true
		case err := <-done:
			t.Fatalf("RunSocketMode ended early: %v", err)
		case <-time.After(30 * time.Second):
			t.Fatalf("acknowledged only %v", got)
		}
	}
	if !got["env-1"] || !got["env-2"] || !got["env-3"] {
		t.Fatalf("acknowledged %v", got)
	}
	for range 3 {
		<-d.done
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("RunSocketMode after cancel: %v", err)
	}
	idle(a)

	byID := map[string]string{}
	for _, r := range d.requests() {
		byID[r.ID] = r.User + " " + r.Channel + " " + r.Text
	}
	want := map[string]string{
		"slack:cmd:55.66.sock": "alice C0SOCIAL /kpi reach --brand #social",
		"slack:act:77.88.sock": "bob G0ROOM1 /crisis approve 2",
		"slack:evt:Ev0SOCK":    "alice C0SOCIAL /crisis list",
	}
	for id, w := range want {
		if byID[id] != w {
			t.Errorf("request %s = %q, want %q", id, byID[id], w)
		}
	}
	if n := len(hooks.received()); n != 2 {
		t.Errorf("%d replies through response_url, want 2", n)
	}
}

func TestSocketModeNeedsAnAppToken(t *testing.T) {
	a, _, _ := testAdapter(t, newFakeSlack(t), newRecorder())
	if err := a.RunSocketMode(context.Background()); err == nil {
		t.Fatal("RunSocketMode without an app token should fail")
	}
}

// TestSocketModeAckDoesNotHangWhenClosing is the regression test for
// acknowledgements queued while the connection is closing: nobody sends
// them any more, and once slack-go's queue of 20 is full an Ack without a
// context blocked RunSocketMode for good.
func TestSocketModeAckDoesNotHangWhenClosing(t *testing.T) {
	f := newFakeSlack(t)
	d := newRecorder()
	a, _, _ := testAdapter(t, f, d, func(o *Options) { o.AppToken = "xapp-test" })
	client := socketmode.New(a.api) // not connected: nothing drains its queue
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	envelope := func(n int) socketmode.Request {
		payload := fmt.Sprintf(`{"command":"/kpi","user_id":"U0ALICE","channel_id":"C0SOCIAL","trigger_id":"1.2.%d"}`, n)
		return socketmode.Request{Type: socketmode.RequestTypeSlashCommands, EnvelopeID: fmt.Sprint("env-", n), Payload: json.RawMessage(payload)}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for n := range 50 {
			a.socketRequest(ctx, client, envelope(n))
		}
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("socketRequest blocked on an acknowledgement nobody will send")
	}
	idle(a)
	// An envelope whose acknowledgement could not be queued did not run:
	// Slack delivers it again. At most the 20 queued ones ran.
	if n := len(d.requests()); n > 20 {
		t.Fatalf("%d unacknowledged envelopes ran", n)
	}
}
