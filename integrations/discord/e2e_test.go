package discord

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/integrations/discord/discordtest"
)

// openDrill is the interaction for "/drill open sev2 Juice recall rumours
// --brand acme" typed by the lead.
func openDrill(h *harness, id string) []byte {
	return discordtest.Command(id, h.social, leadID, "drill", discordtest.Sub("open",
		discordtest.String("sev", "sev2"),
		discordtest.String("title", "Juice recall rumours"),
		discordtest.String("brand", "acme"),
	))
}

func TestSignedCommandOpensPrivateRoom(t *testing.T) {
	h := newHarness(t)
	kind, msg := h.answer(h.post(openDrill(h, "700000000000000001")))
	h.wait()

	if kind != discordgo.InteractionResponseChannelMessageWithSource || msg.Content != "Opened crisis room #crisis-1-juice-recall-rumours" || msg.Flags != 0 {
		t.Fatalf("answer = type %d %q flags %d", kind, msg.Content, msg.Flags)
	}
	if got, want := h.texts(), []string{"/drill open sev2 Juice recall rumours --brand acme"}; !slices.Equal(got, want) {
		t.Fatalf("typed text = %q, want %q", got, want)
	}
	room, ok := h.srv.ChannelByName("crisis-1-juice-recall-rumours")
	if !ok {
		t.Fatalf("no room among %v", names(h.srv.Channels()))
	}
	category, _ := h.srv.Channel(room.ParentID)
	if category == nil || category.Name != "Crisis rooms" || category.Type != discordgo.ChannelTypeGuildCategory {
		t.Fatalf("room parent = %+v, want the Crisis rooms category", category)
	}
	if room.Topic != "SEV2 · Juice recall rumours" {
		t.Errorf("topic = %q", room.Topic)
	}
	wantOverwrites := map[string]string{
		discordtest.GuildID: "role deny=view",
		discordtest.BotID:   "member allow=" + perms(botAllow),
		leadID:              "member allow=" + perms(memberAllow),
		danaID:              "member allow=" + perms(memberAllow),
		leeID:               "member allow=" + perms(memberAllow),
	}
	if got := overwrites(room); !mapsEqual(got, wantOverwrites) {
		t.Fatalf("overwrites = %v\nwant %v", got, wantOverwrites)
	}
	posts := h.srv.Messages(room.ID)
	if len(posts) != 1 || len(posts[0].Embeds) != 1 {
		t.Fatalf("room messages = %+v", posts)
	}
	brief := posts[0].Embeds[0]
	if brief.Title != "Crisis #1: Juice recall rumours" || brief.Description != "Holding statement proposed as #1. Approvers: <@"+danaID+">." ||
		len(brief.Fields) != 2 || brief.Fields[1].Value != "acme" || brief.Footer == nil || brief.Footer.Text != "Opened by @lead" {
		t.Errorf("brief = %+v", brief)
	}
	if ids := customIDs(posts[0]); !slices.Equal(ids, []string{"/drill approve 1"}) {
		t.Errorf("buttons = %v", ids)
	}
	if pins := h.srv.Pins(room.ID); !slices.Equal(pins, []string{posts[0].ID}) {
		t.Errorf("pins = %v, want the brief %s", pins, posts[0].ID)
	}
}

func TestRefusesBadSignatures(t *testing.T) {
	h := newHarness(t)
	url := "http://interlock.test" + InteractionsPath
	body := openDrill(h, "700000000000000002")
	tampered := h.signer.Request(url, body, h.clock.now)
	tampered.Header.Set("X-Signature-Ed25519", strings.Repeat("00", 64))
	unsigned := h.signer.Request(url, body, h.clock.now)
	unsigned.Header.Del("X-Signature-Ed25519")
	otherKey := discordtest.NewSigner().Request(url, body, h.clock.now)
	cases := map[string]*http.Request{
		"wrong signature":    h.signer.BadRequest(url, body, h.clock.now),
		"zero signature":     tampered,
		"no signature":       unsigned,
		"other key":          otherKey,
		"stale timestamp":    h.signer.Request(url, body, h.clock.now.Add(-6*time.Minute)),
		"future timestamp":   h.signer.Request(url, body, h.clock.now.Add(6*time.Minute)),
		"signed ping, stale": h.signer.Request(url, discordtest.Ping(), h.clock.now.Add(-time.Hour)),
	}
	for name, r := range cases {
		if w := h.serve(r); w.Code != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", name, w.Code)
		}
	}
	if got := h.texts(); len(got) != 0 {
		t.Errorf("commands ran: %q", got)
	}
}

func TestRefusesOversizedBody(t *testing.T) {
	h := newHarness(t)
	body := append([]byte(`{"type":1,"pad":"`), strings.Repeat("x", maxBody)...)
	if w := h.post(append(body, `"}`...)); w.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", w.Code)
	}
}

func TestAnswersPing(t *testing.T) {
	h := newHarness(t)
	w := h.post(discordtest.Ping())
	if kind, _ := h.answer(w); kind != discordgo.InteractionResponsePong {
		t.Fatalf("answer type %d, want 1 (%s)", kind, w.Body)
	}
}

func TestRateLimitedPostIsRetried(t *testing.T) {
	h := newHarness(t)
	h.srv.RateLimitNext(http.MethodPost, "/messages", 0.01)
	h.answer(h.post(openDrill(h, "700000000000000003")))
	h.wait()
	room, ok := h.srv.ChannelByName("crisis-1-juice-recall-rumours")
	if !ok {
		t.Fatal("no room")
	}
	if n := len(h.srv.Messages(room.ID)); n != 1 {
		t.Fatalf("room has %d messages, want the brief once", n)
	}
	posts := 0
	for _, r := range h.srv.Requests() {
		if r == "POST /api/v9/channels/"+room.ID+"/messages" {
			posts++
		}
	}
	if posts != 2 {
		t.Errorf("message posts = %d, want the 429 and its retry", posts)
	}
}

func TestButtonClickRunsCommandAsClicker(t *testing.T) {
	h := newHarness(t)
	kind, msg := h.answer(h.post(discordtest.Button("700000000000000004", h.social, danaID, "/drill approve 1")))
	h.wait()
	if kind != discordgo.InteractionResponseChannelMessageWithSource || msg.Content != "Proposal #1 approved by <@"+danaID+">" {
		t.Fatalf("answer = type %d %q", kind, msg.Content)
	}
	if got := h.drill.approvals; !slices.Equal(got, []string{"#1 by dana"}) {
		t.Errorf("approvals = %v", got)
	}
}

func TestSlowCommandIsDeferredThenEdited(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.DeferAfter = time.Millisecond })
	id := "700000000000000005"
	// The command waits for release, so the deferral is sent first.
	kind, _ := h.answer(h.post(discordtest.Command(id, h.social, samID, "drill", discordtest.Sub("slow"))))
	if kind != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Fatalf("answer type %d, want 5 (deferred)", kind)
	}
	close(h.drill.release)
	h.wait()
	calls := h.srv.Calls(discordtest.Token(id))
	if len(calls) != 1 || calls[0].Kind != "edit" || calls[0].Message.Content != "slow done" {
		t.Fatalf("follow-up = %+v, want the original edited to say slow done", calls)
	}
}

func TestSlowPrivateReplyReplacesPublicDeferral(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.DeferAfter = time.Millisecond })
	id := "700000000000000006"
	kind, _ := h.answer(h.post(discordtest.Command(id, h.social, samID, "drill", discordtest.Sub("hush"))))
	if kind != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Fatalf("answer type %d, want 5", kind)
	}
	close(h.drill.release)
	h.wait()
	calls := h.srv.Calls(discordtest.Token(id))
	if len(calls) != 2 || calls[0].Kind != "delete" || calls[1].Kind != "followup" ||
		calls[1].Message.Content != "quietly done" || calls[1].Message.Flags != discordgo.MessageFlagsEphemeral {
		t.Fatalf("calls = %+v, want the deferral deleted and a private follow-up", calls)
	}
}

func TestPrivateReplyIsEphemeral(t *testing.T) {
	h := newHarness(t)
	_, msg := h.answer(h.post(discordtest.Command("700000000000000007", h.social, "399999999999999999", "drill", discordtest.Sub("whisper"))))
	if msg.Flags != discordgo.MessageFlagsEphemeral || msg.Content != "only for <@399999999999999999>" {
		t.Fatalf("answer = %q flags %d", msg.Content, msg.Flags)
	}
}

func TestUnknownCommandIsAnsweredPrivately(t *testing.T) {
	h := newHarness(t)
	_, msg := h.answer(h.post(discordtest.Command("700000000000000008", h.social, leadID, "nosuch")))
	if msg.Flags != discordgo.MessageFlagsEphemeral || !strings.Contains(msg.Content, "unknown command /nosuch") {
		t.Fatalf("answer = %q flags %d", msg.Content, msg.Flags)
	}
}

func TestGatewayInteraction(t *testing.T) {
	h := newHarness(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := h.a.Open(ctx); err != nil {
		t.Fatal(err)
	}
	if err := h.srv.WaitGateway(ctx); err != nil {
		t.Fatal(err)
	}
	id := "700000000000000009"
	if err := h.srv.SendInteraction(discordtest.Command(id, h.social, danaID, "drill", discordtest.Sub("whisper"))); err != nil {
		t.Fatal(err)
	}
	calls, err := h.srv.WaitCalls(ctx, discordtest.Token(id), 1)
	if err != nil {
		t.Fatal(err)
	}
	if c := calls[0]; c.Kind != "callback" || c.Type != discordgo.InteractionResponseChannelMessageWithSource ||
		c.Message.Content != "only for <@"+danaID+">" || c.Message.Flags != discordgo.MessageFlagsEphemeral {
		t.Fatalf("callback = %+v %+v", c, c.Message)
	}
	if err := h.a.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
}

func names(chs []*discordgo.Channel) []string {
	var out []string
	for _, ch := range chs {
		out = append(out, ch.Name)
	}
	return out
}

// overwrites summarises a channel's permission overwrites by target id.
func overwrites(ch *discordgo.Channel) map[string]string {
	out := map[string]string{}
	for _, o := range ch.PermissionOverwrites {
		kind := "role"
		if o.Type == discordgo.PermissionOverwriteTypeMember {
			kind = "member"
		}
		s := kind
		if o.Allow != 0 {
			s += " allow=" + perms(o.Allow)
		}
		if o.Deny != 0 {
			s += " deny=" + perms(o.Deny)
		}
		out[o.ID] = s
	}
	return out
}

// perms names the permission bits the adapter uses.
func perms(p int64) string {
	bits := []struct {
		bit  int64
		name string
	}{
		{discordgo.PermissionViewChannel, "view"}, {discordgo.PermissionSendMessages, "send"},
		{discordgo.PermissionReadMessageHistory, "history"}, {discordgo.PermissionEmbedLinks, "embed"},
		{discordgo.PermissionManageMessages, "manage"}, {discordgo.PermissionSendMessagesInThreads, "threads"},
	}
	var out []string
	for _, b := range bits {
		if p&b.bit != 0 {
			out = append(out, b.name)
			p &^= b.bit
		}
	}
	if p != 0 {
		out = append(out, "other")
	}
	return strings.Join(out, "+")
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func customIDs(m *discordgo.Message) []string {
	var out []string
	for _, row := range m.Components {
		r, ok := row.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, c := range r.Components {
			if b, ok := c.(*discordgo.Button); ok {
				out = append(out, b.CustomID)
			}
		}
	}
	return out
}

// TestAnswerCarriesItsLength is the regression test for interaction
// answers sent chunked: the answer only ended when the handler returned,
// so Discord could see a follow-up before the answer it follows.
func TestAnswerCarriesItsLength(t *testing.T) {
	h := newHarness(t)
	for _, body := range [][]byte{discordtest.Ping(), discordtest.Command("700000000000000012", h.social, leadID, "drill", discordtest.Sub("whisper"))} {
		w := h.post(body)
		h.wait()
		if got, want := w.Header().Get("Content-Length"), fmt.Sprint(w.Body.Len()); got != want {
			t.Errorf("Content-Length %q, want %s", got, want)
		}
	}
}

// TestSlowClickReplacesItsMessage clicks a button whose command replaces
// the clicked message only after the click was deferred: the message is
// edited in place, its buttons gone, and the deferral removed.
func TestSlowClickReplacesItsMessage(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.DeferAfter = time.Millisecond })
	ref, err := h.a.Post(t.Context(), h.social, bot.Message{Text: "Settle it?", Buttons: []bot.Button{{Label: "Settle", Command: "/drill settle"}}})
	if err != nil {
		t.Fatal(err)
	}
	id := "700000000000000031"
	kind, _ := h.answer(h.post(discordtest.Click(id, h.social, danaID, ref.ID, "/drill settle")))
	if kind != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Fatalf("answer type %d, want 5 (deferred)", kind)
	}
	close(h.drill.release)
	h.wait()
	posts := h.srv.Messages(h.social)
	if len(posts) != 1 || posts[0].Content != "settled by <@"+danaID+">" || len(posts[0].Components) != 0 {
		t.Fatalf("messages %+v, want the clicked one edited to say who settled it, without buttons", posts)
	}
	if calls := h.srv.Calls(discordtest.Token(id)); len(calls) != 1 || calls[0].Kind != "delete" {
		t.Fatalf("answers after the deferral %+v, want it deleted", calls)
	}
}
