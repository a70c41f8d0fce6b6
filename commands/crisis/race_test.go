package crisis_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/bot/bottest"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/decision"
	"github.com/interlock-coe/interlock/commands/role"
	"github.com/interlock-coe/interlock/store"
)

// hookedChat is the recording chat with a hook run when a post begins with
// a prefix: a way to make another command land in the middle of a handler.
type hookedChat struct {
	*bottest.Chat
	prefix string
	hook   atomic.Pointer[func()]
}

func (c *hookedChat) Post(ctx context.Context, channel string, msg bot.Message) (bot.MessageRef, error) {
	if strings.HasPrefix(msg.Text, c.prefix) {
		if f := c.hook.Swap(nil); f != nil {
			(*f)()
		}
	}
	return c.Chat.Post(ctx, channel, msg)
}

// TestCheckInRacingAResolveLeavesTheCrisisResolvedWithNoTimer: the crisis
// is resolved while its check-in timer is firing (between the check-in's
// read and its write). The resolve stands, and the check-in arms no next
// one for a resolved crisis.
func TestCheckInRacingAResolveLeavesTheCrisisResolvedWithNoTimer(t *testing.T) {
	chat := &hookedChat{Chat: bottest.NewChat(), prefix: "⏰"}
	h := commandstest.New(t, []commandstest.Register{role.Register, decision.Register, register},
		commandstest.WithChat(func(*bot.Router) bot.Chat { return chat }))
	if r := h.Say("/crisis open sev2 Checkout outage --brand acme"); r.Err != nil {
		t.Fatal(r.Err)
	}
	resolve := func() {
		if r := h.Say("@alex " + room + " /crisis resolve fixed while the check-in ran"); r.Err != nil {
			t.Errorf("resolve: %v", r.Err)
		}
	}
	chat.hook.Store(&resolve)
	h.Advance(31 * time.Minute)
	if chat.hook.Load() != nil {
		t.Fatal("the check-in never fired")
	}

	cr, err := h.Store.CrisisByRoom(t.Context(), room)
	if err != nil {
		t.Fatal(err)
	}
	if cr.Status != store.CrisisResolved {
		t.Errorf("crisis is %s after a resolve raced with its check-in, want resolved", cr.Status)
	}
	if due, pending, err := h.Store.NextTimerDue(t.Context()); err != nil || pending {
		t.Errorf("a timer is pending (due %v, err %v) for a resolved crisis", due, err)
	}
	summaries := len(chat.Events("post"))
	h.Say("@alex "+room+" /crisis resolve again").Fails(t, bot.EConflict, "crisis #1 is already resolved")
	if n := len(chat.Events("post")); n != summaries {
		t.Errorf("a second resolve posted %d more messages, want none", n-summaries)
	}
}
