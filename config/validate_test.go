package config

import (
	"errors"
	"testing"
)

func TestBaseConfigIsValid(t *testing.T) {
	if _, _, err := loadText(t, baseYAML); err != nil {
		t.Fatalf("base configuration: %v", err)
	}
}

func TestValidationErrors(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     []string // "line: path: message", in line order
	}{
		{"duplicate person id", "  - id: dana", "  - id: Alex",
			[]string{`8: people[1].id: duplicate id "Alex" (first at line 6)`}},
		{"invalid person id", "  - id: dana", "  - id: da na",
			[]string{`8: people[1].id: invalid id "da na": use letters, digits, '.', '_' and '-'`}},
		{"missing id", "  - id: acme", "  - name: Acme",
			[]string{
				`11: brands[0].id: missing id`,
				`16: roles[0].holders[0].brand: unknown brand "acme"`,
			}},
		{"duplicate email", "dana@example.com", "ALEX@example.com",
			[]string{`9: people[1].email: duplicate email "ALEX@example.com" (first at line 7)`}},
		{"invalid email", "dana@example.com", "dana.example.com",
			[]string{`9: people[1].email: invalid e-mail address "dana.example.com"`}},
		{"unknown time zone", "Europe/Berlin", "Mars/Olympus",
			[]string{`3: org.timezone: unknown time zone "Mars/Olympus"; use an IANA name like Europe/Berlin`}},
		{"unknown coe lead", "coe_lead: alex", "coe_lead: zed",
			[]string{`4: org.coe_lead: unknown person "zed"`}},
		{"holder unknown person", "      - person: alex", "      - person: bob",
			[]string{`15: roles[0].holders[0].person: unknown person "bob"`}},
		{"holder unknown brand", "brand: acme", "brand: globex",
			[]string{`16: roles[0].holders[0].brand: unknown brand "globex"`}},
		{"holder listed twice", "        brand: acme\n", "        brand: acme\n      - person: ALEX\n        brand: acme\n",
			[]string{`17: roles[0].holders[1].person: ALEX is listed twice for the same brand`}},
		{"duplicate role", "  - id: care\ndepartments", "  - id: comms\ndepartments",
			[]string{
				`18: roles[2].id: duplicate id "comms" (first at line 17)`,
				`21: departments[0].liaison_role: unknown role "care"`,
			}},
		{"unknown liaison role", "liaison_role: care", "liaison_role: carer",
			[]string{`21: departments[0].liaison_role: unknown role "carer"`}},
		{"channel without #", `channel: "#care"`, `channel: care`,
			[]string{`22: departments[0].channel: invalid channel "care": want "#name" without spaces`}},
		{"channel unquoted", `channel: "#care"`, `channel: #care`,
			[]string{`22: departments[0].channel: missing channel; write it quoted, e.g. "#general" (a bare # starts a YAML comment)`}},
		{"negative department sla", `channel: "#care"`, "channel: \"#care\"\n    sla: -1m",
			[]string{`23: departments[0].sla: must not be negative, got -1m0s`}},
		{"unknown invite role", "invite: [lead, comms]", "invite: [lead, comms2]",
			[]string{`24: playbook.sev1.invite: unknown role "comms2"`}},
		{"no invites", "invite: [lead, comms]", "invite: []",
			[]string{`24: playbook.sev1.invite: invite at least one role`}},
		{"unknown approver", "approvers: [comms], quorum: 1, checkin: 30m", "approvers: [exec], quorum: 1, checkin: 30m",
			[]string{`25: playbook.sev2.approvers: unknown role "exec"`}},
		{"no approvers", "approvers: [comms], quorum: 1, checkin: 30m", "approvers: [], quorum: 1, checkin: 30m",
			[]string{`25: playbook.sev2.approvers: name at least one approver role`}},
		{"quorum above approvers", "quorum: 1, checkin: 15m", "quorum: 2, checkin: 15m",
			[]string{`24: playbook.sev1.quorum: must be between 1 and 1 (the number of approvers), got 2`}},
		{"quorum zero", "quorum: 1, checkin: 2h", "quorum: 0, checkin: 2h",
			[]string{`26: playbook.sev3.quorum: must be between 1 and 1 (the number of approvers), got 0`}},
		{"checkin zero", "checkin: 30m", "checkin: 0s",
			[]string{`25: playbook.sev2.checkin: must be a positive duration like 30m, got 0s`}},
		{"checkin missing", ", checkin: 24h}", "}",
			[]string{`27: playbook.sev4.checkin: must be a positive duration like 30m, got 0s`}},
		{"missing level", "  sev4: {invite: [lead], approvers: [lead], quorum: 1, checkin: 24h}\n", "",
			[]string{`23: playbook: missing sev4; the playbook needs sev1, sev2, sev3 and sev4`}},
		{"unknown level", "  sev4:", "  sev5:",
			[]string{
				`23: playbook: missing sev4; the playbook needs sev1, sev2, sev3 and sev4`,
				`27: playbook.sev5: unknown level "sev5"; use sev1, sev2, sev3 and sev4`,
			}},
		{"unknown spokesperson", "checkin: 24h}", "checkin: 24h, spokesperson_role: voice}",
			[]string{`27: playbook.sev4.spokesperson_role: unknown role "voice"`}},
		{"negative share above one", "checkin: 15m}", "checkin: 15m, negative_share: 60}",
			[]string{`24: playbook.sev1.negative_share: must be a share between 0 and 1 (0.4 = 40%), got 60`}},
		{"unknown routing default", "default: care", "default: support",
			[]string{`29: routing.default: unknown department "support"`}},
		{"missing routing default", "  default: care\n", "",
			[]string{`28: routing.default: missing department id`}},
		{"unknown rule department", "      department: care", "      department: sales",
			[]string{`32: routing.rules[0].department: unknown department "sales"`}},
		{"rule without keywords", "    - keywords: [Refund]\n      department", "    - department",
			[]string{`31: routing.rules[0].keywords: list at least one keyword`}},
		{"reminder after escalation", "  default: care\n", "  default: care\n  reminder_at: 1.5\n",
			[]string{`30: routing.reminder_at: must be below escalate_at (1), got 1.5`}},
		{"zero sla", "  default: care\n", "  default: care\n  sla: 0s\n",
			[]string{`30: routing.sla: must be a positive duration like 30m, got 0s`}},
		{"bad outbound url", "  default: care\n", "  default: care\n  outbound:\n    url: ftp://inbox\n",
			[]string{`31: routing.outbound.url: invalid URL "ftp://inbox": want http(s)://host/path`}},
		{"classifier threshold above one", "  default: care\n", "  default: care\n  classifier:\n    threshold: 82\n",
			[]string{`31: routing.classifier.threshold: must be a confidence above 0 and at most 1 (0.6 = 60%), got 82`}},
		{"classifier without examples", "  default: care\n", "  default: care\n  classifier:\n    min_examples: 0\n",
			[]string{`31: routing.classifier.min_examples: must be at least 1, got 0`}},
		{"zero quiet period", "permissions:", "listening:\n  quiet_period: 0s\npermissions:",
			[]string{`39: listening.quiet_period: must be a positive duration like 30m, got 0s`}},
		{"unknown kpi formula", "formula: ratio", "formula: mean",
			[]string{`35: kpis[0].formula: want one of ratio, value, median, p90, got "mean"`}},
		{"ratio without denominator", "    denominator: responses\n", "",
			[]string{`34: kpis[0].denominator: a ratio needs a denominator`}},
		{"unknown kpi aggregate", "formula: ratio", "formula: value\n    aggregate: max",
			[]string{`36: kpis[0].aggregate: want one of sum, mean, last, got "max"`}},
		{"unknown kpi direction", "formula: ratio", "formula: ratio\n    better: up",
			[]string{`36: kpis[0].better: want one of higher, lower, got "up"`}},
		{"unknown permission role", "[lead, anyone]", "[lead, everyone]",
			[]string{`39: permissions.role.assign: unknown role "everyone"; use a role id, anyone, room-members, approvers`}},
		{"bad channel", "permissions:", "channels:\n  social: social-team\npermissions:",
			[]string{`39: channels.social: invalid channel "social-team": want "#name" without spaces`}},
		{"bad auto open", "permissions:", "listening:\n  auto_open: sev9\npermissions:",
			[]string{`39: listening.auto_open: want one of sev1, sev2, sev3, sev4 or "" (never), got "sev9"`}},
		{"zero k", "permissions:", "listening:\n  k: 0\npermissions:",
			[]string{`39: listening.k: must be above 0 (standard deviations), got 0`}},
		{"bad weekday", "permissions:", "syncs:\n  weekday: someday\npermissions:",
			[]string{`39: syncs.weekday: want a weekday (mon, tue, wed, thu, fri, sat or sun), got "someday"`}},
		{"bad week", "permissions:", "syncs:\n  week: fifth\npermissions:",
			[]string{`39: syncs.week: want a week of the month (first, second, third, fourth or last), got "fifth"`}},
		{"bad sync time", "permissions:", "syncs:\n  time: \"25:00\"\npermissions:",
			[]string{`39: syncs.time: want a time of day as HH:MM (24-hour), got "25:00"`}},
		{"digest every day", "permissions:", "digests:\n  - {name: exec, channel: \"#x\", every: daily, weekday: mon, time: \"09:00\", sections: [kpis]}\npermissions:",
			[]string{`39: digests[0].every: want one of weekly, monthly, got "daily"`}},
		{"digest unknown section and kpi", "permissions:", "digests:\n  - {name: exec, channel: \"#x\", every: weekly, weekday: mon, time: \"09:00\", sections: [gossip], kpis: [nope]}\npermissions:",
			[]string{`39: digests[0].sections: want one of kpis, crises, alerts, routed, tests, decisions, content, got "gossip"`, `39: digests[0].kpis: unknown KPI "nope"`}},
		{"digest bad zone", "permissions:", "digests:\n  - {name: exec, channel: \"#x\", every: monthly, week: fifth, weekday: mon, time: \"09:00\", timezone: Mars/Base}\npermissions:",
			[]string{`39: digests[0].week: want a week of the month (first, second, third, fourth or last), got "fifth"`, `39: digests[0].timezone: unknown time zone "Mars/Base"; use an IANA name like Europe/Berlin`}},
		{"bad pick day", "permissions:", "tests:\n  pick_day: 31\npermissions:",
			[]string{`39: tests.pick_day: must be a day of the month from 1 to 28 (every month has it), got 31`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, file, err := loadText(t, edit(t, tt.old, tt.new))
			wantErrors(t, err, file, tt.want...)
		})
	}
}

func TestAllErrorsAtOnce(t *testing.T) {
	text := edit(t, "coe_lead: alex", "coe_lead: zed")
	text = replaceOnce(t, text, "invite: [lead, comms]", "invite: [lead, comms2]")
	text = replaceOnce(t, text, "default: care", "default: support")
	_, file, err := loadText(t, text)
	wantErrors(t, err, file,
		`4: org.coe_lead: unknown person "zed"`,
		`24: playbook.sev1.invite: unknown role "comms2"`,
		`29: routing.default: unknown department "support"`,
	)
	var first *Error
	if !errors.As(err, &first) || first.Line != 4 || first.Path != "org.coe_lead" {
		t.Errorf("errors.As gave %+v, want the org.coe_lead error", first)
	}
}
