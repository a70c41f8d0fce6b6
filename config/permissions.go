package config

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// CheckPermissionNames reports each permission the configuration sets that
// no command uses, such as a misspelled "role.asign", which would otherwise
// leave the command to the CoE lead alone. valid are the names the
// registered commands use; the errors are "file:line: permissions.NAME:
// unknown permission …" naming the valid ones. Call it once every feature
// has registered its commands.
func (c *Config) CheckPermissionNames(valid []string) error {
	var errs []*Error
	for _, key := range slices.Sorted(maps.Keys(c.Permissions)) {
		if slices.Contains(valid, key) {
			continue
		}
		errs = append(errs, &Error{
			File: c.index.file, Line: max(c.index.permissionLines[key], 1), Path: "permissions." + key,
			Msg: fmt.Sprintf("unknown permission %q; permissions: %s", key, strings.Join(valid, ", ")),
		})
	}
	return joinErrors(errs)
}
