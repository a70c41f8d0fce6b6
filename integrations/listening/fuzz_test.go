package listening_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/integrations/listening"
)

// FuzzListeningBody feeds arbitrary bodies to the webhook: it must answer
// 202 or 400 (never panic, never 500), and whatever it accepts must be
// valid points.
func FuzzListeningBody(f *testing.F) {
	f.Add(body(now, 400))
	f.Add("[" + body(now, 400) + "," + body(now.Add(-time.Hour), 0) + "]")
	f.Add(`{"source":"x","brand":"acme","window_start":"2026-11-23T11:00:00Z","window_end":"2026-11-23T12:00:00Z","mentions":1,"negative":0,"neutral":0,"positive":0,"reach":0}`)
	f.Add(`{"mentions":1e400}`)
	f.Add(`[{"samples":[{"followers":-1}]}]`)
	f.Add(`null`)
	f.Add(`[null]`)
	f.Add(`{"topic":"\u0000"}`)
	f.Add(`{"source":"x","brand":"acme","window_start":"0001-01-01T00:00:00Z","window_end":"9999-12-31T00:00:00Z","mentions":-1,"negative":0,"neutral":0,"positive":0,"reach":1e300}`)
	rec := &recorder{}
	h := listening.NewHandler(rec, exampleConfig(f), auth, fixedClock{now}, quiet())
	f.Fuzz(func(t *testing.T, b string) {
		rec.got = nil
		w := post(t, h, b)
		if w.Code != http.StatusAccepted && w.Code != http.StatusBadRequest {
			t.Fatalf("status %d for %q: %s", w.Code, b, w.Body)
		}
		for _, p := range rec.got {
			if p.Source == "" || p.Brand == "" || !p.WindowEnd.After(p.WindowStart) || p.Mentions < 0 ||
				p.Negative+p.Neutral+p.Positive > p.Mentions || p.Reach < 0 || p.Reach > 1e12 || p.Mentions > 1e12 ||
				p.WindowEnd.Sub(p.WindowStart) > 31*24*time.Hour || p.WindowEnd.After(now.Add(5*time.Minute)) || p.WindowStart.Year() < 2000 {
				t.Fatalf("accepted an invalid point %+v from %q", p, b)
			}
		}
	})
}
