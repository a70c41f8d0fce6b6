package bench

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/commands/alerts/spike"
	"github.com/interlock-coe/interlock/config"
)

// TestMentionsPhasesAnyMinute judges the scenario's open windows at the end
// of its mentions as the detector does: the same states at minute 2 and
// minute 58, one series in mentionSpikeEvery spiking.
func TestMentionsPhasesAnyMinute(t *testing.T) {
	const series, history, n = 300, 48, 100_000
	params := spike.DefaultParams(config.DefaultK, config.DefaultMinMentions)
	for _, minute := range []int{2, 30, 58} {
		now := time.Date(2026, 12, 4, 14, minute, 0, 0, time.UTC)
		backfill, mentions := mentionsPhases(now, series, history, n)
		past := map[string][]spike.Window{}
		for _, body := range backfill.groups[0] {
			var ps []listenPoint
			mustUnmarshal(t, body, &ps)
			for _, p := range ps {
				start, _ := time.Parse(time.RFC3339, p.WindowStart)
				end, _ := time.Parse(time.RFC3339, p.WindowEnd)
				past[p.Brand+p.Topic] = append(past[p.Brand+p.Topic], spike.Window{Start: start, End: end, Mentions: p.Mentions})
			}
		}
		counts := map[string]int64{}
		for _, body := range mentions.groups[0] {
			var ms []mentionJSON
			mustUnmarshal(t, body, &ms)
			for _, m := range ms {
				counts[m.Brand+m.Topic]++
			}
		}
		end := now.Truncate(time.Hour).Add(max(now.Sub(now.Truncate(time.Hour)), mentionsOpenFloor))
		spikes := 0
		for k, c := range counts {
			v := spike.Detect(params, spike.NewBaseline(past[k]), spike.Window{Start: now.Truncate(time.Hour), End: end, Mentions: c})
			switch v.State {
			case spike.Spike:
				spikes++
			case spike.Normal:
			default:
				t.Errorf("minute %d: %s is %s: %s", minute, k, v.State, v.Why)
			}
		}
		if want := series / mentionSpikeEvery; spikes != want {
			t.Errorf("minute %d: %d series spike, want %d", minute, spikes, want)
		}
	}
}

func mustUnmarshal(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatal(err)
	}
}
