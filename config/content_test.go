package config

import (
	"strings"
	"testing"
	"time"
)

func TestExampleContentChains(t *testing.T) {
	cfg, err := Parse(Example(), "example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cfg.ContentLevels(), ","); got != "low,medium,high,regulated" {
		t.Errorf("levels = %s", got)
	}
	if cfg.Templates.Sensitivity != "high" {
		t.Errorf("templates.sensitivity = %q, want high", cfg.Templates.Sensitivity)
	}
	if !cfg.Approvals.SegregationOfDuties {
		t.Error("segregation of duties should default to on")
	}
	reg, _ := cfg.ContentLevel("Regulated")
	fast := reg.Chain(true)
	if len(fast) != 3 || fast[0].Target != time.Hour || fast[1].Target != 4*time.Hour || fast[2].Target != 6*time.Hour {
		t.Errorf("fast-tracked regulated chain = %+v", fast)
	}
	if slow := reg.Chain(false); slow[1].Target != 24*time.Hour || slow[0].Quorum != 1 {
		t.Errorf("regulated chain = %+v", slow)
	}
}

func TestContentValidation(t *testing.T) {
	base := string(Example())
	tests := []struct{ old, new, want string }{
		{"default_sensitivity: medium", "default_sensitivity: urgent", `content.default_sensitivity: unknown sensitivity "urgent"`},
		{"templates:\n  sensitivity: high", "templates:\n  sensitivity: secret", `templates.sensitivity: unknown sensitivity "secret"`},
		{"      never_skip: [legal]\n", "      never_skip: [legal]\n      fast_track:\n        skip: [legal]\n", "content.sensitivity.high"},
		{"          approvers: [social-lead]\n          target: 4h", "          approvers: [social-lead]\n          target: 0s", "content.sensitivity.low.stages[0].target: must be a positive duration"},
		{"          approvers: [social-lead]\n", "          approvers: [nobody]\n", `content.sensitivity.low.stages[0].approvers: unknown role "nobody"`},
		{"        target_factor: 0.25\n    high", "        target_factor: 2\n    high", "content.sensitivity.medium.fast_track.target_factor: must be a share"},
		{"        target_factor: 0.5\n      never_skip: [legal]", "        target_factor: 0.5\n        skip: [legal]\n      never_skip: [legal]", `content.sensitivity.high.fast_track.skip: stage "legal" is listed in never_skip`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			_, err := Parse([]byte(replaceOnce(t, base, tt.old, tt.new)), "c.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
	skip := replaceOnce(t, base, "        target_factor: 0.5\n      never_skip: [legal]", "        target_factor: 0.5\n        skip: [comms]\n      never_skip: [legal]")
	cfg, err := Parse([]byte(skip), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	high, _ := cfg.ContentLevel("high")
	if fast := high.Chain(true); len(fast) != 1 || fast[0].Name != "legal" || fast[0].Target != 4*time.Hour {
		t.Errorf("fast-tracked high chain skipping comms = %+v", fast)
	}
	if len(high.Chain(false)) != 2 {
		t.Error("skip applied without fast-track")
	}
	off := replaceOnce(t, base, "segregation_of_duties: true", "segregation_of_duties: false")
	cfg, err = Parse([]byte(off), "c.yaml")
	if err != nil || cfg.Approvals.SegregationOfDuties {
		t.Errorf("segregation switch off: %v, %v", err, cfg.Approvals.SegregationOfDuties)
	}
}
