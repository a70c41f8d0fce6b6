package sqlstore

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestMigrationsMatchAcrossDialects keeps the two dialects' migrations in
// step: the same numbers with the same names, so that a domain is never
// added to one backend only.
func TestMigrationsMatchAcrossDialects(t *testing.T) {
	pg, err := loadMigrations(migrationFiles, Postgres)
	if err != nil {
		t.Fatal(err)
	}
	lite, err := loadMigrations(migrationFiles, SQLite)
	if err != nil {
		t.Fatal(err)
	}
	names := func(ms []migration) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.name)
		}
		return out
	}
	if !slices.Equal(names(pg), names(lite)) {
		t.Errorf("postgres migrations %q, sqlite migrations %q: they must match", names(pg), names(lite))
	}
	for i := range min(len(pg), len(lite)) {
		if pg[i].version != lite[i].version {
			t.Errorf("migration %s is %04d for postgres and %04d for sqlite", pg[i].name, pg[i].version, lite[i].version)
		}
	}
	if len(pg) == 0 || pg[0].version != 1 || pg[0].name != "core" {
		t.Errorf("the first migration must be 0001_core")
	}
}

func TestLoadMigrations(t *testing.T) {
	tests := []struct {
		name    string
		files   fstest.MapFS
		want    []int
		wantErr string
	}{
		{
			name: "sorted by version",
			files: fstest.MapFS{
				"migrations/sqlite/0003_routing.sql": {Data: []byte("SELECT 3")},
				"migrations/sqlite/0001_core.sql":    {Data: []byte("SELECT 1")},
			},
			want: []int{1, 3},
		},
		{
			name:    "bad name",
			files:   fstest.MapFS{"migrations/sqlite/core.sql": {Data: []byte("SELECT 1")}},
			wantErr: "NNNN_name.sql",
		},
		{
			name: "version twice",
			files: fstest.MapFS{
				"migrations/sqlite/0002_crises.sql": {Data: []byte("SELECT 2")},
				"migrations/sqlite/0002_other.sql":  {Data: []byte("SELECT 2")},
			},
			wantErr: "appears twice",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ms, err := loadMigrations(tc.files, SQLite)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, m := range ms {
				got = append(got, m.version)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("versions %v, want %v", got, tc.want)
			}
		})
	}
}
