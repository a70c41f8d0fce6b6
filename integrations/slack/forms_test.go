package slack

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/interlock-coe/interlock/bot"
)

func TestSocketModeFormsAndSubmissions(t *testing.T) {
	reject := bot.Button{Command: "/crisis reject 1", Input: &bot.Input{Name: "reason", Label: "Why?"}}
	click, _ := json.Marshal(obj{
		"type": "block_actions", "trigger_id": "9.9", "response_url": "https://hooks.example/r",
		"user": obj{"id": "U0DANA"}, "container": obj{"channel_id": "DU0DANA", "message_ts": "1700000000.000100"},
		"actions": []obj{{"type": "button", "value": reject.Action()}, {"type": "button", "value": "/crisis approve 1"}},
	})
	ins, forms, err := socketInbound("interactive", click)
	if err != nil || len(ins) != 1 || ins[0].text != "/crisis approve 1" || !ins[0].clicked || len(forms) != 1 {
		t.Fatalf("click: inbounds %+v, forms %+v, %v; want the approve command and one form", ins, forms, err)
	}
	f := forms[0]
	if f.trigger != "9.9" || f.input.Name != "reason" || f.context.Channel != "DU0DANA" || f.context.MessageTS != "1700000000.000100" {
		t.Fatalf("form %+v", f)
	}
	meta, _ := json.Marshal(f.context)
	submit, _ := json.Marshal(obj{
		"type": "view_submission", "user": obj{"id": "U0DANA"},
		"view": obj{"id": "V1", "callback_id": formCallbackID, "private_metadata": string(meta),
			"state": obj{"values": obj{formBlockID: obj{formActionID: obj{"value": " off brand "}}}}},
	})
	ins, forms, err = socketInbound("interactive", submit)
	if err != nil || len(forms) != 0 || len(ins) != 1 {
		t.Fatalf("submission: inbounds %+v, forms %+v, %v", ins, forms, err)
	}
	want := inbound{id: "slack:view:V1", user: "U0DANA", channel: "DU0DANA", text: "/crisis reject 1 off brand",
		responseURL: "https://hooks.example/r", clicked: true, messageTS: "1700000000.000100"}
	if ins[0] != want {
		t.Fatalf("submission ran %+v, want %+v", ins[0], want)
	}
	other, _ := json.Marshal(obj{"type": "view_submission", "user": obj{"id": "U0DANA"}, "view": obj{"callback_id": "someone-else", "private_metadata": string(meta)}})
	if ins, _, _ := socketInbound("interactive", other); len(ins) != 0 {
		t.Fatalf("another app's view ran %+v", ins)
	}
}

func TestReplaceFallsBackToChatUpdate(t *testing.T) {
	f := newFakeSlack(t)
	a, _, _ := testAdapter(t, f, newRecorder())
	answered := bot.Reply{Message: bot.Message{Text: "✅ Approved by @alice"}, Replace: true}
	typed := &responder{a: a, in: inbound{user: "U0ALICE", channel: "DU0ALICE"}}
	if err := typed.Respond(context.Background(), answered); err != nil || len(f.callsTo("chat.update")) != 0 {
		t.Fatalf("a typed command replaced a message (%v, %d updates)", err, len(f.callsTo("chat.update")))
	}
	clicked := &responder{a: a, in: inbound{user: "U0ALICE", channel: "DU0ALICE", clicked: true, messageTS: "1700000000.000100"}}
	if err := clicked.Respond(context.Background(), answered); err != nil {
		t.Fatal(err)
	}
	updates := f.callsTo("chat.update")
	if len(updates) != 1 || updates[0].form.Get("channel") != "DU0ALICE" || updates[0].form.Get("ts") != "1700000000.000100" ||
		updates[0].form.Get("text") != "✅ Approved by <@U0ALICE>" {
		t.Fatalf("chat.update calls %+v", updates)
	}
}
