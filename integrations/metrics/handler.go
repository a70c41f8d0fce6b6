// Package metrics is the POST /hooks/metrics webhook: KPI data points from
// BI exports and analytics tools, checked against the configured KPIs and
// stored through the kpi service.
package metrics

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/kpi"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/integrations/web"
	"github.com/interlock-coe/interlock/store"
)

// point is one data point in the webhook's JSON body. Numbers are JSON
// numbers; null or absent means not given.
type point struct {
	Metric      string   `json:"metric"`
	Brand       string   `json:"brand"`
	Channel     string   `json:"channel"`
	PeriodStart string   `json:"period_start"`
	PeriodEnd   string   `json:"period_end"`
	Value       *float64 `json:"value"`
	Numerator   *float64 `json:"numerator"`
	Denominator *float64 `json:"denominator"`
	SentAt      string   `json:"sent_at"`
}

// handler serves POST /hooks/metrics.
type handler struct {
	w    kpi.Writer
	cfg  *config.Config
	auth web.WebhookAuth
	log  *slog.Logger
}

// NewHandler returns the POST /hooks/metrics handler. The body is one data
// point or an array of them:
//
//	{"metric": "engagement-rate", "brand": "acme", "channel": "instagram",
//	 "period_start": "2026-11-22", "period_end": "2026-11-22",
//	 "numerator": 420, "denominator": 12000}
//
// Either every point is stored (200 {"stored": N}) or none is: a bad point
// answers 400 naming the item and the field. A point repeated with the same
// metric, brand, channel and period replaces the stored one only if it was
// sent at the same time or later, so retries are safe and a delayed or
// replayed delivery never undoes a correction. A point's send time is the
// Standard Webhooks webhook-timestamp, else its optional "sent_at" (RFC
// 3339), else the time it was received. Credentials and size are checked
// as for every webhook (401, 409, 413).
// w is normally a *kpi.Service, which also invalidates cached answers.
func NewHandler(w kpi.Writer, cfg *config.Config, auth web.WebhookAuth, log *slog.Logger) http.Handler {
	return &handler{w: w, cfg: cfg, auth: auth, log: log}
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
	ps, err := Decode(h.cfg, d.Received, d.Body)
	if err != nil {
		d.Fail(r.Context(), w, err)
		return
	}
	if !d.SentAt.IsZero() {
		// The signed timestamp is the one send time a replay cannot forge.
		for i := range ps {
			ps[i].SentAt = d.SentAt
		}
	}
	if err := h.w.PutKPIPoints(r.Context(), ps); err != nil {
		d.Fail(r.Context(), w, h.storeError(err, len(ps)))
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]int{"stored": len(ps)})
}

// Decode parses and checks a webhook body received at now: one point or an
// array of them. Errors are *web.HTTPError 400s naming the item and the
// field at fault.
func Decode(cfg *config.Config, now time.Time, body []byte) ([]store.KPIPoint, error) {
	items, err := web.DecodeItems[point](body)
	if err != nil {
		return nil, err
	}
	out := make([]store.KPIPoint, len(items))
	for i, it := range items {
		p, err := kpi.Check(cfg, now, kpi.Input{
			Metric: it.Metric, Brand: it.Brand, Channel: it.Channel,
			PeriodStart: it.PeriodStart, PeriodEnd: it.PeriodEnd,
			Value: it.Value, Numerator: it.Numerator, Denominator: it.Denominator,
			SentAt: it.SentAt,
		})
		var fe *kpi.FieldError
		if errors.As(err, &fe) {
			return nil, web.FieldError(i, fe.Field, fe.Problem)
		}
		if err != nil {
			return nil, &web.HTTPError{Status: http.StatusBadRequest, Message: err.Error()}
		}
		out[i] = p
	}
	return out, nil
}

// storeError maps a failed write to its answer: 503 when the database is
// unavailable (the sender should retry), 400 for points the store refuses,
// 500 otherwise.
func (h *handler) storeError(err error, n int) error {
	switch {
	case bot.IsCode(err, bot.EUnavailable):
		h.log.Warn("KPI points not stored: dependency unavailable", "points", n, "err", err)
		return &web.HTTPError{Status: http.StatusServiceUnavailable, Message: "temporarily unavailable; nothing was stored, please retry"}
	case bot.IsCode(err, bot.EInvalid):
		return &web.HTTPError{Status: http.StatusBadRequest, Message: bot.ErrorMessage(err)}
	}
	h.log.Error("KPI points not stored", "points", n, "err", err)
	return err
}
