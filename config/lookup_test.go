package config

import (
	"slices"
	"testing"
)

func TestLookups(t *testing.T) {
	text := edit(t, "    email: dana@example.com\n", "    email: Dana@Example.com\n    slack_id: U123\n    discord_id: \"8035\"\n")
	cfg, _, err := loadText(t, text)
	if err != nil {
		t.Fatal(err)
	}
	people := []struct {
		name string
		find func() (Person, bool)
		want string // person id, "" for not found
	}{
		{"id", func() (Person, bool) { return cfg.Person("dana") }, "dana"},
		{"id any case", func() (Person, bool) { return cfg.Person("DANA") }, "dana"},
		{"mention", func() (Person, bool) { return cfg.Person("@alex") }, "alex"},
		{"unknown id", func() (Person, bool) { return cfg.Person("bob") }, ""},
		{"email any case", func() (Person, bool) { return cfg.PersonByEmail("dana@example.COM") }, "dana"},
		{"unknown email", func() (Person, bool) { return cfg.PersonByEmail("bob@example.com") }, ""},
		{"slack id", func() (Person, bool) { return cfg.PersonBySlackID("U123") }, "dana"},
		{"slack id is exact", func() (Person, bool) { return cfg.PersonBySlackID("u123") }, ""},
		{"discord id", func() (Person, bool) { return cfg.PersonByDiscordID("8035") }, "dana"},
		{"empty discord id", func() (Person, bool) { return cfg.PersonByDiscordID("") }, ""},
	}
	for _, tt := range people {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := tt.find()
			if ok != (tt.want != "") || p.ID != tt.want {
				t.Errorf("got %+v, %v; want %q", p, ok, tt.want)
			}
		})
	}
	if r, ok := cfg.Role("LEAD"); !ok || len(r.Holders) != 1 {
		t.Errorf("Role(LEAD) = %+v, %v", r, ok)
	}
	if b, ok := cfg.Brand("acme"); !ok || b.Name != "acme" {
		t.Errorf("Brand(acme) = %+v, %v", b, ok)
	}
	if d, ok := cfg.Department("care"); !ok || d.Channel != "#care" {
		t.Errorf("Department(care) = %+v, %v", d, ok)
	}
	if k, ok := cfg.KPI("csat"); !ok || k.Formula != "ratio" {
		t.Errorf("KPI(csat) = %+v, %v", k, ok)
	}
	if _, ok := cfg.KPI("nps"); ok {
		t.Error("KPI(nps) found")
	}
	if s, ok := cfg.Severity("SEV2"); !ok || s.Level != "sev2" || s.Name != "sev2" {
		t.Errorf("Severity(SEV2) = %+v, %v", s, ok)
	}
	if _, ok := cfg.Severity("sev5"); ok {
		t.Error("Severity(sev5) found")
	}
	if got := cfg.SeverityLevels(); !slices.Equal(got, []string{"sev1", "sev2", "sev3", "sev4"}) {
		t.Errorf("SeverityLevels() = %v", got)
	}
	if got := cfg.RoleIDs(); !slices.Equal(got, []string{"lead", "comms", "care"}) {
		t.Errorf("RoleIDs() = %v", got)
	}
	if got := cfg.BrandIDs(); !slices.Equal(got, []string{"acme"}) {
		t.Errorf("BrandIDs() = %v", got)
	}
}

func TestAllowedAndCoELead(t *testing.T) {
	cfg, err := Load(Env{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		permission string
		want       []string
	}{
		{"role.assign", []string{"social-lead"}},
		{"crisis.sev", []string{"room-members"}},
		{"alerts.manage", []string{"social-lead", "community"}},
		{"nothing.here", nil},
	}
	for _, tt := range tests {
		got := cfg.Allowed(tt.permission)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Allowed(%s) = %v, want %v", tt.permission, got, tt.want)
		}
		if len(got) > 0 {
			got[0] = "changed" // must not change the configuration
		}
	}
	if cfg.Allowed("role.assign")[0] != "social-lead" {
		t.Error("Allowed returned the configuration's own slice")
	}
	for person, want := range map[string]bool{"alex": true, "@Alex": true, "dana": false, "": false} {
		if got := cfg.IsCoELead(person); got != want {
			t.Errorf("IsCoELead(%q) = %v", person, got)
		}
	}
}

func TestScheduleParsers(t *testing.T) {
	if w, err := ParseWeek("Last"); err != nil || w != LastWeek {
		t.Errorf("ParseWeek(Last) = %d, %v", w, err)
	}
	if d, err := ParseWeekday("Tuesday"); err != nil || d.String() != "Tuesday" {
		t.Errorf("ParseWeekday(Tuesday) = %v, %v", d, err)
	}
	for _, s := range []string{"15:00", "9:30", "00:00", "23:59"} {
		if _, _, err := ParseClock(s); err != nil {
			t.Errorf("ParseClock(%q): %v", s, err)
		}
	}
	for _, s := range []string{"24:00", "12:60", "noon", "3pm", ""} {
		if _, _, err := ParseClock(s); err == nil {
			t.Errorf("ParseClock(%q) accepted", s)
		}
	}
}
