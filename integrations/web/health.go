// Package web holds Interlock's HTTP plumbing shared by every inbound
// endpoint: health and readiness, and the server's lifecycle.
package web

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// Check is one readiness dependency (database, coordination, platform).
type Check struct {
	Name string
	// Required checks make /readyz fail; optional ones are reported only
	// (Redis down leaves one replica's guarantees, which is still service).
	Required bool
	// Degraded says what an optional check's outage means, shown in
	// /readyz (default "degraded").
	Degraded string
	Ping     func(ctx context.Context) error
}

// Health serves /healthz (the process is alive) and /readyz (dependencies).
func Health(mux *http.ServeMux, checks []Check) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		status := http.StatusOK
		report := map[string]string{}
		for _, c := range checks {
			if err := c.Ping(ctx); err != nil {
				report[c.Name] = "down: " + err.Error()
				if c.Required {
					status = http.StatusServiceUnavailable
				} else {
					report[c.Name] += " (" + cmp.Or(c.Degraded, "degraded") + ")"
				}
				continue
			}
			report[c.Name] = "ok"
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(report)
	})
}
