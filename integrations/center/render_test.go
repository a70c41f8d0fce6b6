package center

import (
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot/chart"
	feature "github.com/interlock-coe/interlock/commands/center"
)

// TestChartsFollowThePage checks that the wall screen gets dark charts and
// the laptop light ones, that one point still draws a chart with its value,
// and that no point reads "No data yet" instead of an empty figure.
func TestChartsFollowThePage(t *testing.T) {
	at := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	var hours []feature.Point
	for i := range feature.ChartHours {
		hours = append(hours, feature.Point{At: at.Add(time.Duration(i) * time.Hour), Value: float64(400 + i)})
	}
	alert := feature.AlertRow{ID: 1, Chart: feature.Series{Points: hours, BandLow: 380, BandHigh: 460}}
	one := feature.KPIRow{Name: "Crises opened", Chart: feature.Series{Points: hours[:1], Target: 5}}
	none := feature.KPIRow{Name: "Leads", Chart: feature.Series{Target: 5}}
	const dark = "rgb(22,27,34)"
	for _, wall := range []bool{false, true} {
		a := string(alertChart(alert, wall))
		if counts, err := chart.SVGLines([]byte(a)); err != nil || len(counts) == 0 || counts[0] != feature.ChartHours {
			t.Errorf("wall %v: alert chart lines %v (%v)", wall, counts, err)
		}
		if strings.Contains(a, dark) != wall {
			t.Errorf("wall %v: alert chart dark = %v", wall, !wall)
		}
		k := string(kpiChart(one, wall))
		if !strings.Contains(k, "<svg") || !strings.Contains(k, ">400<") || strings.Contains(k, dark) != wall {
			t.Errorf("wall %v: single-point KPI chart lacks its value or theme:\n%.300s", wall, k)
		}
		if got := kpiChart(none, wall); got != noData {
			t.Errorf("wall %v: KPI without points = %.200q, want %q", wall, got, noData)
		}
	}
}
