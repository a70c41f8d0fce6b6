package slack

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/slack-go/slack/slacktest"

	"github.com/interlock-coe/interlock/bot"
)

// callOrder returns the position of method's first recorded call, or -1.
func (f *fakeSlack) callOrder(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.IndexFunc(f.calls, func(c apiCall) bool { return c.method == method })
}

// checkShared checks that exactly files were shared, in order, in channel.
func checkShared(t *testing.T, f *fakeSlack, channel string, files ...bot.File) {
	t.Helper()
	shared := f.sharedFiles()
	if len(shared) != len(files) {
		t.Fatalf("shared %d files, want %d in %s", len(shared), len(files), channel)
	}
	for i, s := range shared {
		if s.channel != channel || s.name != files[i].Name || s.title != files[i].Title || !bytes.Equal(s.data, files[i].Data) {
			t.Errorf("file %d: %s titled %q in %s, want %s titled %q in %s", i, s.name, s.title, s.channel, files[i].Name, files[i].Title, channel)
		}
	}
}

func TestPublicReplyUploadsFilesAfterItsMessage(t *testing.T) {
	f := newFakeSlack(t)
	a, _, _ := testAdapter(t, f, nil)
	r := &responder{a: a, in: inbound{id: "1", user: "U0ALICE", channel: "C0SOCIAL"}}
	files := []bot.File{chart("a.png", "A"), chart("b.png", "B")}
	if err := r.Respond(context.Background(), bot.Reply{Message: bot.Message{Text: "charts"}, Files: files}); err != nil {
		t.Fatal(err)
	}
	checkShared(t, f, "C0SOCIAL", files...)
	if post, done := f.callOrder("chat.postMessage"), f.callOrder("files.completeUploadExternal"); post < 0 || done < post {
		t.Errorf("message at call %d, first file at %d: want the message first", post, done)
	}
}

// TestPrivateReplyFiles: an ephemeral message cannot carry a file, so the
// files go to the sender's direct messages and the ephemeral text says so,
// or says plainly that they were left out; the text always arrives.
func TestPrivateReplyFiles(t *testing.T) {
	refuseDM := func(c slacktest.Customize) {
		c.Handle("/conversations.open", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"ok":false,"error":"cannot_dm_bot"}`))
		})
	}
	tests := []struct {
		name      string
		extra     []func(slacktest.Customize)
		files     []bot.File
		wantDM    bool
		wantNote  string
		wantNoted bool
	}{
		{"one chart by DM", nil, []bot.File{chart("kpi.png", "KPI")}, true, "Chart sent to you in a direct message", true},
		{"two charts by DM", nil, []bot.File{chart("a.png", "A"), chart("b.png", "B")}, true, "2 charts sent to you in a direct message", true},
		{"DM refused", []func(slacktest.Customize){refuseDM}, []bot.File{chart("kpi.png", "KPI")}, false, "The chart was left out", true},
		{"a CSV by DM", nil, []bot.File{{Name: "points.csv", Data: []byte("a,b\n")}}, true, "File sent to you in a direct message", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeSlack(t, tt.extra...)
			hooks := newHookServer(t)
			a, _, _ := testAdapter(t, f, nil)
			r := &responder{a: a, in: inbound{id: "1", user: "U0ALICE", channel: "C0SOCIAL", responseURL: hooks.srv.URL}}
			reply := bot.Reply{Message: bot.Message{Title: "Engagement rate", Text: "3.9 %", Footer: "/kpi"}, Private: true, Files: tt.files}
			if err := r.Respond(context.Background(), reply); err != nil {
				t.Fatal(err)
			}
			if tt.wantDM {
				want := slices.Clone(tt.files)
				if want[0].Title == "" {
					want[0].Title = want[0].Name
				}
				checkShared(t, f, "DU0ALICE", want...)
			} else if shared := f.sharedFiles(); len(shared) != 0 {
				t.Fatalf("shared %+v, want nothing", shared)
			}
			got := hooks.received()
			if len(got) != 1 || got[0]["response_type"] != "ephemeral" {
				t.Fatalf("response_url got %v, want one ephemeral message", got)
			}
			shown := fmt.Sprint(got[0]["blocks"])
			for _, want := range []string{"Engagement rate", "3.9 %", "/kpi", tt.wantNote} {
				if !strings.Contains(shown, want) {
					t.Errorf("ephemeral message %s lacks %q", shown, want)
				}
			}
			if n := len(f.callsTo("chat.postMessage")); n != 0 {
				t.Errorf("a private reply posted %d public messages", n)
			}
		})
	}
}

// TestPrivateReplyInDirectMessagesAttachesThere: in the bot's own DM
// channel a private reply is an ordinary message, and its files follow it
// there without a note.
func TestPrivateReplyInDirectMessagesAttachesThere(t *testing.T) {
	f := newFakeSlack(t)
	a, _, _ := testAdapter(t, f, nil)
	r := &responder{a: a, in: inbound{id: "1", user: "U0ALICE", channel: "DU0ALICE", direct: true}}
	file := chart("kpi.png", "KPI")
	if err := r.Respond(context.Background(), bot.Reply{Message: bot.Message{Text: "3.9 %"}, Private: true, Files: []bot.File{file}}); err != nil {
		t.Fatal(err)
	}
	checkShared(t, f, "DU0ALICE", file)
	posts := f.callsTo("chat.postMessage")
	if len(posts) != 1 || strings.Contains(posts[0].form.Get("blocks"), "direct message") {
		t.Errorf("posts %+v, want the message once, without a note", posts)
	}
}

// TestPublicReplyWhereTheBotIsNotAMember: the text goes through the
// response_url; the channel refuses the file, which then goes to the
// sender's direct messages with a note only they see.
func TestPublicReplyWhereTheBotIsNotAMember(t *testing.T) {
	f := newFakeSlack(t)
	hooks := newHookServer(t)
	a, _, _ := testAdapter(t, f, nil)
	f.notMember["G0SECRET"] = true
	f.files.refuse = map[string]string{"G0SECRET": "not_in_channel"}
	r := &responder{a: a, in: inbound{id: "1", user: "U0ALICE", channel: "G0SECRET", responseURL: hooks.srv.URL}}
	file := chart("kpi.png", "KPI")
	if err := r.Respond(context.Background(), bot.Reply{Message: bot.Message{Text: "3.9 %"}, Files: []bot.File{file}}); err != nil {
		t.Fatal(err)
	}
	checkShared(t, f, "DU0ALICE", file)
	got := hooks.received()
	if len(got) != 2 || got[0]["response_type"] != "in_channel" || got[1]["response_type"] != "ephemeral" ||
		!strings.Contains(fmt.Sprint(got[1]["text"]), "Chart sent to you in a direct message") {
		t.Fatalf("response_url got %v, want the text in the channel, then a note to the sender", got)
	}
}

func TestDMNote(t *testing.T) {
	two := []bot.File{chart("a.png", "A"), chart("b.png", "B")}
	tests := []struct {
		files []bot.File
		sent  int
		want  string
	}{
		{two[:1], 1, "📎 Chart sent to you in a direct message"},
		{two, 2, "📎 2 charts sent to you in a direct message"},
		{two, 1, "📎 1 of 2 charts sent to you in a direct message; the others were left out"},
		{two[:1], 0, "📎 The chart was left out: Slack cannot attach it"},
		{two, 0, "📎 The 2 charts were left out"},
		{[]bot.File{two[0], {Name: "points.csv"}}, 2, "📎 2 files sent"},
	}
	for _, tt := range tests {
		if got := dmNote(tt.files, tt.sent); !strings.HasPrefix(got, tt.want) {
			t.Errorf("dmNote(%d files, %d sent) = %q, want it to start %q", len(tt.files), tt.sent, got, tt.want)
		}
	}
}
