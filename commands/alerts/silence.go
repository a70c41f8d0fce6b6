package alerts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// A source that stops sending windows must not leave its alert active
// forever: only a window of the alert's source can resolve it. Every window
// that changes an active alert re-arms the alert's durable silence timer,
// due two windows after the window's end. When it fires with no newer
// window, the card says "no data since …" and the timer is re-armed for the
// end of the quiet period (listening.quiet_period), when the alert resolves
// by itself. A new window before then moves the timer again. The timer is
// stored, so a restart loses none and one replica fires it.

// missedWindows is how many windows a source may miss before the card says
// it has gone quiet.
const missedWindows = 2

// Reasons recorded when an alert resolves.
const reasonBaseline = "volume back to baseline"

func reasonQuiet(source string, quiet time.Duration) string {
	return fmt.Sprintf("no data from %s for %s", source, bot.FormatDuration(quiet))
}

// errUnchanged is an edit with nothing to change.
var errUnchanged = errors.New("alert unchanged")

// silenceRef is the silence timer's payload.
type silenceRef struct {
	AlertID int64         `json:"alert_id"`
	Window  time.Duration `json:"window"` // length of the source's windows
}

func silenceKey(id int64) string { return fmt.Sprintf("alerts:%d:silence", id) }

func silenceTimer(id int64, window time.Duration, due time.Time) bot.Timer {
	return timer(timerSilence, silenceKey(id), due, silenceRef{AlertID: id, Window: window})
}

// watchSilence makes a change that judged window p of the alert's source
// clear the alert's silence and re-arm its silence timer.
func watchSilence(ch *store.AlertChange, p store.ListeningPoint) {
	a := ch.Alert
	if a == nil || a.Source != p.Source {
		return
	}
	a.SilentSince = time.Time{}
	if a.Status != store.AlertActive {
		return
	}
	window := p.WindowEnd.Sub(p.WindowStart)
	others := ch.Timers
	ch.Timers = func(a store.ListeningAlert) []bot.Timer {
		var ts []bot.Timer
		if others != nil {
			ts = others(a)
		}
		return append(ts, silenceTimer(a.ID, window, a.LastWindow.Add(missedWindows*window)))
	}
}

// silenceTimer checks an active alert's source: still quiet two windows
// after its last window, the card says so; still quiet at the end of the
// quiet period, the alert resolves with the reason recorded. A window that
// arrived meanwhile (even one that changed nothing) restarts the watch.
func (l *Listener) silenceTimer(ctx context.Context, t bot.Timer) error {
	var ref silenceRef
	if err := decode(t, &ref); err != nil {
		return err
	}
	if ref.Window <= 0 {
		return fmt.Errorf("silence timer %s: window length %s is not positive", t.Key, ref.Window)
	}
	a, err := l.Store.ListeningAlert(ctx, ref.AlertID)
	switch {
	case bot.IsCode(err, bot.ENotFound):
		return nil
	case err != nil:
		return err
	case a.Status != store.AlertActive:
		return nil
	}
	quiet := l.Config.Listening.QuietPeriod
	var next time.Time
	_, err = l.change(ctx, a.ID, func(a *store.ListeningAlert) (store.AlertChange, error) {
		last, err := l.lastData(ctx, *a)
		if err != nil {
			return store.AlertChange{}, err
		}
		now := l.Clock.Now()
		silent := time.Time{}
		switch {
		case !now.Before(last.Add(quiet)):
			a.Status, a.ResolvedAt, a.ResolveReason = store.AlertResolved, now, reasonQuiet(a.Source, quiet)
			silent, next = last, time.Time{}
		case !now.Before(last.Add(missedWindows * ref.Window)):
			silent, next = last, last.Add(quiet)
		default:
			next = last.Add(missedWindows * ref.Window)
		}
		if a.Status == store.AlertActive && a.SilentSince.Equal(silent) {
			return store.AlertChange{}, errUnchanged
		}
		a.SilentSince, a.UpdatedAt = silent, now
		ch := l.cardChange(a, now)
		if !next.IsZero() {
			card := ch.Timers
			ch.Timers = func(a store.ListeningAlert) []bot.Timer {
				return append(card(a), silenceTimer(a.ID, ref.Window, next))
			}
		}
		return ch, nil
	})
	switch {
	case errors.Is(err, errUnchanged):
		return l.Scheduler.Schedule(ctx, timerSilence, silenceKey(a.ID), next, silenceRef{AlertID: a.ID, Window: ref.Window})
	case bot.IsCode(err, bot.EConflict):
		// Resolved meanwhile: nothing left to watch.
		return nil
	}
	return err
}

// lastData is the end of the newest window of the alert's source: the one
// the alert last judged, or a newer one that changed nothing (or is not
// judged yet).
func (l *Listener) lastData(ctx context.Context, a store.ListeningAlert) (time.Time, error) {
	k := store.SeriesKey{Source: a.Source, Brand: a.Brand, Topic: a.Topic}
	newer, err := l.Store.ListeningSeries(ctx, k, a.LastWindow, time.Time{})
	if err != nil {
		return time.Time{}, fmt.Errorf("newest window of %s/%s/%s: %w", k.Source, k.Brand, k.Topic, err)
	}
	if len(newer) == 0 {
		return a.LastWindow, nil
	}
	return newer[len(newer)-1].WindowEnd, nil
}
