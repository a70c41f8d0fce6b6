package config

import (
	"errors"
	"io/fs"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestLoadEmbeddedExample(t *testing.T) {
	cfg, err := Load(Env{})
	if err != nil {
		t.Fatalf("embedded example: %v", err)
	}
	if cfg.Source != SourceExample {
		t.Errorf("Source = %q, want %q", cfg.Source, SourceExample)
	}
	if cfg.Org.Location.String() != "Europe/Berlin" || !cfg.IsCoELead("alex") {
		t.Errorf("org = %+v, want Europe/Berlin led by alex", cfg.Org)
	}
	if len(cfg.People) != 10 || len(cfg.Brands) != 3 || len(cfg.Roles) != 12 || len(cfg.Departments) != 5 || len(cfg.KPIs) != 22 {
		t.Errorf("counts: %d people, %d brands, %d roles, %d departments, %d KPIs",
			len(cfg.People), len(cfg.Brands), len(cfg.Roles), len(cfg.Departments), len(cfg.KPIs))
	}
	for _, r := range cfg.Roles {
		want := 0
		if r.ID == "social-lead" {
			want = 1
		}
		if len(r.Holders) != want {
			t.Errorf("role %s has %d holders, want %d", r.ID, len(r.Holders), want)
		}
	}
	var rules []string
	for _, r := range cfg.Routing.Rules {
		rules = append(rules, r.Department)
	}
	if want := []string{"customer-care", "sales", "hr", "legal", "product"}; !slices.Equal(rules, want) {
		t.Errorf("routing rules go to %v, want %v", rules, want)
	}
	if cfg.Routing.Default != "customer-care" || cfg.Routing.SLA != time.Hour {
		t.Errorf("routing = %+v", cfg.Routing)
	}
	if cfg.Listening.AutoOpen != "sev1" || cfg.Listening.BaselineWindow != 168*time.Hour {
		t.Errorf("listening = %+v", cfg.Listening)
	}
}

func TestExamplePlaybook(t *testing.T) {
	cfg, err := Load(Env{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		level     string
		invites   int
		approvers []string
		quorum    int
		checkin   time.Duration
		spokes    string
	}{
		{"sev1", 7, []string{"comms", "legal", "exec"}, 3, 15 * time.Minute, "spokesperson"},
		{"sev2", 5, []string{"comms", "legal"}, 2, 30 * time.Minute, "spokesperson"},
		{"sev3", 3, []string{"comms"}, 1, 2 * time.Hour, "social-lead"},
		{"sev4", 2, []string{"social-lead"}, 1, 24 * time.Hour, "social-lead"},
	}
	for _, tt := range tests {
		t.Run(tt.level, func(t *testing.T) {
			s, ok := cfg.Severity(tt.level)
			if !ok {
				t.Fatalf("no %s", tt.level)
			}
			if s.Level != tt.level || len(s.Invite) != tt.invites || !slices.Equal(s.Approvers, tt.approvers) ||
				s.Quorum != tt.quorum || s.CheckIn != tt.checkin || s.Spokesperson != tt.spokes || s.HoldingStatement == "" {
				t.Errorf("%s = %+v", tt.level, s)
			}
		})
	}
}

func TestLoadFile(t *testing.T) {
	file := writeConfig(t, string(Example()))
	cfg, err := Load(Env{ConfigPath: file, LogLevel: "debug"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Source != file || cfg.Env.LogLevel != "debug" {
		t.Errorf("Source = %q, Env = %+v", cfg.Source, cfg.Env)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(Env{ConfigPath: filepath.Join(t.TempDir(), "nope.yaml")})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("err = %v, want a not-exist error", err)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     []string
	}{
		{"unknown top-level setting", "permissions:", "colour: red\npermissions:",
			[]string{`38: unknown key "colour"; valid keys: ` + topLevelKeys()}},
		{"typo in a section", "  timezone:", "  timezon:",
			[]string{`3: unknown key "timezon" in org; valid keys: coe_lead, holidays, name, timezone`}},
		{"unknown setting in a list item", "        brand: acme\n", "        brand: acme\n        backups: true\n",
			[]string{`17: unknown key "backups" in roles[0].holders[0]; valid keys: backup, brand, person`}},
		{"unknown setting in a flow mapping", "checkin: 15m}", "checkin: 15m, chekin: 1m}",
			[]string{`24: unknown key "chekin" in playbook.sev1; valid keys: approvers, checkin, holding_statement, invite, meaning, min_reach, name, negative_share, press, quorum, spokesperson_role, volume_multiple`}},
		{"several unknown settings", "  timezone:", "  timezon:\n  colour: red\n  tz:",
			[]string{`3: unknown key "timezon" in org; valid keys: coe_lead, holidays, name, timezone`,
				`4: unknown key "colour" in org; valid keys: coe_lead, holidays, name, timezone`,
				`5: unknown key "tz" in org; valid keys: coe_lead, holidays, name, timezone`}},
		{"misspelled department field", "    liaison_role: care\n", "    liason_role: care\n",
			[]string{`21: unknown key "liason_role" in departments[0]; valid keys: channel, id, liaison_role, name, sla`}},
		{"misspelled playbook field in block style", "  sev2: {invite: [lead], approvers: [comms], quorum: 1, checkin: 30m}\n",
			"  sev2:\n    invite: [lead]\n    approver: [comms]\n    quorum: 1\n    checkin: 30m\n",
			[]string{`27: unknown key "approver" in playbook.sev2; valid keys: approvers, checkin, holding_statement, invite, meaning, min_reach, name, negative_share, press, quorum, spokesperson_role, volume_multiple`}},
		{"misspelled routing rule field", "      department: care\n", "      departement: care\n",
			[]string{`32: unknown key "departement" in routing.rules[0]; valid keys: department, keywords, name`}},
		{"unknown key beside a merge key", "  sev3: {invite: [lead], approvers: [lead], quorum: 1, checkin: 2h}",
			"  sev3: {<<: {invite: [lead], approvers: [lead], quorum: 1}, checkin: 2h, checkn: 1h}",
			[]string{`26: unknown key "checkn" in playbook.sev3; valid keys: approvers, checkin, holding_statement, invite, meaning, min_reach, name, negative_share, press, quorum, spokesperson_role, volume_multiple`}},
		{"unknown key inside a merged mapping", "  sev3: {invite: [lead], approvers: [lead], quorum: 1, checkin: 2h}",
			"  sev3: {<<: {invite: [lead], aprovers: [lead], quorum: 1}, checkin: 2h}",
			[]string{`26: unknown key "aprovers" in playbook.sev3; valid keys: approvers, checkin, holding_statement, invite, meaning, min_reach, name, negative_share, press, quorum, spokesperson_role, volume_multiple`}},
		{"setting twice", "  name: Test\n", "  name: Test\n  name: Other\n",
			[]string{`3: org.name: set twice (first at line 2)`}},
		{"key twice in a map", "  role.assign: [lead, anyone]\n", "  role.assign: [lead, anyone]\n  role.assign: [lead]\n",
			[]string{`40: permissions.role.assign: set twice (first at line 39)`}},
		{"mapping for a list", "people:\n  - id: alex\n    email: alex@example.com\n  - id: dana\n    email: dana@example.com\n", "people:\n  id: alex\n",
			[]string{`6: people: want a list, got a mapping`}},
		{"text for a number", "quorum: 1, checkin: 15m", "quorum: one, checkin: 15m",
			[]string{`24: playbook.sev1.quorum: want a whole number, got "one"`}},
		{"long text for a number", "quorum: 1, checkin: 15m", "quorum: everyone-of-them, checkin: 15m",
			[]string{`24: playbook.sev1.quorum: want a whole number, got "everyone-of-them"`}},
		{"list for text", "  name: Test", "  name: [a, b]",
			[]string{`2: org.name: want text, got a list`}},
		{"syntax error", "  name: Test", "  name: [Test",
			[]string{`2: invalid YAML: did not find expected ',' or ']'`}},
		{"item in a mapping", "  name: Test", "  - name: Test",
			[]string{`2: invalid YAML: did not find expected '-' indicator`}},
		{"unterminated string", "[lead, anyone]", "\"lead",
			[]string{`39: invalid YAML: found unexpected end of stream`}},
		{"tab indentation", "  name: Test", "\tname: Test",
			[]string{`2: invalid YAML: found character that cannot start any token`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, file, err := loadText(t, edit(t, tt.old, tt.new))
			wantErrors(t, err, file, tt.want...)
		})
	}
}

func TestDurations(t *testing.T) {
	tests := []struct {
		value   string
		want    time.Duration
		wantErr string
	}{
		{"15m", 15 * time.Minute, ""},
		{"90s", 90 * time.Second, ""},
		{"1h30m", 90 * time.Minute, ""},
		{"168h", 168 * time.Hour, ""},
		{`"30m"`, 30 * time.Minute, ""},
		{"60", 0, `24: playbook.sev1.checkin: want a duration like 30m or 24h, got "60"`},
		{"1d", 0, `24: playbook.sev1.checkin: want a duration like 30m or 24h, got "1d"`},
		{"-5m", 0, `24: playbook.sev1.checkin: must be a positive duration like 30m, got -5m0s`},
		{"[15m]", 0, `24: want a duration like 30m or 24h, got a list`}, // which list on the line is unknown
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			cfg, file, err := loadText(t, edit(t, "checkin: 15m}", "checkin: "+tt.value+"}"))
			if tt.wantErr != "" {
				wantErrors(t, err, file, tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s, _ := cfg.Severity("sev1"); s.CheckIn != tt.want {
				t.Errorf("checkin = %s, want %s", s.CheckIn, tt.want)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	cfg, _, err := loadText(t, baseYAML)
	if err != nil {
		t.Fatal(err)
	}
	got := []any{
		cfg.Channels, cfg.Routing.SLA, cfg.Routing.Reminder, cfg.Routing.Escalate,
		cfg.Listening, cfg.Syncs, cfg.Tests, cfg.People[0].Name, cfg.KPIs[0].Better, cfg.KPIs[0].Source,
		cfg.Routing.Rules[0].Keywords[0],
	}
	want := []any{
		defaultChannels, DefaultSLA, DefaultReminderAt, DefaultEscalateAt,
		Listening{MinMentions: 100, BaselineWindow: 168 * time.Hour, K: 3, RepeatInterval: 4 * time.Hour, QuietPeriod: 6 * time.Hour, MentionRetention: 720 * time.Hour},
		defaultSyncs, defaultTests, "alex", "higher", "data", "refund",
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("default %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if c := cfg.Routing.Classifier; c != (Classifier{Enabled: true, Threshold: 0.6, MinExamples: 5}) {
		t.Errorf("classifier = %+v, want enabled at 0.6 with 5 examples", c)
	}
	if d, _ := cfg.Department("care"); d.SLA != DefaultSLA {
		t.Errorf("department SLA = %s, want the routing SLA", d.SLA)
	}
}

func TestExplicitZeroIsKept(t *testing.T) {
	cfg, _, err := loadText(t, edit(t, "permissions:", "listening:\n  min_mentions: 0\npermissions:"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Listening.MinMentions != 0 || cfg.Listening.K != DefaultK {
		t.Errorf("listening = %+v, want min_mentions 0 and the default k", cfg.Listening)
	}
}

func TestEmptyFile(t *testing.T) {
	_, file, err := loadText(t, "")
	wantErrors(t, err, file, `1: playbook: missing sev1, sev2, sev3, sev4; the playbook needs sev1, sev2, sev3 and sev4`)
}
