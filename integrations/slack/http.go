package slack

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
)

// maxBody is the largest request body accepted from Slack.
const maxBody = 1 << 20

// Routes registers the endpoints of Slack's HTTP mode on mux:
// POST /slack/commands, /slack/interactions and /slack/events. Every
// request must carry a valid v0 signature (401 otherwise); commands are
// acknowledged with an empty 200 at once and run in the background.
func (a *Adapter) Routes(mux *http.ServeMux) {
	mux.Handle("POST /slack/commands", a.signed(a.serveCommand))
	mux.Handle("POST /slack/interactions", a.signed(a.serveInteraction))
	mux.Handle("POST /slack/events", a.signed(a.serveEvent))
}

// signed reads the body (at most 1 MiB) and checks Slack's signature
// before handing the raw body on.
func (a *Adapter) signed(next func(w http.ResponseWriter, r *http.Request, body []byte)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		case err != nil:
			http.Error(w, "cannot read request body", http.StatusBadRequest)
			return
		}
		if err := a.verify.check(r.Header, body); err != nil {
			a.log.Warn("refused an unsigned Slack request", "path", r.URL.Path, "err", err)
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		next(w, r, body)
	})
}

func (a *Adapter) serveCommand(w http.ResponseWriter, _ *http.Request, body []byte) {
	cmd, err := parseCommandForm(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if cmd.SSLCheck == "1" {
		return // Slack checking the certificate: 200 is the answer
	}
	in, err := cmd.inbound()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	a.accept(w, in)
}

func (a *Adapter) serveInteraction(w http.ResponseWriter, _ *http.Request, body []byte) {
	i, err := parseInteractionForm(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	a.openForms(i.forms())
	a.accept(w, i.inbounds()...)
}

func (a *Adapter) serveEvent(w http.ResponseWriter, r *http.Request, body []byte) {
	env, err := parseEvent(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if env.Type == "url_verification" {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"challenge": env.Challenge})
		return
	}
	if n := r.Header.Get("X-Slack-Retry-Num"); n != "" {
		// A redelivery carries the same event_id, so the dispatcher's
		// de-duplication runs it at most once across replicas.
		a.log.Info("Slack redelivered an event", "event", env.EventID, "retry", n, "reason", r.Header.Get("X-Slack-Retry-Reason"))
	}
	in, ok := env.inbound()
	if !ok {
		return
	}
	a.accept(w, in)
}

// accept acknowledges inbound commands with an empty 200 and runs them in
// the background. While shutting down (or without a dispatcher) it answers
// 503, so that Slack retries events elsewhere and tells a person to retry.
func (a *Adapter) accept(w http.ResponseWriter, ins ...inbound) {
	if len(ins) > 0 && a.dispatcher == nil {
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return
	}
	for _, in := range ins {
		if !a.dispatch(in) {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}
