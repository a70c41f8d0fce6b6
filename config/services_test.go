package config

import (
	"strings"
	"testing"
	"time"
)

func TestExampleServices(t *testing.T) {
	cfg, err := Parse(Example(), "example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cfg.ServiceNames(), ","); got != "listening-report,campaign-support,new-social-account" {
		t.Errorf("services = %s", got)
	}
	s, ok := cfg.Service("Listening-Report")
	if !ok || s.Turnaround != 3 || s.Capacity != 3 || s.Owner != "analytics" || s.Channel != "#social-team" {
		t.Errorf("listening-report = %+v", s)
	}
	if !s.Takes("due-by") || s.Takes("channels") {
		t.Error("Takes does not follow the service's fields")
	}
	want := "brand,channels,due-by,launch-date,network,owner,purpose,question"
	if got := strings.Join(cfg.ServiceFields(), ","); got != want {
		t.Errorf("fields = %s, want %s", got, want)
	}
	christmas := time.Date(2026, 12, 25, 23, 30, 0, 0, cfg.Org.Location)
	if !cfg.Org.IsHoliday(christmas) || !cfg.Org.IsHoliday(christmas.UTC()) || cfg.Org.IsHoliday(christmas.Add(time.Hour)) {
		t.Error("IsHoliday must read the date in the org's time zone")
	}
}

func TestServiceValidation(t *testing.T) {
	base := string(Example())
	tests := []struct{ old, new, want string }{
		{"    owner: analytics\n", "    owner: nobody\n", `services[0].owner: unknown role "nobody"`},
		{"    turnaround: 3\n", "    turnaround: 0\n", "services[0].turnaround: must be at least 1 business day, got 0"},
		{"    turnaround: 3\n", "", "services[0].turnaround: must be at least 1 business day, got 0"},
		{"    capacity: 3\n", "    capacity: -1\n", "services[0].capacity: must be at least 1 request a week"},
		{"  - name: listening-report\n", "  - name: list\n", `services[0].name: "list" is a /request subcommand`},
		{"  - name: campaign-support\n", "  - name: Listening-Report\n", `services[1].name: duplicate name "Listening-Report"`},
		{"  - name: listening-report\n", "  - name: bad name\n", `services[0].name: invalid service name "bad name"`},
		{"[brand, question, due-by]", "[brand, Question, brand]", `services[0].fields: invalid field "Question"`},
		{"[brand, question, due-by]", "[brand, question, brand]", `services[0].fields: field "brand" is listed twice`},
		{"    optional: [brand]\n  - name: new", "    optional: [launch-date]\n  - name: new", `services[1].optional: field "launch-date" is listed twice`},
		{`["2026-12-24", `, `["24.12.2026", `, `org.holidays: invalid date "24.12.2026"`},
		{"    capacity: 3\n", "    capacity: 3\n    channel: social\n", "services[0].channel"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			_, err := Parse([]byte(replaceOnce(t, base, tt.old, tt.new)), "c.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
}
