// Package center is the feature side of the command center (the live web
// page in integrations/center): the /interlock center command that hands
// out one-time sign-in links, the keys that sign links, sessions and CSRF
// tokens, and the read model the page renders. The page never reads the
// store itself.
package center

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
)

// Settings are the command center's variables (README "Command center").
type Settings struct {
	SessionSecret string // INTERLOCK_SESSION_SECRET
	WallToken     string // INTERLOCK_WALL_TOKEN
	PublicURL     string // INTERLOCK_PUBLIC_URL
}

// MinSecret is the shortest session secret and wall token accepted, in
// bytes: anything shorter could be guessed.
const MinSecret = 32

// Missing names the variables that are unset or unusable; the page is off
// until none is.
func (s Settings) Missing() []string {
	var out []string
	for _, v := range []struct{ name, value string }{
		{"INTERLOCK_SESSION_SECRET", s.SessionSecret},
		{"INTERLOCK_WALL_TOKEN", s.WallToken},
	} {
		if len(strings.TrimSpace(v.value)) < MinSecret {
			out = append(out, fmt.Sprintf("%s (at least %d characters)", v.name, MinSecret))
		}
	}
	if u, err := url.Parse(s.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		out = append(out, "INTERLOCK_PUBLIC_URL (an http:// or https:// address)")
	}
	return out
}

// Center is the command center's feature: sign-in links and the read model.
type Center struct {
	commands.Deps
	Settings Settings
	Keys     Keys
	Board    *Board
}

// New builds the command center over d.
func New(d commands.Deps, s Settings) *Center {
	return &Center{
		Deps: d, Settings: s,
		Keys:  Keys{Secret: []byte(s.SessionSecret), Claims: d.Coord, Clock: d.Clock},
		Board: NewBoard(d),
	}
}

// Register adds /interlock center to r and returns the feature.
func Register(r *bot.Router, d commands.Deps, s Settings) *Center {
	c := New(d, s)
	r.Register(bot.Command{
		Group: "interlock", Name: "center",
		Summary:  "A private one-time sign-in link to the command center (the live web page)",
		Examples: []string{"/interlock center"},
		Handler:  c.link,
	})
	return c
}

// SignInURL is the address of a sign-in link's token.
func (c *Center) SignInURL(token string) string {
	return strings.TrimRight(c.Settings.PublicURL, "/") + "/signin/" + token
}

func (c *Center) link(_ context.Context, bc *bot.Context) error {
	if missing := c.Settings.Missing(); len(missing) > 0 {
		return bot.Errorf(bot.EUnavailable, "the command center is off: set %s (see the README, Command center)", strings.Join(missing, ", "))
	}
	token, err := c.Keys.NewLink(strings.ToLower(bc.User))
	if err != nil {
		return fmt.Errorf("command center link: %w", err)
	}
	return bc.Privatef("🖥️ Your sign-in link to the command center (works once, for %s): %s",
		bot.FormatDuration(LinkTTL), c.SignInURL(token))
}
