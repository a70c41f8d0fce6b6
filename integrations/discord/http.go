package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
)

// HTTP interactions.
const (
	InteractionsPath = "/discord/interactions"
	maxBody          = 1 << 20
	maxClockSkew     = 5 * time.Minute
)

// Routes adds POST /discord/interactions, Discord's interactions endpoint
// URL, to mux.
func (a *Adapter) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST "+InteractionsPath, a.serveHTTP)
}

// serveHTTP verifies and runs one interaction. The HTTP answer is the
// interaction response: the first reply, or a deferral if the command is
// slow; the rest follows over REST.
func (a *Adapter) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, status := a.verifiedBody(w, r)
	if status != 0 {
		http.Error(w, http.StatusText(status), status)
		return
	}
	var i discordgo.Interaction
	if err := json.Unmarshal(body, &i); err != nil {
		http.Error(w, "malformed interaction: "+err.Error(), http.StatusBadRequest)
		return
	}
	if i.Type == discordgo.InteractionPing {
		writeJSON(w, discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
		return
	}
	if !a.begin() {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	first := make(chan *discordgo.InteractionResponse, 1)
	written := make(chan error, 1)
	go func() {
		defer a.work.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), interactionLifetime)
		defer cancel()
		a.serve(ctx, &i, false, func(ctx context.Context, resp *discordgo.InteractionResponse, _ []bot.File) error {
			first <- resp
			select {
			case err := <-written:
				return err
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	select {
	case resp := <-first:
		written <- writeJSON(w, resp)
	case <-r.Context().Done():
		written <- r.Context().Err()
	}
}

// verifiedBody reads the body of a request signed by Discord, or returns
// the status refusing it: 401 for a missing, stale or wrong signature, 413
// for a body over 1 MiB.
func (a *Adapter) verifiedBody(w http.ResponseWriter, r *http.Request) ([]byte, int) {
	if a.publicKey == nil {
		a.log.Warn("discord HTTP interaction refused: no public key configured")
		return nil, http.StatusUnauthorized
	}
	if !a.fresh(r.Header.Get("X-Signature-Timestamp")) {
		a.log.Info("discord HTTP interaction refused: stale or missing timestamp")
		return nil, http.StatusUnauthorized
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, http.StatusRequestEntityTooLarge
	case err != nil:
		return nil, http.StatusBadRequest
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if !discordgo.VerifyInteraction(r, a.publicKey) {
		a.log.Info("discord HTTP interaction refused: bad signature")
		return nil, http.StatusUnauthorized
	}
	return body, 0
}

// fresh reports whether a signature timestamp (Unix seconds) is within five
// minutes of now, so that a captured request cannot be replayed later.
func (a *Adapter) fresh(timestamp string) bool {
	secs, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return false
	}
	skew := a.clock.Now().Sub(time.Unix(secs, 0))
	return skew <= maxClockSkew && skew >= -maxClockSkew
}

func writeJSON(w http.ResponseWriter, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "cannot encode response", http.StatusInternalServerError)
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	// With its length known the answer is complete once flushed; chunked,
	// it would end only when the handler returns, racing the follow-ups.
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	if _, err := w.Write(body); err != nil {
		return err
	}
	// Send the answer now: follow-ups may only come after Discord has it.
	if err := http.NewResponseController(w).Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	return nil
}
