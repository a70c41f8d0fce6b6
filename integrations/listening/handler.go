// Package listening is the POST /hooks/listening webhook: data points from
// social-listening tools, checked and handed to the listening alerts
// feature (commands/alerts), which stores them before the answer and
// judges them for spikes.
package listening

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/alerts"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/integrations/web"
	"github.com/interlock-coe/interlock/store"
)

// Ingester stores and judges points; *alerts.Listener implements it.
type Ingester interface {
	Ingest(ctx context.Context, points []store.ListeningPoint) (alerts.Receipt, error)
}

// handler serves POST /hooks/listening.
type handler struct {
	in    Ingester
	cfg   *config.Config
	auth  web.WebhookAuth
	clock bot.Clock
	log   *slog.Logger
}

// NewHandler returns the POST /hooks/listening handler. The body is one
// data point or an array of them:
//
//	{"source": "brandwatch", "brand": "acme", "topic": "recall",
//	 "window_start": "2026-11-23T09:00:00Z", "window_end": "2026-11-23T10:00:00Z",
//	 "mentions": 4000, "negative": 2480, "neutral": 1200, "positive": 320,
//	 "reach": 1200000, "press": true,
//	 "samples": [{"url": "https://…", "text": "…", "author": "kim", "followers": 12000}]}
//
// Every point is stored before the answer, 202 {"stored": N, "duplicates":
// M}, or none is: a bad point answers 400 naming the item and the field. A
// point repeated with the same source, brand, topic and window changes
// nothing, so retries are safe. Credentials and size are checked as for
// every webhook (401, 413); a database that is down answers 503.
func NewHandler(in Ingester, cfg *config.Config, auth web.WebhookAuth, clock bot.Clock, log *slog.Logger) http.Handler {
	return &handler{in: in, cfg: cfg, auth: auth, clock: clock, log: log}
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	decode := func(body []byte) ([]store.ListeningPoint, error) { return Decode(h.cfg, h.clock.Now(), body) }
	serveBatch(w, r, h.auth, h.log, decode, h.in.Ingest)
}

// serveBatch answers a data webhook: POST only, authenticated, decoded
// (a bad item is a 400 naming it), stored before the answer, then 202 with
// the receipt. The listening and mentions webhooks differ only in decode
// and ingest.
func serveBatch[T, R any](w http.ResponseWriter, r *http.Request, auth web.WebhookAuth, log *slog.Logger,
	decode func(body []byte) ([]T, error), ingest func(context.Context, []T) (R, error)) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		web.WriteError(w, &web.HTTPError{Status: http.StatusMethodNotAllowed, Message: "use POST"})
		return
	}
	d, err := web.ReadDelivery(w, r, auth)
	if err != nil {
		web.WriteError(w, err)
		return
	}
	items, err := decode(d.Body)
	if err != nil {
		d.Fail(r.Context(), w, err)
		return
	}
	receipt, err := ingest(r.Context(), items)
	if err != nil {
		d.Fail(r.Context(), w, storeError(log, err, len(items)))
		return
	}
	web.WriteJSON(w, http.StatusAccepted, receipt)
}

// storeError maps a failure to store a webhook's items to its answer: 503
// when the database is unavailable (the sender should retry), else 500.
// Either way nothing was stored.
func storeError(log *slog.Logger, err error, n int) error {
	if bot.IsCode(err, bot.EUnavailable) {
		log.Warn("listening data not stored: database unavailable", "items", n, "err", err)
		return &web.HTTPError{Status: http.StatusServiceUnavailable, Message: "temporarily unavailable; nothing was stored, please retry"}
	}
	log.Error("listening data not stored", "items", n, "err", err)
	return err
}

// maxSkew is how far in the future a window may end: the sender's clock
// may run a little ahead of ours.
const maxSkew = 5 * time.Minute
