package config

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// baseYAML is a small valid configuration. Tests change one line of it and
// expect errors at known lines, so the line numbers in the comments matter.
const baseYAML = `org:
  name: Test
  timezone: Europe/Berlin
  coe_lead: alex
people:
  - id: alex
    email: alex@example.com
  - id: dana
    email: dana@example.com
brands:
  - id: acme
roles:
  - id: lead
    holders:
      - person: alex
        brand: acme
  - id: comms
  - id: care
departments:
  - id: care
    liaison_role: care
    channel: "#care"
playbook:
  sev1: {invite: [lead, comms], approvers: [comms], quorum: 1, checkin: 15m}
  sev2: {invite: [lead], approvers: [comms], quorum: 1, checkin: 30m}
  sev3: {invite: [lead], approvers: [lead], quorum: 1, checkin: 2h}
  sev4: {invite: [lead], approvers: [lead], quorum: 1, checkin: 24h}
routing:
  default: care
  rules:
    - keywords: [Refund]
      department: care
kpis:
  - id: csat
    formula: ratio
    numerator: satisfied
    denominator: responses
permissions:
  role.assign: [lead, anyone]
`

// edit returns baseYAML with the first old replaced by replacement; it fails
// the test when old is not there, so a stale case cannot pass silently.
func edit(t *testing.T, old, replacement string) string {
	t.Helper()
	return replaceOnce(t, baseYAML, old, replacement)
}

// replaceOnce replaces the first old in text, failing when there is none.
func replaceOnce(t *testing.T, text, old, replacement string) string {
	t.Helper()
	if !strings.Contains(text, old) {
		t.Fatalf("configuration has no %q", old)
	}
	return strings.Replace(text, old, replacement, 1)
}

// writeConfig writes text to config.yaml in a temporary directory and
// returns its path.
func writeConfig(t *testing.T, text string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// loadText writes text to a file and loads it.
func loadText(t *testing.T, text string) (*Config, string, error) {
	t.Helper()
	file := writeConfig(t, text)
	cfg, err := Load(Env{ConfigPath: file})
	return cfg, file, err
}

// wantErrors checks that err lists exactly want, one per line, each
// prefixed with file and ":".
func wantErrors(t *testing.T, err error, file string, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want:\n%s", strings.Join(want, "\n"))
	}
	lines := make([]string, len(want))
	for i, w := range want {
		lines[i] = file + ":" + w
	}
	if got, exp := err.Error(), strings.Join(lines, "\n"); got != exp {
		t.Errorf("got errors:\n%s\nwant:\n%s", got, exp)
	}
}

// topLevelKeys lists the configuration's top-level keys from Config's yaml
// tags, so the typo test does not change with every new section.
func topLevelKeys() string {
	var keys []string
	t := reflect.TypeFor[Config]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			keys = append(keys, name)
		}
	}
	slices.Sort(keys)
	return strings.Join(keys, ", ")
}
