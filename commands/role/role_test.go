package role_test

import (
	"testing"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/role"
)

func TestAssignWhoRemove(t *testing.T) {
	h := commandstest.New(t, []commandstest.Register{role.Register})
	h.Say("/role assign legal @dana").Contains(t, "@dana now holds legal (assigned by @alex)")
	h.Say("/role assign legal @dana").Contains(t, "already holds legal")
	h.Say("/role assign comms @sam --brand acme").Contains(t, "@sam now holds comms for acme")
	h.Say("/role assign comms @maria --backup").Contains(t, "@maria now holds comms as backup")
	h.Say("/role who comms").Contains(t, "@sam (acme)", "@maria (all brands, backup)")
	h.Say("/role who comms --brand acme").Contains(t, "acting for acme: @sam")
	h.Say("/role who comms --brand globex").Contains(t, "acting for globex: @maria (backup)")
	h.Say("/role list").Contains(t, "legal", "@dana (all brands)", "hr             nobody")
	h.Say("/role remove legal @dana").Contains(t, "@dana no longer holds legal")
	h.Say("/role who legal").Contains(t, "Nobody holds legal yet")
}

func TestBadInputAndPermissions(t *testing.T) {
	h := commandstest.New(t, []commandstest.Register{role.Register})
	tests := []struct {
		line string
		code bot.Code
		want string
	}{
		{"/role assign lawyer @dana", bot.EInvalid, `unknown role "lawyer"`},
		{"/role assign legal dana", bot.EInvalid, `"dana" is not a person`},
		{"/role assign legal", bot.EInvalid, "Usage: /role assign <role> @user [--brand B] [--backup]"},
		{"/role assign legal @dana extra words", bot.EInvalid, `unexpected "extra words"`},
		{"/role assign legal @dana --brand nope", bot.EInvalid, `unknown brand "nope"`},
		{"/role assign legal @dana --backup=yes", bot.EInvalid, "--backup takes no value"},
		{"/role remove legal @dana", bot.ENotFound, "@dana does not hold legal"},
		{"/role who", bot.EInvalid, "Usage: /role who"},
		{"@dana /role assign comms @sam", bot.EForbidden, "only holders of social-lead or the CoE lead may do that"},
		{"@dana /role remove social-lead @alex", bot.EForbidden, "only holders of social-lead"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) { h.Say(tt.line).Fails(t, tt.code, tt.want) })
	}
}

func TestSocialLeadHoldersMayAssign(t *testing.T) {
	h := commandstest.New(t, []commandstest.Register{role.Register})
	h.Say("/role assign social-lead @priya")
	h.Say("@priya /role assign legal @dana").Contains(t, "@dana now holds legal (assigned by @priya)")
}
