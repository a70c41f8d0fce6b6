package role_test

import (
	"testing"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/role"
)

// TestBackupNeverDemotesTheHolder: assigning the holder again with
// --backup is refused, saying they stay the holder and how to demote them
// on purpose; a backup assigned without --backup is promoted as before.
func TestBackupNeverDemotesTheHolder(t *testing.T) {
	h := commandstest.New(t, []commandstest.Register{role.Register})
	h.Say("/role assign legal @dana")
	h.Say("/role assign legal @dana --backup").Fails(t, bot.EConflict,
		"@dana holds legal and stays its holder: --backup never demotes a holder. To make them a backup, /role remove legal @dana first.")
	h.Say("/role who legal").Contains(t, "@dana (all brands)")

	h.Say("/role assign comms @sam --brand acme")
	h.Say("/role assign comms @sam --brand acme --backup").Fails(t, bot.EConflict,
		"@sam holds comms for acme and stays its holder: --backup never demotes a holder. To make them a backup, /role remove comms @sam --brand acme first.")
	h.Say("/role who comms --brand acme").Contains(t, "acting for acme: @sam")

	h.Say("/role assign hr @lee --backup").Contains(t, "@lee now holds hr as backup")
	h.Say("/role assign hr @lee").Contains(t, "@lee now holds hr (assigned by")
}
