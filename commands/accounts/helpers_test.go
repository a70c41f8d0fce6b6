package accounts_test

import (
	"context"
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

func count(t *testing.T, h *commandstest.Harness) (accounts int, history int) {
	t.Helper()
	as, err := h.Store.ListAccounts(context.Background(), store.AccountQuery{Removed: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		hist, err := h.Store.AccountHistory(context.Background(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		history += len(hist)
		for _, x := range a.Access {
			history += len(x.Person) + len(x.Mark) // access changes count as changes
		}
	}
	return len(as), history
}

func containsAll(t *testing.T, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("lacks %q in:\n%s", w, got)
		}
	}
}
