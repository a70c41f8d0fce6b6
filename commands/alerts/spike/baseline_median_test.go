package spike

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestMedianMatchesASort checks the selection against a sorted copy, on
// sizes odd and even, with ties and NaN-free random values.
func TestMedianMatchesASort(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	for n := 1; n <= 200; n++ {
		for range 20 {
			xs := make([]float64, n)
			for i := range xs {
				xs[i] = float64(rng.IntN(n/2 + 2)) // ties on purpose
				if rng.IntN(3) == 0 {
					xs[i] += rng.Float64()
				}
			}
			sorted := slices.Sorted(slices.Values(xs))
			want := sorted[n/2]
			if n%2 == 0 {
				want = (sorted[n/2-1] + sorted[n/2]) / 2
			}
			if got := median(slices.Clone(xs)); got != want {
				t.Fatalf("median of %v = %v, want %v", xs, got, want)
			}
		}
	}
}
