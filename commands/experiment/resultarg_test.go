package experiment

import (
	"strings"
	"testing"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

func TestParseArms(t *testing.T) {
	tests := []struct {
		words []string
		a, b  store.Arm
		err   string
	}{
		{words: []string{"a=120/4000", "b=165/4000"}, a: store.Arm{Successes: 120, Trials: 4000}, b: store.Arm{Successes: 165, Trials: 4000}},
		{words: []string{"B=165/4000", "A=120/4000"}, a: store.Arm{Successes: 120, Trials: 4000}, b: store.Arm{Successes: 165, Trials: 4000}},
		{words: []string{"a=1,200/40_000", "b=0/1"}, a: store.Arm{Successes: 1200, Trials: 40000}, b: store.Arm{Successes: 0, Trials: 1}},
		{words: []string{"a=120/4000"}, err: "give both variants"},
		{words: []string{"a=1/2", "b=1/2", "c=1/2"}, err: "give both variants"},
		{words: []string{"a=1/2", "a=1/3"}, err: "given twice"},
		{words: []string{"c=1/2", "b=1/2"}, err: "not a variant"},
		{words: []string{"a120/4000", "b=1/2"}, err: "not a variant"},
		{words: []string{"a=120", "b=1/2"}, err: "successes/trials"},
		{words: []string{"a=-1/2", "b=1/2"}, err: "whole number"},
		{words: []string{"a=1.5/2", "b=1/2"}, err: "whole number"},
		{words: []string{"a=/2", "b=1/2"}, err: "whole number"},
		{words: []string{"a=1/0", "b=1/2"}, err: "at least one trial"},
		{words: []string{"a=3/2", "b=1/2"}, err: "more successes than trials"},
		{words: []string{"a=1/99999999999999999999", "b=1/2"}, err: "too large"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.words, " "), func(t *testing.T) {
			a, b, err := ParseArms(tt.words)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || bot.ErrorCode(err) != bot.EInvalid {
					t.Fatalf("err = %v, want an invalid-input error containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a != tt.a || b != tt.b {
				t.Errorf("got a=%+v b=%+v, want a=%+v b=%+v", a, b, tt.a, tt.b)
			}
		})
	}
}

// FuzzParseArms checks that any input either fails with an invalid-input
// error or yields arms that analyse without panicking, stay in bounds and
// read back the same when written out.
func FuzzParseArms(f *testing.F) {
	for _, seed := range [][2]string{
		{"a=120/4000", "b=165/4000"}, {"b=0/1", "a=1/1"}, {"a=1,000/2_000", "b=5/9"},
		{"a=", "b=/"}, {"a=9999999999999/1", "b=1/0"}, {"=1/2", "b==1/2"}, {"a=1/2/3", "b=٣/٤"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, x, y string) {
		a, b, err := ParseArms([]string{x, y})
		if err != nil {
			if bot.ErrorCode(err) != bot.EInvalid {
				t.Fatalf("ParseArms(%q, %q) error %v is not EInvalid", x, y, err)
			}
			return
		}
		for _, arm := range []store.Arm{a, b} {
			if arm.Trials < 1 || arm.Successes < 0 || arm.Successes > arm.Trials || arm.Trials > maxTrials {
				t.Fatalf("ParseArms(%q, %q) gave out-of-bounds arm %+v", x, y, arm)
			}
		}
		a2, b2, err := ParseArms([]string{formatArm("a", a), formatArm("b", b)})
		if err != nil || a2 != a || b2 != b {
			t.Fatalf("round trip of %+v %+v gave %+v %+v, %v", a, b, a2, b2, err)
		}
		an := Analyze(a, b)
		if an.PValue < 0 || an.PValue > 1 || an.MoreTrials < 0 {
			t.Fatalf("Analyze(%+v, %+v) = %+v", a, b, an)
		}
		_ = an.Verdict()
	})
}
