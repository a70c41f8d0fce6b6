// Package alerts turns social-listening data into timely, non-noisy alerts
// in chat: it stores the data points POST /hooks/listening receives, judges
// each series against its own baseline (package spike), groups spikes by
// brand and topic into one alert that is updated in place while active,
// re-notifies at the repeat interval, resolves it when volume returns to
// the baseline, opens the crisis room automatically at the configured
// severity, and keeps every chat message in an outbox until it is
// delivered. /alerts list, ack and snooze manage the alerts.
package alerts

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/alerts/spike"
	"github.com/interlock-coe/interlock/store"
)

// Timer kinds.
const (
	timerEvaluate = "alerts.evaluate" // judge a series whose points were stored but not judged
	timerDeliver  = "alerts.deliver"  // deliver an alert's queued chat messages
	timerRepeat   = "alerts.repeat"   // re-notify an alert that is still active
	timerSilence  = "alerts.silence"  // notice an alert's source has gone quiet
	timerSweep    = "alerts.sweep"    // judge every series whose points were stored but not judged
)

// Timings that the configuration does not expose.
const (
	// evaluateGrace is how long after storing points the safety timer
	// judges them if judging them at once failed.
	evaluateGrace = time.Minute
	// deliveryGrace is how long after queueing a message the delivery timer
	// retries it if delivering it at once failed; the scheduler backs off
	// from there.
	deliveryGrace = 30 * time.Second
	// deliveryLease is how long a deliverer holds queued messages.
	deliveryLease = 2 * time.Minute
	// maxLag is how old a window may be and still raise or change an alert;
	// older windows are kept as history only.
	maxLag = 6 * time.Hour
	// maxSnooze bounds /alerts snooze.
	maxSnooze = 7 * 24 * time.Hour
	// changeAttempts bounds retries of a change that lost a race with
	// another replica.
	changeAttempts = 5
)

// PermissionManage is the permission of /alerts ack and snooze.
const PermissionManage = "alerts.manage"

// Listener is the listening feature: the /alerts commands, the timers, and
// Ingest, which the webhook calls.
type Listener struct {
	commands.Deps
	router *bot.Router
	params spike.Params
	levels []spike.Level
	// baselines holds recent points per series (a cache; the store is the
	// source of truth).
	baselines *baselines
	// timers are the safety timers already stored by this replica.
	timers *armed
	// saves merges concurrent Ingest calls' saves (save_group.go).
	saves *bot.Group[pointsSave, saved]
	// mentions merges concurrent IngestMentions calls.
	mentions *mentionBatcher
}

// Register adds /alerts and the alert timers to r and returns the Listener
// that POST /hooks/listening feeds. An automatic crisis room is opened by
// running "/crisis open …" through r, so register the crisis feature on the
// same router.
func Register(r *bot.Router, d commands.Deps) *Listener {
	l := &Listener{
		Deps:   d,
		router: r,
		params: spike.DefaultParams(d.Config.Listening.K, d.Config.Listening.MinMentions),
		levels: playbookLevels(d),

		baselines: newBaselines(),
		timers:    newArmed(),
		mentions:  newMentionBatcher(),
	}
	l.saves = newSaveGroup(l)
	r.Describe("alerts", "Listening alerts: list · ack · snooze")
	r.Register(
		bot.Command{
			Group: "alerts", Name: "list",
			Summary:  "List the active listening alerts",
			Examples: []string{"/alerts list"},
			Handler:  l.list,
		},
		bot.Command{
			Group: "alerts", Name: "ack", Args: "<id>",
			Summary:  "Acknowledge an alert: someone is on it, so it is not re-notified",
			Examples: []string{"/alerts ack 3"},
			MinWords: 1, Permission: PermissionManage, Handler: l.ack,
		},
		bot.Command{
			Group: "alerts", Name: "snooze", Args: "<id> <duration>",
			Summary:  "Hold an alert's repeat notifications for a while (up to 7d)",
			Examples: []string{"/alerts snooze 3 1h", "/alerts snooze #3 30m"},
			MinWords: 2, Permission: PermissionManage, Handler: l.snooze,
		},
	)
	d.Scheduler.Handle(timerEvaluate, l.evaluateTimer)
	d.Scheduler.Handle(timerSweep, l.sweepTimer)
	d.Scheduler.Handle(timerDeliver, l.deliverTimer)
	d.Scheduler.Handle(timerRepeat, l.repeatTimer)
	d.Scheduler.Handle(timerSilence, l.silenceTimer)
	d.Scheduler.Handle(timerPrune, l.pruneTimer)
	return l
}

// playbookLevels turns the playbook into spike levels, worst first.
func playbookLevels(d commands.Deps) []spike.Level {
	var out []spike.Level
	for _, level := range d.Config.SeverityLevels() {
		sev, ok := d.Config.Severity(level)
		if !ok {
			continue
		}
		out = append(out, spike.Level{
			Name: level, VolumeMultiple: sev.VolumeMultiple, NegativeShare: sev.NegativeShare,
			MinReach: sev.MinReach, Press: sev.Press,
		})
	}
	return out
}

// rank orders severities: 0 is the worst; an unknown one ranks last.
func (l *Listener) rank(level string) int {
	for i, s := range l.Config.SeverityLevels() {
		if s == level {
			return i
		}
	}
	return len(l.Config.SeverityLevels())
}

// worse returns the more severe of two levels.
func (l *Listener) worse(a, b string) string {
	if a == "" || l.rank(b) < l.rank(a) {
		return b
	}
	return a
}

type alertRef struct {
	AlertID int64 `json:"alert_id"`
}

func deliverTimer(a store.ListeningAlert, now time.Time) bot.Timer {
	return timer(timerDeliver, fmt.Sprintf("alerts:%d:deliver", a.ID), now.Add(deliveryGrace), alertRef{a.ID})
}

func repeatKey(id int64) string { return fmt.Sprintf("alerts:%d:repeat", id) }

func repeatTimer(a store.ListeningAlert, due time.Time) bot.Timer {
	return timer(timerRepeat, repeatKey(a.ID), due, alertRef{a.ID})
}

// sweepTimer is the safety net stored with the points: one timer per
// minute of arrival (every batch of that minute shares its key and due
// time, so a steady stream neither multiplies timers nor keeps moving one,
// and a replica stores it with its first batch of the minute only: see
// armed), due evaluateGrace after the minute ends.
func sweepTimer(now time.Time) bot.Timer {
	due := now.UTC().Truncate(time.Minute).Add(time.Minute + evaluateGrace)
	return timer(timerSweep, "alerts:sweep:"+due.Format("2006-01-02T15:04"), due, struct{}{})
}

// timer builds a durable timer; payloads are plain structs that always
// marshal.
func timer(kind, key string, due time.Time, payload any) bot.Timer {
	body, _ := json.Marshal(payload)
	return bot.Timer{Kind: kind, Key: key, Due: due, Payload: string(body)}
}

func decode(t bot.Timer, v any) error {
	if err := json.Unmarshal([]byte(t.Payload), v); err != nil {
		return fmt.Errorf("decode timer %s payload: %w", t.Key, err)
	}
	return nil
}
