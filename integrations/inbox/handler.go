// Package inbox connects the social inbox to routed issues: the POST
// /hooks/inbox webhook that receives customer messages, and the HTTP sender
// that delivers answers back to the inbox's outbound URL.
package inbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/route"
	"github.com/interlock-coe/interlock/integrations/web"
)

// Ingester routes a customer message; *route.Service implements it.
type Ingester interface {
	Ingest(ctx context.Context, m route.Message) (id int64, created bool, err error)
}

// message is the webhook's JSON body.
type message struct {
	Source     string `json:"source"`
	ExternalID string `json:"external_id"`
	Brand      string `json:"brand"`
	Platform   string `json:"platform"`
	Author     string `json:"author"`
	Text       string `json:"text"`
	URL        string `json:"url"`
	ReceivedAt string `json:"received_at"` // RFC 3339; empty = now
}

// handler serves POST /hooks/inbox.
type handler struct {
	in   Ingester
	auth web.WebhookAuth
	log  *slog.Logger
}

// NewHandler returns the POST /hooks/inbox handler. A new message is stored
// and routed before the answer, 202 {"id": N}; a message seen before (same
// source and external_id) answers 200 {"id": N, "duplicate": true} and
// changes nothing. Credentials, size and JSON errors answer 401, 413 and
// 400 as every webhook does.
func NewHandler(in Ingester, auth web.WebhookAuth, log *slog.Logger) http.Handler {
	return &handler{in: in, auth: auth, log: log}
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		web.WriteError(w, &web.HTTPError{Status: http.StatusMethodNotAllowed, Message: "use POST"})
		return
	}
	d, err := web.ReadDelivery(w, r, h.auth)
	if err != nil {
		web.WriteError(w, err)
		return
	}
	m, err := decode(d.Body)
	if err != nil {
		d.Fail(r.Context(), w, err)
		return
	}
	id, created, err := h.in.Ingest(r.Context(), m)
	if err != nil {
		d.Fail(r.Context(), w, h.httpError(err, m))
		return
	}
	if !created {
		web.WriteJSON(w, http.StatusOK, map[string]any{"id": id, "duplicate": true})
		return
	}
	web.WriteJSON(w, http.StatusAccepted, map[string]any{"id": id})
}

// decode parses and checks the body: one message object.
func decode(body []byte) (route.Message, error) {
	items, err := web.DecodeItems[message](body)
	if err != nil {
		return route.Message{}, err
	}
	if len(items) != 1 {
		return route.Message{}, &web.HTTPError{Status: http.StatusBadRequest, Message: "send exactly one message object per request"}
	}
	in := items[0]
	for _, f := range []struct{ name, value string }{
		{"source", in.Source}, {"external_id", in.ExternalID}, {"text", in.Text},
	} {
		if strings.TrimSpace(f.value) == "" {
			return route.Message{}, fieldError(f.name, "is required")
		}
	}
	var received time.Time
	if in.ReceivedAt != "" {
		if received, err = time.Parse(time.RFC3339, in.ReceivedAt); err != nil {
			return route.Message{}, fieldError("received_at", "must be an RFC 3339 time like 2026-11-23T09:00:00Z")
		}
	}
	return route.Message{
		Source: in.Source, ExternalID: in.ExternalID, Brand: in.Brand, Platform: in.Platform,
		Author: in.Author, Text: in.Text, URL: in.URL, ReceivedAt: received,
	}, nil
}

func fieldError(field, problem string) error {
	return &web.HTTPError{Status: http.StatusBadRequest, Message: fmt.Sprintf("field %q %s", field, problem)}
}

// httpError maps a routing failure to its answer: bad fields are 400, an
// unavailable store is 503 (the sender should retry), anything else 500.
func (h *handler) httpError(err error, m route.Message) error {
	var fe *route.FieldError
	switch {
	case errors.As(err, &fe):
		return fieldError(fe.Field, fe.Problem)
	case bot.IsCode(err, bot.EUnavailable):
		h.log.Warn("inbox message not stored: dependency unavailable", "source", m.Source, "external_id", m.ExternalID, "err", err)
		return &web.HTTPError{Status: http.StatusServiceUnavailable, Message: "temporarily unavailable; nothing was stored, please retry"}
	}
	h.log.Error("inbox message failed", "source", m.Source, "external_id", m.ExternalID, "err", err)
	return err
}
