package experiment

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/store"
)

func TestAnalyze(t *testing.T) {
	tests := []struct {
		name       string
		a, b       store.Arm
		lift       float64 // NaN when undefined
		pMin, pMax float64
		winner     string
		verdict    string
	}{
		{
			name: "issue example: B wins", a: store.Arm{Successes: 120, Trials: 4000}, b: store.Arm{Successes: 165, Trials: 4000},
			lift: 0.375, pMin: 0.0066, pMax: 0.0067, winner: "b", verdict: "B wins at 95% confidence (+37.5% relative lift)",
		},
		{
			name: "A wins", a: store.Arm{Successes: 165, Trials: 4000}, b: store.Arm{Successes: 120, Trials: 4000},
			lift: (120.0 - 165) / 165, pMin: 0.0066, pMax: 0.0067, winner: "a", verdict: "A wins at 95% confidence (B is -27.3% relative)",
		},
		{
			name: "too few trials", a: store.Arm{Successes: 12, Trials: 400}, b: store.Arm{Successes: 16, Trials: 400},
			lift: 1.0 / 3, pMin: 0.44, pMax: 0.46, verdict: "no clear winner — need about 5,000 more trials per arm",
		},
		{
			name: "identical", a: store.Arm{Successes: 50, Trials: 1000}, b: store.Arm{Successes: 50, Trials: 1000},
			lift: 0, pMin: 1, pMax: 1, verdict: "no clear winner — the variants performed identically",
		},
		{
			name: "no successes at all", a: store.Arm{Successes: 0, Trials: 10}, b: store.Arm{Successes: 0, Trials: 10},
			lift: math.NaN(), pMin: 1, pMax: 1, verdict: "no clear winner — the variants performed identically",
		},
		{
			name: "all successes", a: store.Arm{Successes: 10, Trials: 10}, b: store.Arm{Successes: 20, Trials: 20},
			lift: 0, pMin: 1, pMax: 1, verdict: "identically",
		},
		// Small counts: the z-test would call these (p ≈ 0.014 and 0.019);
		// Fisher's exact test does not (p = 2/20 and 10582/184756).
		{
			name: "three trials each", a: store.Arm{Successes: 0, Trials: 3}, b: store.Arm{Successes: 3, Trials: 3},
			lift: math.NaN(), pMin: 0.1 - 1e-9, pMax: 0.1 + 1e-9, verdict: "no clear winner",
		},
		{
			name: "ten trials each", a: store.Arm{Successes: 1, Trials: 10}, b: store.Arm{Successes: 6, Trials: 10},
			lift: 5, pMin: 10582.0/184756 - 1e-9, pMax: 10582.0/184756 + 1e-9, verdict: "no clear winner",
		},
		{
			name: "small but clear", a: store.Arm{Successes: 0, Trials: 5}, b: store.Arm{Successes: 5, Trials: 5},
			lift: math.NaN(), pMin: 2.0/252 - 1e-9, pMax: 2.0/252 + 1e-9, winner: "b",
			verdict: "B wins at 95% confidence (A had no successes, so there is no relative lift)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			an := Analyze(tt.a, tt.b)
			if math.IsNaN(tt.lift) != math.IsNaN(an.Lift) || (!math.IsNaN(tt.lift) && math.Abs(an.Lift-tt.lift) > 1e-9) {
				t.Errorf("lift = %v, want %v", an.Lift, tt.lift)
			}
			if an.PValue < tt.pMin || an.PValue > tt.pMax {
				t.Errorf("p = %v, want in [%v, %v]", an.PValue, tt.pMin, tt.pMax)
			}
			if an.Winner != tt.winner {
				t.Errorf("winner = %q, want %q", an.Winner, tt.winner)
			}
			if !strings.Contains(an.Verdict(), tt.verdict) {
				t.Errorf("verdict = %q, want it to contain %q", an.Verdict(), tt.verdict)
			}
		})
	}
}

// TestExactTestOnlyForSmallCounts checks which test decides: the z-test
// when every arm expects at least 5 successes and 5 failures, Fisher's
// exact test otherwise, even with very many trials.
func TestExactTestOnlyForSmallCounts(t *testing.T) {
	for _, tt := range []struct {
		a, b  store.Arm
		exact bool
	}{
		{store.Arm{Successes: 120, Trials: 4000}, store.Arm{Successes: 165, Trials: 4000}, false},
		{store.Arm{Successes: 1, Trials: 10}, store.Arm{Successes: 6, Trials: 10}, true},
		{store.Arm{Successes: 1, Trials: maxTrials}, store.Arm{Successes: 8, Trials: maxTrials}, true},
		{store.Arm{Successes: 3, Trials: 3}, store.Arm{Successes: 999_000_000, Trials: maxTrials}, true},
	} {
		an := Analyze(tt.a, tt.b)
		if an.Exact != tt.exact || an.PValue < 0 || an.PValue > 1 {
			t.Errorf("Analyze(%+v, %+v) = exact %v, p %v; want exact %v", tt.a, tt.b, an.Exact, an.PValue, tt.exact)
		}
		if method := an.Method(); strings.Contains(method, "Fisher") != tt.exact {
			t.Errorf("Method() = %q for exact %v", method, tt.exact)
		}
	}
	// 1 vs 8 successes in equal arms is a fair coin tossed 9 times:
	// p = 2·(C(9,0) + C(9,1))/2⁹ (the z-test would say 0.0196).
	if an := Analyze(store.Arm{Successes: 1, Trials: maxTrials}, store.Arm{Successes: 8, Trials: maxTrials}); math.Abs(an.PValue-20.0/512) > 1e-6 || an.Winner != "b" {
		t.Errorf("1 vs 8 in huge arms: p = %v, winner %q; want p = %v and B", an.PValue, an.Winner, 20.0/512)
	}
}

// TestMoreTrialsReachesPower checks the power calculation: with the
// suggested trials added, the same rates would be significant.
func TestMoreTrialsReachesPower(t *testing.T) {
	a, b := store.Arm{Successes: 30, Trials: 1000}, store.Arm{Successes: 40, Trials: 1000}
	an := Analyze(a, b)
	if an.Winner != "" || an.MoreTrials <= 0 {
		t.Fatalf("analysis = %+v, want no winner and more trials", an)
	}
	n := a.Trials + an.MoreTrials
	bigger := Analyze(store.Arm{Successes: n * 3 / 100, Trials: n}, store.Arm{Successes: n * 4 / 100, Trials: n})
	if bigger.PValue >= alpha {
		t.Errorf("with %d trials per arm p = %v; the power calculation undershoots", n, bigger.PValue)
	}
}

func TestRoundUp2(t *testing.T) {
	for in, want := range map[float64]int64{1: 1, 9: 9, 10: 10, 11: 11, 99: 99, 101: 110, 4711: 4800, 12345: 13000} {
		if got := roundUp2(in); got != want {
			t.Errorf("roundUp2(%v) = %d, want %d", in, got, want)
		}
	}
}

func TestGroupThousands(t *testing.T) {
	for in, want := range map[int64]string{7: "7", 999: "999", 1000: "1,000", 4800: "4,800", 1234567: "1,234,567"} {
		if got := groupThousands(in); got != want {
			t.Errorf("groupThousands(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestNextPick(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		after time.Time
		want  time.Time
	}{
		{time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)},
		{time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC)},
		{time.Date(2026, 12, 1, 8, 59, 0, 0, time.UTC), time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)},
		// Summer time: 10:00 in Berlin is 08:00 UTC.
		{time.Date(2026, 9, 15, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)},
		{time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		if got := NextPick(tt.after, 1, 10, 0, berlin); !got.Equal(tt.want) {
			t.Errorf("NextPick(%s) = %s, want %s", tt.after, got.UTC(), tt.want)
		}
	}
}
