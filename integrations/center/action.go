package center

import (
	"context"
	"crypto/rand"
	"net/http"
	"strings"

	"github.com/interlock-coe/interlock/bot"
)

// Dispatcher runs a command as a person; *bot.Router implements it. An
// action from the page goes through it, so that it meets the same
// permissions, de-duplication and logging as the same command in chat.
type Dispatcher interface {
	Handle(ctx context.Context, req bot.Request, resp bot.Responder) error
}

// WithActions lets signed-in people act from the page (acknowledge an
// alert) through d; without it the page is read-only.
func (h *Handler) WithActions(d Dispatcher) *Handler {
	h.dispatch = d
	return h
}

// maxForm bounds an action's form.
const maxForm = 4 << 10

// ack acknowledges an alert as the signed-in person. It needs the
// session's CSRF token; a wall screen cannot act.
func (h *Handler) ack(w http.ResponseWriter, r *http.Request) {
	s, cookie, ok := h.session(w, r)
	if !ok {
		h.signedOut(w)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if s.Wall || h.dispatch == nil || !h.c.Keys.CheckCSRF(cookie, r.PostFormValue("csrf")) {
		h.message(w, http.StatusForbidden, "Not allowed", "This page cannot do that; reload it and try again.")
		return
	}
	id, err := bot.ParseID(r.PathValue("id"))
	if err != nil {
		h.message(w, http.StatusNotFound, "No such alert", "Alert ids are numbers.")
		return
	}
	var said []string
	resp := bot.ResponderFunc(func(_ context.Context, rep bot.Reply) error {
		said = append(said, bot.PlainText(rep.Message))
		return nil
	})
	req := bot.Request{ID: "center:" + rand.Text(), Platform: "center", User: s.Person,
		Channel: "#command-center", Text: "/alerts ack " + bot.FormatID(id), Time: h.c.Clock.Now()}
	if err := h.dispatch.Handle(r.Context(), req, resp); err != nil {
		h.message(w, http.StatusConflict, "Not acknowledged", strings.Join(said, " "))
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
