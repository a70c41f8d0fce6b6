package bot

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{`a b  c`, []string{"a", "b", "c"}},
		{`open "two words" x`, []string{"open", "two words", "x"}},
		{`we're fine`, []string{"we're", "fine"}},
		{`“smart quotes” ok`, []string{"smart quotes", "ok"}},
		{`'unclosed apostrophe`, []string{"'unclosed", "apostrophe"}},
		{`esc "a \" b"`, []string{"esc", `a " b`}},
	}
	for _, tt := range tests {
		if got := Tokenize(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Tokenize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseHelpers(t *testing.T) {
	if id, err := ParseID("#12"); err != nil || id != 12 {
		t.Errorf("ParseID(#12) = %d, %v", id, err)
	}
	for _, bad := range []string{"", "#", "x", "-1", "0"} {
		if _, err := ParseID(bad); ErrorCode(err) != EInvalid {
			t.Errorf("ParseID(%q) error = %v, want invalid", bad, err)
		}
	}
	if h, err := ParseMention("@Dana"); err != nil || h != "dana" {
		t.Errorf("ParseMention = %q, %v", h, err)
	}
	if _, err := ParseMention("dana"); err == nil {
		t.Error("ParseMention without @ should fail")
	}
	durs := map[string]time.Duration{"30m": 30 * time.Minute, "2d": 48 * time.Hour, "1w": 168 * time.Hour, "1h30m": 90 * time.Minute}
	for in, want := range durs {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"soon", "infd", "1e10d", "NaNd", "-2d", "0h", "99999h", "1e300w", "d", ""} {
		if _, err := ParseDuration(bad); ErrorCode(err) != EInvalid {
			t.Errorf("ParseDuration(%q) error = %v, want invalid", bad, err)
		}
	}
	if got := FormatDuration(math.MinInt64); !strings.HasPrefix(got, "-") {
		t.Errorf("FormatDuration(min) = %q", got)
	}
	if got := FormatDuration(125 * time.Minute); got != "2h05m" {
		t.Errorf("FormatDuration = %q", got)
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{`a "b c" d`, `'`, `“x”`, `\"`, `"\`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tok := range Tokenize(s) {
			if tok == "" && !containsQuote(s) {
				t.Fatalf("empty token from %q", s)
			}
		}
	})
}

func containsQuote(s string) bool {
	for _, r := range s {
		switch r {
		case '"', '\'', '“', '‘':
			return true
		}
	}
	return false
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"30m", "2d", "1w", "infd", "1e10d", "-1h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err == nil && (d <= 0 || d > maxDuration) {
			t.Fatalf("ParseDuration(%q) = %v", s, d)
		}
		_ = FormatDuration(d)
	})
}
