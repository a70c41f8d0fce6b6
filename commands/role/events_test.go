package role_test

import (
	"context"
	"slices"
	"testing"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/role"
)

// TestLastRoleLostIsPublished checks that /role remove tells the listeners
// when, and only when, a person's last role (any brand, backup included)
// is gone.
func TestLastRoleLostIsPublished(t *testing.T) {
	var lost []string
	listen := func(_ *bot.Router, d commands.Deps) {
		d.Events.OnLostLastRole(func(_ context.Context, person, by string) { lost = append(lost, person+" by "+by) })
	}
	h := commandstest.New(t, []commandstest.Register{role.Register, listen})
	h.Say("/role assign legal @dana")
	h.Say("/role assign comms @dana --brand acme --backup")
	h.Say("/role remove legal @dana")
	if len(lost) != 0 {
		t.Fatalf("told %v while @dana still backs up comms", lost)
	}
	h.Say("/role remove comms @dana").Contains(t, "no longer holds comms")
	if !slices.Equal(lost, []string{"dana by alex"}) {
		t.Fatalf("told %v, want dana by alex once", lost)
	}
}
