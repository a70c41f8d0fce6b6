package alerts

import (
	"context"
	"fmt"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/alerts/spike"
	"github.com/interlock-coe/interlock/store"
)

// systemUser opens crisis rooms when the configuration names no CoE lead.
const systemUser = "interlock"

// openCrisis opens the alert's crisis room by running the typed command
// through the router, as the CoE lead: the same path, permissions and
// record as a person clicking "Open crisis room". The request id derives
// from the alert and the attempt, so the router drops a repeated delivery
// of one attempt, and /crisis open answers "already open" rather than
// opening a second room for the same brand and title. Errors the sender
// would have to fix are logged, not retried.
func (l *Listener) openCrisis(ctx context.Context, a store.ListeningAlert, d store.AlertDelivery) error {
	channel := l.Config.Channels.Listening
	req := bot.Request{
		ID:       fmt.Sprintf("alerts:%d:crisis:%d", a.ID, d.Attempts),
		Platform: "listening",
		User:     l.opener(),
		Channel:  channel,
		Text:     l.crisisCommand(a),
		Time:     l.Clock.Now(),
	}
	err := l.router.Handle(ctx, req, channelResponder{l: l, channel: channel})
	if err == nil {
		return nil
	}
	switch bot.ErrorCode(err) {
	case bot.EInvalid, bot.ENotFound, bot.EForbidden, bot.EConflict:
		l.Log.Error("automatic crisis room refused; open it by hand", "alert", a.ID, "command", req.Text, "err", err)
		return nil
	}
	return fmt.Errorf("open crisis room for alert %d: %w", a.ID, err)
}

func (l *Listener) opener() string {
	if l.Config.Org.CoELead != "" {
		return strings.ToLower(l.Config.Org.CoELead)
	}
	return systemUser
}

// crisisCommand is the typed command that opens the alert's crisis room at
// its peak severity; the "Open crisis room" button carries the same one.
func (l *Listener) crisisCommand(a store.ListeningAlert) string {
	return fmt.Sprintf("/crisis open %s %s --brand %s", a.PeakSeverity, l.crisisTitle(a), a.Brand)
}

// crisisTitle names the crisis after the brand and topic; it does not
// change while the alert is active, so every way of opening the room
// arrives at the same crisis.
func (l *Listener) crisisTitle(a store.ListeningAlert) string {
	name := a.Brand
	if b, ok := l.Config.Brand(a.Brand); ok && b.Name != "" {
		name = b.Name
	}
	words := strings.Fields(name + " " + a.Topic)
	for i, w := range words {
		// A topic word must not read as an option of /crisis open.
		words[i] = strings.TrimLeft(w, "-")
	}
	return strings.Join(strings.Fields(strings.Join(words, " ")+" mentions spike"), " ")
}

// channelResponder posts the answers of an automatic command to the
// listening channel; private answers (errors) are logged instead.
type channelResponder struct {
	l       *Listener
	channel string
}

func (r channelResponder) Respond(ctx context.Context, reply bot.Reply) error {
	if reply.Private {
		r.l.Log.Warn("answer to an automatic command", "text", bot.PlainText(reply.Message))
		return nil
	}
	if _, err := r.l.Chat.Post(ctx, r.channel, reply.Message); err != nil {
		return fmt.Errorf("post to %s: %w", r.channel, err)
	}
	return nil
}

// severityName shows a level with its playbook name: "sev1 (Critical)".
func (l *Listener) severityName(level string) string {
	if sev, ok := l.Config.Severity(level); ok && sev.Name != "" && sev.Name != level {
		return level + " (" + sev.Name + ")"
	}
	return level
}

// count shows a count for people: 950, 12.5k, 1.2M.
func count(n int64) string { return spike.FormatCount(float64(n)) }
