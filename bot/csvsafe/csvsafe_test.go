package csvsafe_test

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/interlock-coe/interlock/bot/csvsafe"
)

func TestCell(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"Checkout copy", "Checkout copy"},
		{"=1+1", "'=1+1"},
		{"+1", "'+1"},
		{"-1", "'-1"},
		{"@cmd", "'@cmd"},
		{"=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"a=1", "a=1"},
		{" =1", " =1"},
		{"'=1", "'=1"},
		{"42", "42"},
	} {
		if got := csvsafe.Cell(tc.in); got != tc.want {
			t.Errorf("Cell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWriterEscapesEveryCell(t *testing.T) {
	var b strings.Builder
	w := csvsafe.NewWriter(&b)
	rec := []string{"1", "=1+1", "@cmd", "plain"}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	if rec[1] != "=1+1" {
		t.Errorf("Write changed the caller's record: %q", rec)
	}
	got, err := csv.NewReader(strings.NewReader(b.String())).Read()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1", "'=1+1", "'@cmd", "plain"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("record = %q, want %q", got, want)
	}
}

// FuzzCell checks that no cell comes out starting with a formula character
// and that only a single quote is ever added.
func FuzzCell(f *testing.F) {
	for _, s := range []string{"", "=1+1", "@cmd", "-", "+", "\t", "\r", "=cmd|' /C calc'!A0", "plain", "'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := csvsafe.Cell(s)
		if got != "" && strings.ContainsRune("=+-@\t\r", rune(got[0])) {
			t.Errorf("Cell(%q) = %q starts with a formula character", s, got)
		}
		if got != s && got != "'"+s {
			t.Errorf("Cell(%q) = %q, want the text or the text after a quote", s, got)
		}
	})
}
