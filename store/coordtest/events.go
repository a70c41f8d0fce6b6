package coordtest

import (
	"context"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// eventWait bounds how long a test waits for a notice before it fails; it
// is no performance target.
const eventWait = 5 * time.Second

// testEvents checks that every subscriber hears each notice published
// after it subscribed, and that a subscription ends with its context.
func testEvents(t *testing.T, c bot.Coordinator, _ Wait) {
	ev, ok := c.(bot.Events)
	if !ok {
		t.Fatalf("%T does not implement bot.Events", c)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, err := ev.Subscribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bctx, bcancel := context.WithCancel(ctx)
	b, err := ev.Subscribe(bctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, topic := range []string{"crisis", "route"} {
		if err := ev.Publish(ctx, topic); err != nil {
			t.Fatal(err)
		}
	}
	for name, ch := range map[string]<-chan string{"first": a, "second": b} {
		for _, want := range []string{"crisis", "route"} {
			if got := receive(t, ch); got != want {
				t.Errorf("%s subscriber heard %q, want %q", name, got, want)
			}
		}
	}
	bcancel()
	for range b { // drains until closed; the test times out if it never is
	}
	if err := ev.Publish(ctx, "alerts"); err != nil {
		t.Fatal(err)
	}
	if got := receive(t, a); got != "alerts" {
		t.Errorf("after the other left, heard %q, want alerts", got)
	}
}

func receive(t *testing.T, ch <-chan string) string {
	t.Helper()
	select {
	case s, ok := <-ch:
		if !ok {
			t.Fatal("subscription closed early")
		}
		return s
	case <-time.After(eventWait):
		t.Fatal("no notice arrived")
		return ""
	}
}
