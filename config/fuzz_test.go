package config

import (
	"strings"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to Parse: it must never panic, and every
// line of an error must name the file and a line.
func FuzzLoad(f *testing.F) {
	f.Add(Example())
	f.Add([]byte(baseYAML))
	f.Add([]byte(""))
	f.Add([]byte("org: [\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("playbook:\n  sev1: {checkin: 1d, quorum: x}\n"))
	f.Add([]byte("people:\n  - id: a\n  - id: A\nroles:\n  - id: r\n    holders: [{person: b, brand: c}]\n"))
	f.Add([]byte("org: {timezone: Local}\nsyncs: {time: '99:99'}\n"))
	f.Add([]byte("org: &o {name: x, bogus: 1}\nbrands: [*o, *o]\n"))
	f.Add([]byte("playbook:\n  sev1: {<<: [{chekin: 1m}, {quorum: 1}], checkin: 1m}\n"))
	f.Add([]byte("routing: &r {rules: [{name: a, depart: *r}]}\n"))
	f.Add([]byte("permissions: {role.asign: [x]}\ncontent: {}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse(data, "fuzz.yaml")
		if err == nil {
			if cfg.Org.Location == nil || len(cfg.SeverityLevels()) != 4 {
				t.Fatalf("accepted a configuration without location or playbook: %+v", cfg)
			}
			return
		}
		for _, line := range strings.Split(err.Error(), "\n") {
			if !strings.HasPrefix(line, "fuzz.yaml:") {
				t.Fatalf("error line without file:line: %q", line)
			}
		}
	})
}
