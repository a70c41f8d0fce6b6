package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/config"
)

// TestAConfigTypoStopsServeAndShell misspells a permission name and a
// playbook key in a copy of the example: both serve and shell refuse to
// start, naming the file, the line and the valid names.
func TestAConfigTypoStopsServeAndShell(t *testing.T) {
	example := string(config.Example())
	tests := []struct{ name, old, new, want string }{
		{"permission name", "  role.assign: [social-lead]", "  role.asign: [social-lead]",
			`permissions.role.asign: unknown permission "role.asign"; permissions: `},
		{"playbook key", "    checkin: 15m", "    chekin: 15m", `unknown key "chekin" in playbook.sev1; valid keys: `},
	}
	for _, tt := range tests {
		for _, command := range []string{"shell", "serve"} {
			t.Run(tt.name+" "+command, func(t *testing.T) {
				if !strings.Contains(example, tt.old) {
					t.Fatalf("the example has no %q", tt.old)
				}
				dir := t.TempDir()
				file := filepath.Join(dir, "interlock.yaml")
				text := strings.Replace(example, tt.old, tt.new, 1)
				if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
					t.Fatal(err)
				}
				line := strings.Count(text[:strings.Index(text, tt.new)], "\n") + 1
				env := map[string]string{"INTERLOCK_DATA_DIR": dir, "INTERLOCK_CONFIG": file, "INTERLOCK_HTTP_ADDR": "127.0.0.1:0"}
				var out, errOut bytes.Buffer
				root := newRootCommand(strings.NewReader(""), &out, &errOut, func(k string) string { return env[k] })
				root.SetArgs([]string{command})
				// The deadline only stops a serve that wrongly started.
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				err := root.ExecuteContext(ctx)
				want := file + ":" + strconv.Itoa(line) + ": "
				if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("%s: err = %v\nwant %q…%q", command, err, want, tt.want)
				}
			})
		}
	}
}
