package spike

import (
	"fmt"
	"strconv"
)

// Level is one severity of the playbook with the thresholds that classify
// a spike at it; zero values are unused.
type Level struct {
	Name           string  // sev1..sev4
	VolumeMultiple float64 // mentions ≥ this × baseline
	NegativeShare  float64 // negative ÷ mentions ≥ this (0.6 = 60%)
	MinReach       int64   // …with at least this reach, when set
	Press          bool    // press or regulator pickup
}

// Signal is what a spiking window shows.
type Signal struct {
	Multiple float64 // mentions ÷ expected
	Mentions int64
	Negative int64
	Reach    int64
	Press    bool
}

// NegativeShare is negative ÷ mentions, 0 without mentions.
func (s Signal) NegativeShare() float64 {
	if s.Mentions <= 0 {
		return 0
	}
	return float64(s.Negative) / float64(s.Mentions)
}

// Classification is a suggested severity and why.
type Classification struct {
	Severity string
	Reasons  []string
}

// Classify returns the most severe level (levels come worst first) any of
// whose thresholds the signal meets, with every threshold of that level it
// meets as a reason. When it meets none, the least severe level applies.
func Classify(levels []Level, s Signal) Classification {
	for _, l := range levels {
		if reasons := l.met(s); len(reasons) > 0 {
			return Classification{Severity: l.Name, Reasons: reasons}
		}
	}
	if len(levels) == 0 {
		return Classification{}
	}
	return Classification{
		Severity: levels[len(levels)-1].Name,
		Reasons:  []string{fmt.Sprintf("mentions %.1f× baseline (below every playbook threshold)", s.Multiple)},
	}
}

// met lists the thresholds of l that s meets, as reasons people read.
func (l Level) met(s Signal) []string {
	var out []string
	if l.VolumeMultiple > 0 && s.Multiple+epsilon >= l.VolumeMultiple {
		out = append(out, fmt.Sprintf("mentions %.1f× baseline (≥ %s×)", s.Multiple, number(l.VolumeMultiple)))
	}
	if share := s.NegativeShare(); l.NegativeShare > 0 && share+epsilon >= l.NegativeShare && s.Reach >= l.MinReach {
		if l.MinReach > 0 {
			out = append(out, fmt.Sprintf("negative share %s with reach %s (≥ %s with reach ≥ %s)",
				percent(share), FormatCount(float64(s.Reach)), percent(l.NegativeShare), FormatCount(float64(l.MinReach))))
		} else {
			out = append(out, fmt.Sprintf("negative share %s (≥ %s)", percent(share), percent(l.NegativeShare)))
		}
	}
	if l.Press && s.Press {
		out = append(out, "press pickup")
	}
	return out
}

// percent shows a share as a whole percentage: 0.62 → "62%".
func percent(share float64) string { return fmt.Sprintf("%.0f%%", share*100) }

// number shows a threshold without needless decimals: 10 → "10", 2.5 → "2.5".
func number(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
