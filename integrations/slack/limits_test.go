package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// sentBlock is the part of a Block Kit block these tests read.
type sentBlock struct {
	Type   string                  `json:"type"`
	Text   *struct{ Text string }  `json:"text"`
	Fields []struct{ Text string } `json:"fields"`
}

// sentBlocks decodes the blocks of one recorded chat.postMessage call.
func sentBlocks(t *testing.T, c apiCall) []sentBlock {
	t.Helper()
	var bs []sentBlock
	if err := json.Unmarshal([]byte(c.form.Get("blocks")), &bs); err != nil {
		t.Fatalf("blocks of a post: %v", err)
	}
	return bs
}

// TestLongCrisisSummaryIsPagedWithEveryTimelineEntry resolves a crisis with
// a 104-entry timeline through the Slack adapter: every entry reaches Slack,
// in sections of at most 3,000 characters and messages of at most 50 blocks.
func TestLongCrisisSummaryIsPagedWithEveryTimelineEntry(t *testing.T) {
	s := newSlackCrisis(t)
	s.command("alex", "C0SOCIAL", "open sev2 Checkout outage --brand acme", "200.0.open")
	cr, err := s.h.Store.CrisisByRoom(t.Context(), crisisRoom)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"opened as sev2: Checkout outage"}
	for i := 1; ; i++ {
		tl, err := s.h.Store.Timeline(t.Context(), cr.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(tl) == 103 {
			break
		}
		text := fmt.Sprintf("update-%03d payments team reports progress on the checkout fix", i)
		want = append(want, text)
		s.command("lee", crisisRoom, "status "+text, fmt.Sprintf("200.%d.status", i))
	}
	before := len(s.f.callsTo("chat.postMessage"))
	s.command("alex", crisisRoom, "resolve card processor restored: final-entry", "200.999.resolve")
	want = append(want, "final-entry")
	if tl, err := s.h.Store.Timeline(t.Context(), cr.ID); err != nil || len(tl) != 104 || len(want) != 104 {
		t.Fatalf("timeline has %d entries (%v), checking %d; want 104", len(tl), err, len(want))
	}

	var all strings.Builder
	posts := s.f.callsTo("chat.postMessage")[before:]
	for _, c := range posts {
		if c.form.Get("channel") != crisisRoom {
			continue
		}
		bs := sentBlocks(t, c)
		if len(bs) > maxBlocks {
			t.Errorf("a message has %d blocks, over Slack's %d", len(bs), maxBlocks)
		}
		for _, b := range bs {
			if b.Text != nil {
				if n := units(b.Text.Text); n > maxSectionText {
					t.Errorf("a %s block has %d characters, over Slack's %d", b.Type, n, maxSectionText)
				}
				all.WriteString(b.Text.Text + "\n")
			}
			for _, f := range b.Fields {
				all.WriteString(f.Text + "\n")
			}
		}
	}
	got := all.String()
	if !strings.Contains(got, "resolved") {
		t.Fatalf("no summary reached the room; posts:\n%s", got)
	}
	missing := 0
	for _, w := range want {
		if !strings.Contains(got, w) {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d timeline entries missing from the summary Slack received", missing, len(want))
	}
}

// TestPostsToOneChannelKeepTheirOrderUnder429: the first post is refused
// with a 429 and Retry-After 1; a second post to the channel, made while
// the first waits, reaches Slack only after the first's retry.
func TestPostsToOneChannelKeepTheirOrderUnder429(t *testing.T) {
	f := newFakeSlack(t)
	a, _, _ := testAdapter(t, f, nil)
	f.limited = 1
	var (
		waited atomic.Bool
		second = make(chan error, 1)
	)
	a.sleep = func(ctx context.Context, d time.Duration) error {
		if d >= time.Second && waited.CompareAndSwap(false, true) {
			func() {
				// The first post waits out its Retry-After: post the next one
				// now, and give it every chance to overtake.
				go func() {
					_, err := a.Post(context.Background(), "C0SOCIAL", bot.Message{Text: "second"})
					second <- err
				}()
				deadline := time.Now().Add(500 * time.Millisecond)
				for len(f.callsTo("chat.postMessage")) < 2 && time.Now().Before(deadline) {
					time.Sleep(5 * time.Millisecond)
				}
			}()
		}
		return ctx.Err()
	}
	if _, err := a.Post(context.Background(), "C0SOCIAL", bot.Message{Text: "first"}); err != nil {
		t.Fatal(err)
	}
	if err := <-second; err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, c := range f.callsTo("chat.postMessage") {
		order = append(order, c.form.Get("text"))
	}
	if want := []string{"first", "first", "second"}; !slices.Equal(order, want) {
		t.Errorf("chat.postMessage calls in order %q, want %q (the 429, its retry, then the next post)", order, want)
	}
}

// TestDeadResponseURLFallsBackToPostEphemeralQuickly: a response_url that
// hangs, or refuses connections, is given up on after hookTimeout and the
// private reply arrives through chat.postEphemeral. The 10-second bound is
// generous; before the fix the fallback came after 30 s or more.
func TestDeadResponseURLFallsBackToPostEphemeralQuickly(t *testing.T) {
	release := make(chan struct{})
	hanging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(hanging.Close)
	t.Cleanup(func() { close(release) })
	refusing := httptest.NewServer(http.NotFoundHandler())
	refusing.Close() // its port now refuses connections

	for name, hook := range map[string]string{"hanging": hanging.URL, "refusing": refusing.URL} {
		t.Run(name, func(t *testing.T) {
			f := newFakeSlack(t)
			a, _, _ := testAdapter(t, f, nil)
			a.sleep = sleepContext // retries really wait, as in production
			r := &responder{a: a, in: inbound{id: "1", user: "U0ALICE", channel: "C0SOCIAL", responseURL: hook}}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := r.Respond(ctx, bot.Reply{Message: bot.Message{Text: "only you"}, Private: true}); err != nil {
				t.Fatalf("Respond: %v", err)
			}
			calls := f.callsTo("chat.postEphemeral")
			if len(calls) != 1 || calls[0].form.Get("text") != "only you" || calls[0].form.Get("user") != "U0ALICE" {
				t.Fatalf("chat.postEphemeral calls %+v, want the reply to U0ALICE", calls)
			}
		})
	}
}

// TestBlocksTooLongIsSplitAndPostedInParts: when Slack answers
// msg_blocks_too_long (its size rules are more than we can measure), the
// message is halved and posted in parts, in order, with nothing lost.
func TestBlocksTooLongIsSplitAndPostedInParts(t *testing.T) {
	for _, code := range []string{"msg_blocks_too_long", "invalid_blocks"} {
		t.Run(code, func(t *testing.T) {
			f := newFakeSlack(t)
			a, _, _ := testAdapter(t, f, nil)
			f.blockCap, f.capError = 5, code
			var fields []bot.Field
			for i := range 12 {
				fields = append(fields, bot.Field{Title: fmt.Sprintf("part-%02d", i), Value: strings.Repeat("word ", 500)})
			}
			ref, err := a.Post(context.Background(), "C0SOCIAL", bot.Message{Title: "Long report", Fields: fields})
			if err != nil {
				t.Fatalf("Post: %v", err)
			}
			if ref.ID == "" {
				t.Error("no reference to the first part")
			}
			checkPartsInOrder(t, f, 12)
		})
	}
}

// checkPartsInOrder checks that the posts Slack accepted hold part-00 to
// part-<n-1>, in order.
func checkPartsInOrder(t *testing.T, f *fakeSlack, n int) {
	t.Helper()
	var got strings.Builder
	for _, c := range f.callsTo("chat.postMessage") {
		bs := sentBlocks(t, c)
		if len(bs) > f.blockCap {
			continue // refused
		}
		for _, b := range bs {
			if b.Text != nil {
				got.WriteString(b.Text.Text + "\n")
			}
		}
	}
	last := -1
	for i := range n {
		at := strings.Index(got.String(), fmt.Sprintf("part-%02d", i))
		if at < 0 || at < last {
			t.Fatalf("part-%02d missing or out of order in what Slack accepted", i)
		}
		last = at
	}
}
