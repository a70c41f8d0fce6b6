package accounts_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/accounts"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/decision"
	"github.com/interlock-coe/interlock/commands/role"
	"github.com/interlock-coe/interlock/store"
)

// newHarness runs /role, /decision and /accounts; it returns the inventory
// service too, for the import.
func newHarness(t *testing.T, opts ...commandstest.Option) (*commandstest.Harness, *accounts.Service) {
	t.Helper()
	var svc *accounts.Service
	h := commandstest.New(t, []commandstest.Register{role.Register, decision.Register,
		func(r *bot.Router, d commands.Deps) { svc = accounts.Register(r, d) }}, opts...)
	return h, svc
}

func dms(h *commandstest.Harness, person string) []string {
	var out []string
	for _, e := range h.Chat.Events("dm") {
		if e.Channel == "@"+person {
			out = append(out, bot.PlainText(e.Message))
		}
	}
	return out
}

func posts(h *commandstest.Harness, channel string) []bot.Message {
	var out []bot.Message
	for _, e := range h.Chat.Events("post") {
		if e.Channel == channel {
			out = append(out, e.Message)
		}
	}
	return out
}

// snapshot is everything the inventory stores: accounts with their access,
// histories, trainings and pending timers, to check that a command stored
// nothing.
func snapshot(t *testing.T, h *commandstest.Harness) string {
	t.Helper()
	ctx := context.Background()
	as, err := h.Store.ListAccounts(ctx, store.AccountQuery{Removed: true})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, a := range as {
		hist, err := h.Store.AccountHistory(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%+v\n%+v\n", a, hist)
	}
	ts, err := h.Store.Trainings(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	next, ok, err := h.Store.NextTimerDue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "%+v %v %v", ts, next, ok)
	return b.String()
}

func containsAll(t *testing.T, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("lacks %q in:\n%s", w, got)
		}
	}
}
