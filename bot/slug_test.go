package bot

import (
	"strings"
	"testing"
)

func TestSlugTransliterates(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Störung", "stoerung"},
		{"Ünïcödé Crème brûlée", "uenicoede-creme-brulee"},
		{"Straße gesperrt", "strasse-gesperrt"},
		{"ÄÖÜ äöü ß ẞ", "aeoeue-aeoeue-ss-ss"},
		{"Ærø Łódź", "aero-lodz"},
		{"Çà va? ñandú", "ca-va-nandu"},
		{"e\u0301te\u0301", "ete"}, // accents typed as combining marks
		{"Checkout is DOWN!!", "checkout-is-down"},
		{"  --leading and trailing--  ", "leading-and-trailing"},
		{"ﬁle ½", "file"},
		{"日本語 outage", "outage"},
		{"Checkout \u202Enwod\u202C si", "checkout-nwod-si"},
		{"\u2066\u2067\u200E\u200F", ""},
		{"!!!", ""},
	}
	for _, tt := range tests {
		if got := Slug(tt.in); got != tt.want {
			t.Errorf("Slug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzSlug(f *testing.F) {
	for _, s := range []string{"Störung", "Ünïcödé Crème brûlée", "\u202Eabc", "a\u0301", "ﬁ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Slug(s)
		if strings.HasPrefix(got, "-") || strings.HasSuffix(got, "-") || strings.Contains(got, "--") {
			t.Fatalf("Slug(%q) = %q: stray dash", s, got)
		}
		for _, r := range got {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				t.Fatalf("Slug(%q) = %q: %q is not allowed", s, got, r)
			}
		}
	})
}
