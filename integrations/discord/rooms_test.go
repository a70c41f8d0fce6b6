package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/integrations/discord/discordtest"
)

func TestThreadRoomNearChannelLimit(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.srv.AddChannels(channelSoftLimit - 1) // with #social: 490 channels
	room, err := h.a.CreateRoom(ctx, bot.RoomSpec{Name: "Crisis 7: Outage", Topic: "SEV1", Private: true})
	if err != nil {
		t.Fatal(err)
	}
	th, ok := h.srv.Channel(room.ID)
	if !ok || th.Type != discordgo.ChannelTypeGuildPrivateThread || th.Name != "crisis-7-outage" {
		t.Fatalf("room = %+v, want a private thread", th)
	}
	parent, _ := h.srv.Channel(th.ParentID)
	if parent == nil || parent.Name != threadParentName {
		t.Fatalf("thread parent = %+v", parent)
	}
	warning := h.srv.Messages(room.ID)
	if len(warning) != 1 || !strings.Contains(warning[0].Content, "500-channel limit") || !strings.Contains(warning[0].Content, "SEV1") {
		t.Fatalf("warning = %+v", warning)
	}

	var unknown *bot.UnknownPeopleError
	if err := h.a.Invite(ctx, room.ID, []string{"dana", "ghost", "discord-42"}); !errors.As(err, &unknown) || !slices.Equal(unknown.People, []string{"ghost"}) {
		t.Fatalf("Invite = %v, want ghost unknown", err)
	}
	if got := h.srv.ThreadMembers(room.ID); !slices.Equal(got, []string{discordtest.BotID, danaID, "42"}) {
		t.Errorf("thread members = %v", got)
	}
	if err := h.a.SetTopic(ctx, room.ID, "SEV2 now"); err != nil {
		t.Fatal(err)
	}
	if msgs := h.srv.Messages(room.ID); msgs[len(msgs)-1].Content != "Topic: SEV2 now" {
		t.Errorf("topic not posted in the thread: %q", msgs[len(msgs)-1].Content)
	}
	if err := h.a.Archive(ctx, room.ID); err != nil {
		t.Fatal(err)
	}
	if th, _ := h.srv.Channel(room.ID); th.ThreadMetadata == nil || !th.ThreadMetadata.Archived || !th.ThreadMetadata.Locked {
		t.Errorf("thread not archived and locked: %+v", th.ThreadMetadata)
	}
}

func TestChannelLimitErrorFallsBackToThread(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	if _, err := h.a.CreateRoom(ctx, bot.RoomSpec{Name: "first", Private: true}); err != nil {
		t.Fatal(err)
	}
	h.srv.FailNext(http.MethodPost, "/guilds/"+discordtest.GuildID+"/channels", http.StatusBadRequest, discordgo.ErrCodeMaximumNumberOfGuildChannelsReached)
	room, err := h.a.CreateRoom(ctx, bot.RoomSpec{Name: "second", Private: true})
	if err != nil {
		t.Fatal(err)
	}
	if th, _ := h.srv.Channel(room.ID); th == nil || !th.IsThread() {
		t.Fatalf("room = %+v, want a thread after error 30013", th)
	}
}

func TestArchiveLocksAndMoves(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	room, err := h.a.CreateRoom(ctx, bot.RoomSpec{Name: "crisis-3", Private: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.a.Invite(ctx, room.ID, []string{"dana"}); err != nil {
		t.Fatal(err)
	}
	if err := h.a.Archive(ctx, room.ID); err != nil {
		t.Fatal(err)
	}
	ch, _ := h.srv.Channel(room.ID)
	parent, _ := h.srv.Channel(ch.ParentID)
	if parent == nil || parent.Name != archiveCategory {
		t.Fatalf("archived room's parent = %+v", parent)
	}
	want := map[string]string{
		discordtest.GuildID: "role deny=view+send+threads",
		discordtest.BotID:   "member allow=" + perms(botAllow),
		danaID:              "member allow=view+history deny=send+threads",
	}
	if got := overwrites(ch); !mapsEqual(got, want) {
		t.Fatalf("overwrites = %v\nwant %v", got, want)
	}
}

func TestFullCategoryStartsAnother(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	var last bot.Room
	for i := range maxCategoryChildren + 1 {
		room, err := h.a.CreateRoom(ctx, bot.RoomSpec{Name: fmt.Sprintf("room-%d", i)})
		if err != nil {
			t.Fatal(err)
		}
		last = room
	}
	ch, _ := h.srv.Channel(last.ID)
	parent, _ := h.srv.Channel(ch.ParentID)
	if parent == nil || parent.Name != roomsCategory+" 2" {
		t.Fatalf("51st room's parent = %+v", parent)
	}
	if len(ch.PermissionOverwrites) != 0 {
		t.Errorf("a public room got overwrites %v", overwrites(ch))
	}
}

func TestPostUpdateAndDirectMessage(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	ref, err := h.a.Post(ctx, "#social", bot.Message{Text: "Alert: spike", Buttons: []bot.Button{{Label: "Ack", Command: "/alerts ack 1"}}})
	if err != nil || ref.Channel != h.social {
		t.Fatalf("Post = %+v, %v", ref, err)
	}
	if err := h.a.Update(ctx, ref, bot.Message{Text: "Alert: acknowledged"}); err != nil {
		t.Fatal(err)
	}
	msgs := h.srv.Messages(h.social)
	if len(msgs) != 1 || msgs[0].Content != "Alert: acknowledged" || len(msgs[0].Components) != 0 {
		t.Fatalf("messages = %+v", msgs)
	}
	if _, err := h.a.Post(ctx, "#nowhere", bot.Message{Text: "x"}); !bot.IsCode(err, bot.ENotFound) {
		t.Errorf("Post to a missing channel = %v, want not found", err)
	}
	if _, err := h.a.DirectMessage(ctx, "dana", bot.Message{Text: "Reminder"}); err != nil {
		t.Fatal(err)
	}
	if dm := h.srv.Messages("dm-" + danaID); len(dm) != 1 || dm[0].Content != "Reminder" {
		t.Errorf("DM = %+v", dm)
	}
	var unknown *bot.UnknownPeopleError
	if _, err := h.a.DirectMessage(ctx, "ghost", bot.Message{Text: "x"}); !errors.As(err, &unknown) {
		t.Errorf("DM to ghost = %v, want unknown people", err)
	}
}

func TestChannelName(t *testing.T) {
	tests := map[string]string{
		"Crisis 12: Juice Recall!": "crisis-12-juice-recall",
		"  --weird__name--  ":      "weird__name",
		"":                         "room",
		"🔥🔥":                       "room",
		"Ünïcode Straße":           "ünïcode-straße",
		strings.Repeat("ab ", 60):  strings.Repeat("ab-", 33) + "a", // 100 characters
	}
	for in, want := range tests {
		if got := channelName(in); got != want {
			t.Errorf("channelName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPing(t *testing.T) {
	h := newHarness(t)
	if err := h.a.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	h.srv.FailNext(http.MethodGet, "/users/@me", http.StatusUnauthorized, 0)
	if err := h.a.Ping(context.Background()); err == nil {
		t.Fatal("Ping with a refused token succeeded")
	}
}
