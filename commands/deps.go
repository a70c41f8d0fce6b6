// Package commands holds what the feature packages below it share: their
// dependencies and the role roster. Each feature (crisis, role, decision,
// route, test, sync, kpi, alerts) is a subpackage with a Register function
// that adds its command definitions to a bot.Router.
package commands

import (
	"log/slog"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// Deps are the dependencies every feature may use. They are interfaces (or
// values built from interfaces) so that features are tested with the
// recording chat and the embedded store.
type Deps struct {
	Config    *config.Config
	Store     store.Store
	Chat      bot.Chat
	Coord     bot.Coordinator
	Scheduler *bot.Scheduler
	Access    *bot.Access
	Clock     bot.Clock
	People    bot.Directory
	Log       *slog.Logger
	// Events carries role changes to the features that react to them.
	Events *RoleEvents
}

// KnownPerson parses "@handle" and checks that the person exists.
func (d Deps) KnownPerson(word string) (string, error) {
	handle, err := bot.ParseMention(word)
	if err != nil {
		return "", err
	}
	if d.People != nil && !d.People.Known(handle) {
		return "", bot.Errorf(bot.EInvalid, "unknown user @%s", handle)
	}
	return handle, nil
}

// Brand validates an optional --brand value ("" stays "").
func (d Deps) Brand(b string) (string, error) {
	if b == "" {
		return "", nil
	}
	b = strings.ToLower(b)
	if _, ok := d.Config.Brand(b); !ok {
		return "", bot.Errorf(bot.EInvalid, "unknown brand %q; brands: %s", b, strings.Join(d.Config.BrandIDs(), ", "))
	}
	return b, nil
}

// Roster answers who holds a role.
func (d Deps) Roster() Roster { return Roster{Store: d.Store} }
