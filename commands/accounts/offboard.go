package accounts

import (
	"context"
	"fmt"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// maxOffboardButtons bounds the Revoke buttons of one offboarding message
// (platforms cap buttons per message); the rest are listed with their
// typed command.
const maxOffboardButtons = 20

// offboard posts every account person could reach to it-security, with a
// Revoke button for each access, when they have lost their last role.
func (s *Service) offboard(ctx context.Context, person, by string) {
	as, err := s.Store.ListAccounts(ctx, store.AccountQuery{Person: person})
	if err != nil {
		s.Log.Error("cannot list the accounts of an offboarded person", "person", person, "err", err)
		return
	}
	if len(as) == 0 {
		return
	}
	holders, _, err := s.Roster().Holders(ctx, s.Config.Accounts.SecurityRole, "")
	if err != nil {
		s.Log.Warn("cannot find the security role's holders", "err", err)
	}
	m := offboarding(as, person, by, callOut(holders, s.Config.Accounts.SecurityRole))
	m.Notify = holders
	if _, err := s.Chat.Post(ctx, s.Config.Accounts.SecurityChan, m); err != nil {
		s.Log.Error("cannot post offboarding", "person", person, "err", err)
	}
}

func offboarding(as []store.Account, person, by, to string) bot.Message {
	var lines []string
	var buttons []bot.Button
	for _, a := range as {
		var what []string
		if x, ok := a.AccessOf(person); ok {
			what = append(what, x.Level+" access")
			cmd := fmt.Sprintf("/accounts revoke %d @%s", a.ID, person)
			if len(buttons) < maxOffboardButtons {
				buttons = append(buttons, bot.Button{Label: fmt.Sprintf("Revoke #%d %s", a.ID, a.Network), Command: cmd, Style: bot.StyleDanger})
			} else {
				what = append(what, "revoke with "+cmd)
			}
		}
		if a.Owner == person {
			what = append(what, fmt.Sprintf("owner (hand over: /accounts edit %d --owner @user)", a.ID))
		}
		if a.Backup == person {
			what = append(what, fmt.Sprintf("backup (/accounts edit %d --backup none)", a.ID))
		}
		lines = append(lines, "  "+label(a)+": "+strings.Join(what, "; "))
	}
	return bot.Message{
		Title:   fmt.Sprintf("🚪 Offboarding: @%s no longer holds any role (last removed by @%s)", person, by),
		Text:    fmt.Sprintf("%s: @%s could reach %d accounts:\n%s", to, person, len(as), strings.Join(lines, "\n")),
		Buttons: buttons,
	}
}
