package slack

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/interlock-coe/interlock/bot"
)

func TestRateLimitedPostIsRetriedAfterRetryAfter(t *testing.T) {
	f := newFakeSlack(t)
	a, _, _ := testAdapter(t, f, nil)
	a.sleep = sleepContext // really wait the second Slack asks for
	f.limited = 1

	ref, err := a.Post(context.Background(), "C0SOCIAL", bot.Message{Text: "Holding statement approved"})
	if err != nil {
		t.Fatal(err)
	}
	calls := f.callsTo("chat.postMessage")
	if len(calls) != 2 || ref.ID == "" || ref.Channel != "C0SOCIAL" {
		t.Fatalf("%d chat.postMessage calls, ref %+v; want the 429 and the retry", len(calls), ref)
	}
	if calls[1].form.Get("text") != "Holding statement approved" {
		t.Fatalf("retried message %q", calls[1].form.Get("text"))
	}
}

func TestRetryWaitsAndBacksOff(t *testing.T) {
	f := newFakeSlack(t)
	a, _, s := testAdapter(t, f, nil)
	f.limited, f.faults = 1, 2
	if _, err := a.Post(context.Background(), "C0SOCIAL", bot.Message{Text: "hi"}); err != nil {
		t.Fatal(err)
	}
	if got, want := s.waits(), []time.Duration{time.Second, firstBackoff, 2 * firstBackoff}; !slices.Equal(got, want) {
		t.Fatalf("waits %v, want Retry-After then backoff %v", got, want)
	}
	if n := len(f.callsTo("chat.postMessage")); n != 4 {
		t.Fatalf("%d calls, want 4", n)
	}
}

func TestRetryStopsWhenContextEnds(t *testing.T) {
	f := newFakeSlack(t)
	a, _, _ := testAdapter(t, f, nil)
	f.limited = 1000
	ctx, cancel := context.WithCancel(context.Background())
	waits := 0
	a.sleep = func(ctx context.Context, d time.Duration) error {
		if waits++; waits == 3 {
			cancel()
		}
		return ctx.Err()
	}
	_, err := a.Post(ctx, "C0SOCIAL", bot.Message{Text: "hi"})
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) || !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want the rate limit and the cancellation", err)
	}
}

func TestRetryDelay(t *testing.T) {
	cases := []struct {
		err     error
		wait    time.Duration
		limited bool
		retry   bool
	}{
		{&slack.RateLimitedError{RetryAfter: 3 * time.Second}, 3 * time.Second, true, true},
		{&slack.RateLimitedError{}, time.Second, true, true},
		{fmt.Errorf("wrapped: %w", slack.StatusCodeError{Code: 502}), time.Second, false, true},
		{slack.StatusCodeError{Code: 404}, time.Second, false, false},
		{slack.SlackErrorResponse{Err: "ratelimited"}, time.Second, true, true},
		{slack.SlackErrorResponse{Err: "internal_error"}, time.Second, false, true},
		{slack.SlackErrorResponse{Err: "channel_not_found"}, time.Second, false, false},
		{context.Canceled, 0, false, false},
		{errors.New("json: cannot unmarshal"), time.Second, false, false},
	}
	for _, tc := range cases {
		wait, limited, retry := retryDelay(tc.err, time.Second)
		if retry != tc.retry || limited != tc.limited || (retry && wait != tc.wait) {
			t.Errorf("retryDelay(%v) = %v, %v, %v", tc.err, wait, limited, retry)
		}
	}
}

func TestPostsArePacedPerChannel(t *testing.T) {
	f := newFakeSlack(t)
	a, _, s := testAdapter(t, f, nil)
	ctx := context.Background()
	for _, ch := range []string{"C0SOCIAL", "C0SOCIAL", "G0LEGAL", "C0SOCIAL"} {
		if _, err := a.Post(ctx, ch, bot.Message{Text: "update"}); err != nil {
			t.Fatal(err)
		}
	}
	// The clock stands still: the second and third posts to C0SOCIAL book
	// the next free seconds; G0LEGAL's first post goes at once.
	if got, want := s.waits(), []time.Duration{time.Second, 2 * time.Second}; !slices.Equal(got, want) {
		t.Fatalf("waits %v, want %v", got, want)
	}
}

func TestChannelNamesAreResolvedAndCached(t *testing.T) {
	f := newFakeSlack(t)
	a, _, _ := testAdapter(t, f, nil)
	ctx := context.Background()
	for range 2 {
		ref, err := a.Post(ctx, "#social", bot.Message{Text: "hello"})
		if err != nil || ref.Channel != "C0SOCIAL" {
			t.Fatalf("ref %+v, err %v", ref, err)
		}
	}
	_, err := a.Post(ctx, "#nowhere", bot.Message{Text: "hello"})
	if !bot.IsCode(err, bot.ENotFound) {
		t.Fatalf("unknown channel: %v", err)
	}
	lists := f.callsTo("conversations.list")
	if len(lists) != 1 || lists[0].form.Get("types") != "public_channel,private_channel" {
		t.Fatalf("conversations.list calls %+v", lists)
	}
}

func TestCreateRoomSuffixesTakenNames(t *testing.T) {
	f := newFakeSlack(t)
	a, _, _ := testAdapter(t, f, nil)
	f.taken["crisis-2-outage"], f.taken["crisis-2-outage-2"] = true, true
	room, err := a.CreateRoom(context.Background(), bot.RoomSpec{Name: "Crisis 2: Outage!", Private: true, Topic: "SEV1"})
	if err != nil {
		t.Fatal(err)
	}
	if room.Name != "crisis-2-outage-3" || room.ID == "" {
		t.Fatalf("room %+v", room)
	}
	if n := len(f.callsTo("conversations.create")); n != 3 {
		t.Fatalf("%d create calls, want 3", n)
	}
	if topics := f.callsTo("conversations.setTopic"); len(topics) != 1 || topics[0].form.Get("channel") != room.ID {
		t.Fatalf("topic calls %+v", topics)
	}
}

func TestRoomName(t *testing.T) {
	cases := map[string]string{
		"Crisis 2: Outage!":       "crisis-2-outage",
		"  --Ärger im Shop--  ":   "rger-im-shop",
		"snake_case_ok":           "snake_case_ok",
		"":                        "interlock",
		"!!!":                     "interlock",
		strings.Repeat("ab ", 60): strings.TrimRight(strings.Repeat("ab-", 27), "-"),
	}
	for in, want := range cases {
		got := roomName(in)
		if got != want {
			t.Errorf("roomName(%q) = %q, want %q", in, got, want)
		}
		if len(got) > maxChannelName {
			t.Errorf("roomName(%q) is %d long", in, len(got))
		}
	}
	long := strings.Repeat("x", 80)
	if got := withSuffix(long, 12); len(got) != 80 || !strings.HasSuffix(got, "x-12") {
		t.Errorf("withSuffix = %q", got)
	}
}

func TestInviteSendsBatchesOf100AndReportsUnknownPeople(t *testing.T) {
	f := newFakeSlack(t)
	a, _, _ := testAdapter(t, f, nil)
	people := []string{"alice", "dave", "alice"}
	for i := range 150 {
		people = append(people, fmt.Sprintf("slack-u%07d", i))
	}
	err := a.Invite(context.Background(), "G0ROOM9", people)
	var unknown *bot.UnknownPeopleError
	if !errors.As(err, &unknown) || !slices.Equal(unknown.People, []string{"dave"}) {
		t.Fatalf("got %v, want dave reported", err)
	}
	calls := f.callsTo("conversations.invite")
	if len(calls) != 2 {
		t.Fatalf("%d invite calls, want 2", len(calls))
	}
	first := strings.Split(calls[0].form.Get("users"), ",")
	second := strings.Split(calls[1].form.Get("users"), ",")
	if len(first) != 100 || len(second) != 51 || first[0] != "U0ALICE" || first[1] != "U0000000" {
		t.Fatalf("batches of %d and %d starting %v", len(first), len(second), first[:2])
	}
}

func TestDirectMessage(t *testing.T) {
	f := newFakeSlack(t)
	a, _, _ := testAdapter(t, f, nil)
	ctx := context.Background()
	ref, err := a.DirectMessage(ctx, "bob", bot.Message{Text: "Routed issue #4 is yours"})
	if err != nil || ref.Channel != "DU0BOB" {
		t.Fatalf("ref %+v, err %v", ref, err)
	}
	if opens := f.callsTo("conversations.open"); len(opens) != 1 || opens[0].form.Get("users") != "U0BOB" {
		t.Fatalf("conversations.open calls %+v", opens)
	}
	_, err = a.DirectMessage(ctx, "dave", bot.Message{Text: "hi"})
	var unknown *bot.UnknownPeopleError
	if !errors.As(err, &unknown) {
		t.Fatalf("dave: %v", err)
	}
	// Looked up once each, then cached.
	if _, err := a.DirectMessage(ctx, "bob", bot.Message{Text: "again"}); err != nil {
		t.Fatal(err)
	}
	if n, m := len(f.callsTo("users.lookupByEmail")), len(f.callsTo("conversations.open")); n != 2 || m != 1 {
		t.Fatalf("%d email lookups and %d opens, want 2 and 1", n, m)
	}
}

func TestPinUpdateArchive(t *testing.T) {
	f := newFakeSlack(t)
	a, _, _ := testAdapter(t, f, nil)
	ctx := context.Background()
	ref := bot.MessageRef{Channel: "C0SOCIAL", ID: "1700000000.000001"}
	if err := a.Pin(ctx, ref); err != nil {
		t.Fatal(err)
	}
	if err := a.Update(ctx, ref, bot.Message{Title: "Alert #3", Text: "acknowledged by @alice"}); err != nil {
		t.Fatal(err)
	}
	if err := a.Archive(ctx, "#legal"); err != nil {
		t.Fatal(err)
	}
	if c := f.callsTo("pins.add"); len(c) != 1 || c[0].form.Get("timestamp") != ref.ID {
		t.Fatalf("pins.add %+v", c)
	}
	up := f.callsTo("chat.update")
	if len(up) != 1 || up[0].form.Get("ts") != ref.ID || !strings.Contains(up[0].form.Get("text"), "acknowledged by <@U0ALICE>") {
		t.Fatalf("chat.update %+v", up)
	}
	if c := f.callsTo("conversations.archive"); len(c) != 1 || c[0].form.Get("channel") != "G0LEGAL" {
		t.Fatalf("conversations.archive %+v", c)
	}
}

func TestPeopleMapping(t *testing.T) {
	f := newFakeSlack(t)
	a, _, _ := testAdapter(t, f, nil)
	ctx := context.Background()
	cases := map[string]string{
		"U0ALICE": "alice",       // configured Slack id
		"U0BOB":   "bob",         // users.info email matches the configuration
		"U0EVE":   "slack-u0eve", // a Slack user the configuration does not know
		"U0GHOST": "slack-u0ghost",
	}
	for id, want := range cases {
		for range 2 {
			if got := a.people.handle(ctx, id); got != want {
				t.Errorf("handle(%s) = %q, want %q", id, got, want)
			}
		}
	}
	if n := len(f.callsTo("users.info")); n != 3 {
		t.Errorf("%d users.info calls, want bob, eve and the ghost once each", n)
	}
	for handle, want := range map[string]string{"slack-u0eve": "U0EVE", "alice": "U0ALICE", "dave": "", "nobody": ""} {
		if got, err := a.people.slackID(ctx, handle); err != nil || got != want {
			t.Errorf("slackID(%s) = %q, %v; want %q", handle, got, err, want)
		}
	}
}
