package app

import (
	"strings"

	"github.com/interlock-coe/interlock/config"
)

// Directory knows the configured people plus the handles an adapter makes
// for platform users the configuration does not list ("slack-u123").
type Directory struct {
	Config   *config.Config
	Prefixes []string // e.g. "slack-", "discord-"
}

// Known reports whether handle is a person of the workspace.
func (d Directory) Known(handle string) bool {
	if _, ok := d.Config.Person(handle); ok {
		return true
	}
	for _, p := range d.Prefixes {
		if strings.HasPrefix(strings.ToLower(handle), p) {
			return true
		}
	}
	return false
}
