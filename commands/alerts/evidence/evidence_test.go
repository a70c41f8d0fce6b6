package evidence

import (
	"fmt"
	"slices"
	"testing"
)

func TestTokens(t *testing.T) {
	got := Tokens("The #Recall is REAL!! see https://x.example/1 @kim 2026 it's a battery-fire", StopWords([]string{"en"}))
	want := []string{"#recall", "real", "see", "battery", "fire"}
	if !slices.Equal(got, want) {
		t.Errorf("Tokens = %q, want %q", got, want)
	}
	if got := Tokens("der Akku brennt und die Rückrufaktion", StopWords([]string{"de"})); !slices.Equal(got, []string{"akku", "brennt", "rückrufaktion"}) {
		t.Errorf("German tokens = %q", got)
	}
}

func TestRisingFindsTheNewTerm(t *testing.T) {
	var baseline, spike []string
	for i := range 200 {
		baseline = append(baseline, fmt.Sprintf("love my acme phone %d, the camera is great", i))
	}
	for i := range 100 {
		spike = append(spike, fmt.Sprintf("acme phone battery caught fire %d", i))
		spike = append(spike, "the camera is great")
	}
	got := Rising(spike, baseline, []string{"en"}, 3)
	if len(got) == 0 || (got[0].Term != "battery" && got[0].Term != "fire" && got[0].Term != "caught") {
		t.Fatalf("rising = %+v, want battery/fire/caught first", got)
	}
	for _, term := range got {
		if term.Term == "camera" || term.Term == "the" {
			t.Errorf("%q did not rise but was ranked: %+v", term.Term, got)
		}
	}
	if Rising(nil, baseline, []string{"en"}, 3) != nil {
		t.Error("no spike text should give no terms")
	}
}
