package config

import "testing"

func TestCheckPermissionNames(t *testing.T) {
	valid := []string{"crisis.resolve", "role.assign", "role.remove"}
	tests := []struct {
		name, old, new string
		want           []string
	}{
		{"misspelled", "  role.assign: [lead, anyone]", "  role.asign: [lead, anyone]",
			[]string{`39: permissions.role.asign: unknown permission "role.asign"; permissions: crisis.resolve, role.assign, role.remove`}},
		{"two typos", "  role.assign: [lead, anyone]", "  role.assign: [lead]\n  crisis.reslove: [lead]\n  Role.Remove: [lead]",
			[]string{`40: permissions.crisis.reslove: unknown permission "crisis.reslove"; permissions: crisis.resolve, role.assign, role.remove`,
				`41: permissions.Role.Remove: unknown permission "Role.Remove"; permissions: crisis.resolve, role.assign, role.remove`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, file, err := loadText(t, edit(t, tt.old, tt.new))
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			wantErrors(t, cfg.CheckPermissionNames(valid), file, tt.want...)
		})
	}
	cfg, _, err := loadText(t, baseYAML)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.CheckPermissionNames(valid); err != nil {
		t.Errorf("valid names: %v", err)
	}
}

// TestExampleNamesOnlyKnownKeys: the embedded example decodes with no
// unknown key; its permission names are checked against the registered
// commands in cmd/interlock (TestAConfigTypoStopsServeAndShell and the
// shell scripts start from it).
func TestExampleNamesOnlyKnownKeys(t *testing.T) {
	if _, err := Parse(Example(), exampleFile); err != nil {
		t.Fatal(err)
	}
}
