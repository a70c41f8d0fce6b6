package sqlstore

import (
	"strings"
	"testing"
)

func TestRebind(t *testing.T) {
	tests := []struct {
		name    string
		dialect Dialect
		in      string
		want    string
	}{
		{"sqlite keeps question marks", SQLite, "SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = ? AND c = ?"},
		{"postgres numbers them", Postgres, "SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = $1 AND c = $2"},
		{"no placeholders", Postgres, "SELECT 1", "SELECT 1"},
		{"string literal untouched", Postgres, "SELECT '?' , ? FROM t", "SELECT '?' , $1 FROM t"},
		{"escaped quote in literal", Postgres, "SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1"},
		{"quoted identifier untouched", Postgres, `SELECT "a?" FROM t WHERE x = ?`, `SELECT "a?" FROM t WHERE x = $1`},
		{"escape clause", Postgres, `text LIKE ? ESCAPE '\' OR context LIKE ? ESCAPE '\'`, `text LIKE $1 ESCAPE '\' OR context LIKE $2 ESCAPE '\'`},
		{"many", Postgres, strings.Repeat("?,", 11) + "?", "$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.dialect.rebind(tc.in); got != tc.want {
				t.Errorf("rebind(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// FuzzRebind checks that rebinding replaces exactly the question marks
// outside quotes and leaves every other byte in place.
func FuzzRebind(f *testing.F) {
	for _, seed := range []string{"SELECT ?", "'?' ?", `"?" ? '' ?`, "?'", "", "a = ? AND b IN (?, ?)"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Postgres.rebind(in)
		if strings.Contains(out, "?") != questionInQuotes(in) {
			t.Fatalf("rebind(%q) = %q: question marks left outside quotes or lost inside them", in, out)
		}
		if SQLite.rebind(in) != in {
			t.Fatalf("SQLite rebind changed %q", in)
		}
	})
}

// questionInQuotes reports whether a question mark sits inside a quoted
// literal or identifier of s.
func questionInQuotes(s string) bool {
	var quote rune
	for _, c := range s {
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0 && c == '?':
			return true
		case quote == 0 && (c == '\'' || c == '"'):
			quote = c
		}
	}
	return false
}

func TestContainsPattern(t *testing.T) {
	tests := map[string]string{
		"Refund":   "%refund%",
		"100%":     `%100\%%`,
		"order_42": `%order\_42%`,
		`a\b`:      `%a\\b%`,
	}
	for in, want := range tests {
		if got := containsPattern(in); got != want {
			t.Errorf("containsPattern(%q) = %q, want %q", in, got, want)
		}
	}
}
