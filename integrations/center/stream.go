package center

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/integrations/web"
)

// keepAlive is how often an idle stream sends a comment, so that proxies
// keep it open and a dead client is noticed.
const keepAlive = 25 * time.Second

// stream sends a server-sent event named "change" with the topic each time
// a change notice arrives; the page then re-reads what it shows.
func (h *Handler) stream(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := h.session(w, r); !ok {
		h.signedOut(w)
		return
	}
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	notices, err := h.events.Subscribe(r.Context())
	if err != nil {
		h.log.Warn("command center stream: subscribe", "err", err)
		http.Error(w, "live updates are unavailable right now", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 2000\n: connected\n\n")
	flusher.Flush()
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	stopping := web.Stopping(r.Context())
	for {
		select {
		case <-r.Context().Done():
			return
		case <-stopping:
			return
		case topic, ok := <-notices:
			if !ok {
				return
			}
			// Topics are command groups: one word, no newline.
			if _, err := fmt.Fprintf(w, "event: change\ndata: %s\n\n", topic); err != nil {
				return
			}
			flusher.Flush()
		case <-tick.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return
			}
			flusher.Flush()
		}
	}
}

// Notify wraps a webhook so that each request it accepted (2xx) tells the
// open pages that what it feeds changed: an alert from /hooks/listening,
// an issue from /hooks/inbox, KPI points from /hooks/metrics.
func Notify(events bot.Events, path string, next http.Handler, log *slog.Logger) http.Handler {
	topic := strings.TrimPrefix(path, "/hooks/")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		if sw.status < 300 {
			if err := events.Publish(context.WithoutCancel(r.Context()), topic); err != nil {
				log.Warn("change notice not published", "topic", topic, "err", err)
			}
		}
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}
