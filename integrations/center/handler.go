// Package center serves the command center: the live web page of open
// crises, alerts, routed issues, KPIs, tests, syncs and decisions, for a
// laptop (a person signed in through /interlock center) or a wall screen
// (INTERLOCK_WALL_TOKEN). It reads everything through the feature's read
// model (commands/center) and learns of changes through bot.Events.
package center

import (
	"crypto/subtle"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	feature "github.com/interlock-coe/interlock/commands/center"
)

// CookieName is the session cookie's name.
const CookieName = "interlock_center"

// Handler serves the command center's routes.
type Handler struct {
	c      *feature.Center
	events bot.Events
	log    *slog.Logger
	secure bool
	off    string // why the page is off; "" when it is on

	dispatch Dispatcher // nil: the page is read-only
}

// New returns the command center over c, with live updates from events.
// When a variable is missing the routes answer 503 saying which, and the
// reason is logged once here.
func New(c *feature.Center, events bot.Events, log *slog.Logger) *Handler {
	h := &Handler{c: c, events: events, log: log,
		secure: strings.HasPrefix(strings.ToLower(c.Settings.PublicURL), "https://")}
	if missing := c.Settings.Missing(); len(missing) > 0 {
		h.off = "The command center is off: set " + strings.Join(missing, ", ") + " (see the README, Command center)."
		log.Warn("command center off: it is never served open", "unset", strings.Join(missing, ", "))
	}
	return h
}

// Routes adds the command center to mux.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.Handle("GET /{$}", h.on(h.overview))
	mux.Handle("GET /crises/{id}", h.on(h.crisis))
	mux.Handle("GET /events", h.on(h.stream))
	mux.Handle("GET /signin/{token}", h.on(h.signin))
	mux.Handle("POST /alerts/{id}/ack", h.on(h.ack))
	mux.Handle("GET /center/assets/", http.StripPrefix("/center/", http.FileServerFS(assets)))
}

// on answers 503 while the page is off, so that it is never served open.
func (h *Handler) on(f http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.off != "" {
			h.message(w, http.StatusServiceUnavailable, "Command center off", h.off)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'")
		f(w, r)
	})
}

// signin redeems a one-time link and sets the session cookie.
func (h *Handler) signin(w http.ResponseWriter, r *http.Request) {
	person, err := h.c.Keys.Redeem(r.Context(), r.PathValue("token"))
	switch {
	case errors.Is(err, feature.ErrReused), errors.Is(err, feature.ErrExpired), errors.Is(err, feature.ErrBadToken):
		h.message(w, http.StatusForbidden, "Sign-in refused", err.Error()+". Ask for a new one with /interlock center in chat.")
		return
	case err != nil:
		h.log.Error("command center sign-in", "err", err)
		h.message(w, http.StatusServiceUnavailable, "Sign-in failed", "Please try again in a moment.")
		return
	}
	s := feature.Session{Person: person, Expires: h.c.Clock.Now().Add(feature.SessionTTL)}
	h.setCookie(w, s)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (h *Handler) setCookie(w http.ResponseWriter, s feature.Session) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: h.c.Keys.NewSession(s), Path: "/",
		// Max-Age, not Expires: a browser whose clock differs from the
		// server's still keeps the cookie for the session's length (the
		// value itself carries the expiry the server checks).
		MaxAge:   int(s.Expires.Sub(h.c.Clock.Now()).Seconds()),
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode,
	})
}

// session returns who is looking: a session cookie, or a wall screen
// presenting the wall token (which then gets a wall cookie, so the token
// is not needed again). ok is false when nobody signed in.
func (h *Handler) session(w http.ResponseWriter, r *http.Request) (feature.Session, string, bool) {
	if tok := r.URL.Query().Get("token"); tok != "" && h.wallToken(tok) {
		s := feature.Session{Wall: true, Expires: h.c.Clock.Now().Add(feature.WallSessionTTL)}
		h.setCookie(w, s)
		return s, h.c.Keys.NewSession(s), true
	}
	ck, err := r.Cookie(CookieName)
	if err != nil {
		return feature.Session{}, "", false
	}
	s, err := h.c.Keys.ParseSession(ck.Value)
	if err != nil {
		return feature.Session{}, "", false
	}
	return s, ck.Value, true
}

func (h *Handler) wallToken(tok string) bool {
	want := h.c.Settings.WallToken
	return want != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(want)) == 1
}

func (h *Handler) signedOut(w http.ResponseWriter) {
	h.message(w, http.StatusUnauthorized, "Sign in",
		"Type /interlock center in chat for a one-time sign-in link; a wall screen opens /?wall=1&token=… with the wall token.")
}

func (h *Handler) overview(w http.ResponseWriter, r *http.Request) {
	s, cookie, ok := h.session(w, r)
	if !ok {
		h.signedOut(w)
		return
	}
	q := r.URL.Query()
	v := feature.Viewer{Person: s.Person, Wall: s.Wall}
	o, err := h.c.Board.Overview(r.Context(), v, h.brand(q.Get("brand")), h.search(q.Get("q")))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page := overviewPage{Overview: o, Viewer: v, Wall: s.Wall || q.Get("wall") == "1",
		CSRF: h.c.Keys.CSRF(cookie), CanAct: !s.Wall && h.dispatch != nil, Partial: q.Get("partial") == "1"}
	h.render(w, http.StatusOK, "overview", page)
}

func (h *Handler) brand(b string) string {
	if _, ok := h.c.Config.Brand(strings.ToLower(b)); ok {
		return strings.ToLower(b)
	}
	return ""
}

func (h *Handler) search(s string) string {
	if r := []rune(strings.TrimSpace(s)); len(r) > 200 {
		return string(r[:200])
	}
	return strings.TrimSpace(s)
}

func (h *Handler) crisis(w http.ResponseWriter, r *http.Request) {
	s, _, ok := h.session(w, r)
	if !ok {
		h.signedOut(w)
		return
	}
	id, err := bot.ParseID(r.PathValue("id"))
	if err != nil {
		h.message(w, http.StatusNotFound, "No such crisis", "Crisis ids are numbers, like /crises/4.")
		return
	}
	d, err := h.c.Board.Crisis(r.Context(), feature.Viewer{Person: s.Person, Wall: s.Wall}, id)
	switch {
	case bot.IsCode(err, bot.EForbidden):
		h.message(w, http.StatusForbidden, "Not for you", bot.ErrorMessage(err))
		return
	case bot.IsCode(err, bot.ENotFound):
		h.message(w, http.StatusNotFound, "No such crisis", "There is no crisis "+bot.FormatID(id)+".")
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	h.render(w, http.StatusOK, "crisis", crisisPage{CrisisDetail: d, Person: s.Person, Partial: r.URL.Query().Get("partial") == "1"})
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	h.log.Error("command center page", "path", r.URL.Path, "err", err)
	h.message(w, http.StatusInternalServerError, "Something went wrong", "The page could not be read; it was logged.")
}
