package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/integrations/discord/discordtest"
)

// pngBytes is a small stand-in for a chart: the PNG signature and some
// bytes that are not valid UTF-8, to show the body is carried as is.
var pngBytes = append([]byte("\x89PNG\r\n\x1a\n"), 0x00, 0xff, 0xfe, 0x80, '"', '\r', '\n', '-', '-')

func chartFile() bot.File {
	return bot.File{Name: "kpi-engagement-rate.png", Title: "Engagement rate, last 12 months", Data: pngBytes}
}

// payloadOf decodes an upload's payload_json.
func payloadOf(t *testing.T, up discordtest.Upload) map[string]any {
	t.Helper()
	var p map[string]any
	if err := json.Unmarshal(up.Payload, &p); err != nil {
		t.Fatalf("payload_json %s: %v", up.Payload, err)
	}
	return p
}

func TestUploadPostsFileToChannel(t *testing.T) {
	h := newHarness(t)
	if err := h.a.Upload(t.Context(), "#social", chartFile()); err != nil {
		t.Fatal(err)
	}
	msgs := h.srv.Messages(h.social)
	if len(msgs) != 1 || msgs[0].Content != "Engagement rate, last 12 months" || len(msgs[0].Attachments) != 1 {
		t.Fatalf("messages = %+v", msgs)
	}
	if a := msgs[0].Attachments[0]; a.Filename != "kpi-engagement-rate.png" || a.ContentType != "image/png" || a.Size != len(pngBytes) {
		t.Errorf("attachment = %+v", a)
	}
	up, ok := h.srv.MessageUpload(msgs[0].ID)
	if !ok || len(up.Files) != 1 {
		t.Fatalf("upload = %+v", up)
	}
	if f := up.Files[0]; f.Field != "files[0]" || f.Name != "kpi-engagement-rate.png" || f.ContentType != "image/png" || !bytes.Equal(f.Data, pngBytes) {
		t.Errorf("file part = %s %q %s %q", f.Field, f.Name, f.ContentType, f.Data)
	}
	p := payloadOf(t, up)
	want := `[{"description":"Engagement rate, last 12 months","filename":"kpi-engagement-rate.png","id":0}]`
	if got, _ := json.Marshal(p["attachments"]); string(got) != want {
		t.Errorf("payload attachments = %s, want %s", got, want)
	}
	if got, _ := json.Marshal(p["allowed_mentions"]); string(got) != `{"parse":[],"replied_user":false}` {
		t.Errorf("allowed_mentions = %s", got)
	}
	if p["nonce"] == "" || p["enforce_nonce"] != true {
		t.Errorf("no enforced nonce in %s", up.Payload)
	}
}

func TestRateLimitedUploadIsRetried(t *testing.T) {
	h := newHarness(t)
	h.srv.RateLimitNext(http.MethodPost, "/messages", 0.01)
	if err := h.a.Upload(t.Context(), h.social, chartFile()); err != nil {
		t.Fatal(err)
	}
	msgs := h.srv.Messages(h.social)
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want the chart once", len(msgs))
	}
	if up, _ := h.srv.MessageUpload(msgs[0].ID); len(up.Files) != 1 || !bytes.Equal(up.Files[0].Data, pngBytes) {
		t.Fatalf("retried upload = %+v", up)
	}
	if n := h.countRequests("POST /api/v9/channels/" + h.social + "/messages"); n != 2 {
		t.Errorf("message posts = %d, want the 429 and its retry", n)
	}
}

// TestUploadAfterServerErrorSendsWholeBody: the transport's retry of a
// 503 sends the multipart body again from its start.
func TestUploadAfterServerErrorSendsWholeBody(t *testing.T) {
	h := newHarness(t)
	h.srv.FailNext(http.MethodPost, "/messages", http.StatusServiceUnavailable, 0)
	if err := h.a.Upload(t.Context(), h.social, chartFile()); err != nil {
		t.Fatal(err)
	}
	msgs := h.srv.Messages(h.social)
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want the chart once", len(msgs))
	}
	if up, _ := h.srv.MessageUpload(msgs[0].ID); len(up.Files) != 1 || !bytes.Equal(up.Files[0].Data, pngBytes) {
		t.Fatalf("retried upload = %+v", up)
	}
}

func TestUploadRefusesFileOverLimit(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.MaxFileSize = 8 })
	err := h.a.Upload(t.Context(), h.social, chartFile())
	var tooLarge *FileTooLargeError
	if !errors.As(err, &tooLarge) || !strings.Contains(err.Error(), "kpi-engagement-rate.png is 17 bytes; Discord takes files up to 8 bytes") {
		t.Fatalf("err = %v", err)
	}
	if n := h.countRequests("POST /api/v9/channels/" + h.social + "/messages"); n != 0 {
		t.Errorf("%d posts for a refused file", n)
	}
}

func TestUploadRefusedByDiscordFails(t *testing.T) {
	h := newHarness(t)
	h.srv.SetFileLimit(4)
	err := h.a.Upload(t.Context(), h.social, chartFile())
	if err == nil || !strings.Contains(err.Error(), "Request entity too large") {
		t.Fatalf("err = %v", err)
	}
}

// testExchange is an exchange for an interaction with id, answered over
// REST (gateway) when attaches, else through answers, standing in for the
// HTTP answer.
func testExchange(h *harness, id string, attaches bool) (*exchange, *[]*discordgo.InteractionResponse) {
	i := &discordgo.Interaction{ID: id, AppID: discordtest.AppID, Token: discordtest.Token(id), Type: discordgo.InteractionApplicationCommand, ChannelID: h.social}
	var answers []*discordgo.InteractionResponse
	x := &exchange{a: h.a, i: i, attaches: attaches}
	x.initial = func(ctx context.Context, resp *discordgo.InteractionResponse, files []bot.File) error {
		if !attaches {
			answers = append(answers, resp)
			return nil
		}
		return h.a.respondInteraction(ctx, i, resp, files)
	}
	return x, &answers
}

// TestReplyFilesReachEveryAnswer sends replies with a chart through each
// way an interaction is answered and checks where the file arrived.
func TestReplyFilesReachEveryAnswer(t *testing.T) {
	for _, tt := range []struct {
		name     string
		attaches bool // a gateway interaction: the callback carries files
		private  bool
		deferred bool // the command was slow
		kinds    string
	}{
		{name: "gateway public", attaches: true, kinds: "callback"},
		{name: "gateway private", attaches: true, private: true, kinds: "callback"},
		{name: "HTTP public", kinds: "edit"},
		{name: "HTTP private", private: true, kinds: "edit"},
		{name: "deferred public", deferred: true, kinds: "edit"},
		{name: "deferred private", deferred: true, private: true, kinds: "delete followup"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			id := "710000000000000001"
			x, answers := testExchange(h, id, tt.attaches)
			if tt.deferred {
				x.deferNow(t.Context())
			}
			err := x.Respond(t.Context(), bot.Reply{Message: bot.Message{Text: "Engagement rate"}, Private: tt.private, Files: []bot.File{chartFile()}})
			if err != nil {
				t.Fatal(err)
			}
			calls := h.srv.Calls(discordtest.Token(id))
			var kinds []string
			for _, c := range calls {
				kinds = append(kinds, c.Kind)
			}
			if strings.Join(kinds, " ") != tt.kinds {
				t.Fatalf("calls = %v, want %s", kinds, tt.kinds)
			}
			last := calls[len(calls)-1]
			if last.Message.Content != "Engagement rate" || last.Upload == nil || len(last.Upload.Files) != 1 ||
				!bytes.Equal(last.Upload.Files[0].Data, pngBytes) || len(last.Message.Attachments) != 1 {
				t.Fatalf("answer = %+v, upload %+v", last.Message, last.Upload)
			}
			// Privacy: from the answer's flags, or for an edit from the
			// deferral it replaces.
			flagged := last.Message.Flags
			if last.Kind == "edit" {
				if tt.deferred {
					flagged = 0 // the slow-command deferral is public
				} else if len(*answers) != 1 || (*answers)[0].Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
					t.Fatalf("HTTP answer = %+v, want a deferral", *answers)
				} else if d := (*answers)[0].Data; d != nil {
					flagged = d.Flags
				}
			}
			if got := flagged == discordgo.MessageFlagsEphemeral; got != tt.private {
				t.Errorf("ephemeral = %v, want %v", got, tt.private)
			}
		})
	}
}

// TestRefusedFilesLeaveTheTextOut: Discord refuses the file (too large
// for the server); the text goes out without it and says so.
func TestRefusedFilesLeaveTheText(t *testing.T) {
	for _, attaches := range []bool{true, false} {
		h := newHarness(t)
		h.srv.SetFileLimit(4)
		id := "710000000000000002"
		x, _ := testExchange(h, id, attaches)
		if err := x.Respond(t.Context(), bot.Reply{Message: bot.Message{Text: "Engagement rate"}, Private: true, Files: []bot.File{chartFile()}}); err != nil {
			t.Fatal(err)
		}
		calls := h.srv.Calls(discordtest.Token(id))
		if len(calls) != 1 {
			t.Fatalf("attaches=%v: calls = %+v", attaches, calls)
		}
		want := "Engagement rate\n⚠ Left out: kpi-engagement-rate.png (Discord answered: Request entity too large)."
		if m := calls[0].Message; m.Content != want || len(m.Attachments) != 0 || calls[0].Upload != nil {
			t.Errorf("attaches=%v: answer = %q, %d attachments", attaches, m.Content, len(m.Attachments))
		}
	}
}

func TestOversizeFilesAreExplained(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.MaxFileSize = 20 })
	id := "710000000000000003"
	x, _ := testExchange(h, id, true)
	big := bot.File{Name: "big.png", Data: bytes.Repeat([]byte{1}, 21)}
	second := chartFile()
	second.Name = "second.png"
	files := []bot.File{chartFile(), big, second}
	if err := x.Respond(t.Context(), bot.Reply{Message: bot.Message{Text: "Charts"}, Files: files}); err != nil {
		t.Fatal(err)
	}
	calls := h.srv.Calls(discordtest.Token(id))
	if len(calls) != 1 || calls[0].Upload == nil || len(calls[0].Upload.Files) != 1 || calls[0].Upload.Files[0].Name != "kpi-engagement-rate.png" {
		t.Fatalf("calls = %+v", calls)
	}
	want := "Charts\n⚠ Left out: big.png is 21 bytes; Discord takes files up to 20 bytes from this bot; " +
		"second.png: with the files before it, over the 20 bytes a message takes."
	if got := calls[0].Message.Content; got != want {
		t.Errorf("content = %q\nwant %q", got, want)
	}
}

// TestLongReplyCarriesFilesLast: a reply split over messages has its
// files on the last one.
func TestLongReplyCarriesFilesLast(t *testing.T) {
	h := newHarness(t)
	id := "710000000000000004"
	x, _ := testExchange(h, id, true)
	text := strings.Repeat("a line of the digest\n", 150) // over 2,000 characters
	if err := x.Respond(t.Context(), bot.Reply{Message: bot.Message{Text: text}, Files: []bot.File{chartFile()}}); err != nil {
		t.Fatal(err)
	}
	calls := h.srv.Calls(discordtest.Token(id))
	if len(calls) != 2 || calls[0].Kind != "callback" || calls[0].Upload != nil || calls[1].Kind != "followup" || calls[1].Upload == nil {
		t.Fatalf("calls = %+v", calls)
	}
}

func TestLeftOutNoteNeverDropsText(t *testing.T) {
	full := part{content: strings.Repeat("x", maxContent-3)}
	parts := withNote([]part{full}, "⚠ Left out: a.png.")
	if len(parts) != 2 || parts[0].content != full.content || parts[1].content != "⚠ Left out: a.png." {
		t.Fatalf("parts = %d: %q", len(parts), parts[len(parts)-1].content)
	}
}

func TestFileName(t *testing.T) {
	for in, want := range map[string]string{
		"kpi-engagement-rate.png":  "kpi-engagement-rate.png",
		"../../etc/passwd":         "passwd",
		`C:\charts\a b "c".png`:    "a_b__c_.png",
		"Prévisions.png":           "Pr_visions.png",
		"":                         "file",
		"..":                       "file",
		"semi;colon\r\nheader.png": "semi_colon__header.png",
	} {
		if got := fileName(in); got != want {
			t.Errorf("fileName(%q) = %q, want %q", in, got, want)
		}
	}
}

func (h *harness) countRequests(want string) int {
	n := 0
	for _, r := range h.srv.Requests() {
		if r == want {
			n++
		}
	}
	return n
}

// waitCalls waits for n answers to the interaction with id.
func (h *harness) waitCalls(id string, n int) []discordtest.Call {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	calls, err := h.srv.WaitCalls(ctx, discordtest.Token(id), n)
	if err != nil {
		h.t.Fatal(err)
	}
	return calls
}
