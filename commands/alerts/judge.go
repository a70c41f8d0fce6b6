package alerts

import (
	"context"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/alerts/spike"
	"github.com/interlock-coe/interlock/store"
)

// judgement is what one window means: its verdict against the series'
// baseline and, for a spike, the suggested severity.
type judgement struct {
	point   store.ListeningPoint
	verdict spike.Verdict
	class   spike.Classification
}

// judge compares p with the baseline of the windows that ended in the
// baseline window before it started. The baseline is read from the stored
// points, so every replica computes the same one and a restart loses none.
func (l *Listener) judge(ctx context.Context, p store.ListeningPoint) (judgement, error) {
	from := p.WindowStart.Add(-l.Config.Listening.BaselineWindow)
	past, err := l.Store.ListeningSeries(ctx, p.Series(), from, p.WindowStart)
	if err != nil {
		return judgement{}, err
	}
	return l.judgeWith(p, history(past, p, l.Config.Listening.BaselineWindow), l.Clock.Now()), nil
}

// history is the baseline of p among ps: the windows that started at most
// baseline before p started and ended by then.
func history(ps []store.ListeningPoint, p store.ListeningPoint, baseline time.Duration) []spike.Window {
	from := p.WindowStart.Add(-baseline)
	out := make([]spike.Window, 0, len(ps))
	for i := range ps {
		q := &ps[i]
		if !q.WindowStart.Before(from) && q.WindowEnd.After(from) && !q.WindowEnd.After(p.WindowStart) {
			out = append(out, window(q))
		}
	}
	return out
}

// minOpenWindow is how much of a window fed by mentions must have passed
// before it can say volume is normal: a few minutes in, a low count means
// little.
const minOpenWindow = 10 * time.Minute

// judgeWith judges p against history at now. A window fed by single
// mentions that is still open is judged on the part that has passed (the
// baseline is a rate, so the count expected scales with it): a storm is
// seen minutes into the hour, not at its end.
func (l *Listener) judgeWith(p store.ListeningPoint, history []spike.Window, now time.Time) judgement {
	w := window(&p)
	open := p.FromMentions && now.Before(p.WindowEnd)
	if open {
		w.End = now
		if early := p.WindowStart.Add(minOpenWindow); w.End.Before(early) {
			w.End = early
		}
	}
	j := judgement{point: p, verdict: spike.Detect(l.params, spike.NewBaseline(history), w)}
	if open && now.Sub(p.WindowStart) < minOpenWindow && j.verdict.State != spike.Spike {
		j.verdict.State = spike.Unknown
	}
	if j.verdict.State == spike.Spike {
		j.class = spike.Classify(l.levels, spike.Signal{
			Multiple: j.verdict.Multiple, Mentions: p.Mentions, Negative: p.Negative, Reach: p.Reach, Press: p.Press,
		})
	}
	return j
}

func window(p *store.ListeningPoint) spike.Window {
	return spike.Window{Start: p.WindowStart, End: p.WindowEnd, Mentions: p.Mentions}
}

// decide turns a judgement into a change of the brand and topic's alert,
// like Alertmanager's grouping: a spike with no active alert opens one and
// notifies at once; while one is active every window of its source updates
// it in place (a spike from another source too); a window of its source
// back at the baseline resolves it. It is pure: the store applies the
// change.
func (l *Listener) decide(active *store.ListeningAlert, j judgement, now time.Time) store.AlertChange {
	p, v := j.point, j.verdict
	switch {
	case active == nil && v.State == spike.Spike:
		a := l.opened(j, now)
		ch := store.AlertChange{Alert: &a, Deliveries: []string{store.DeliverNotify}, At: now}
		l.requestCrisis(&ch)
		repeat := l.Config.Listening.RepeatInterval
		ch.Timers = func(a store.ListeningAlert) []bot.Timer {
			return []bot.Timer{deliverTimer(a, now), repeatTimer(a, now.Add(repeat))}
		}
		return ch
	case active == nil || v.State == spike.Unknown:
		return store.AlertChange{}
	case v.State == spike.Spike:
		a := *active
		l.escalate(&a, j)
		return l.updated(&a, now)
	case p.Source != active.Source:
		// Another source's quiet window says nothing about the spike
		// this alert follows.
		return store.AlertChange{}
	}
	a := *active
	a.Mentions, a.Expected, a.Multiple, a.LastWindow = p.Mentions, v.Expected, v.Multiple, p.WindowEnd
	a.Negative, a.Reach, a.Press = p.Negative, p.Reach, p.Press
	if v.State == spike.Normal {
		a.Status, a.ResolvedAt, a.ResolveReason = store.AlertResolved, now, reasonBaseline
	}
	return l.updated(&a, now)
}

// opened is a new alert for a spiking window.
func (l *Listener) opened(j judgement, now time.Time) store.ListeningAlert {
	p := j.point
	a := store.ListeningAlert{
		Brand: p.Brand, Topic: p.Topic, Status: store.AlertActive,
		FirstWindow: p.WindowStart, OpenedAt: now, UpdatedAt: now,
	}
	l.escalate(&a, j)
	return a
}

// escalate records a spiking window on a: its numbers, its severity, and
// the peak so far.
func (l *Listener) escalate(a *store.ListeningAlert, j judgement) {
	p, v := j.point, j.verdict
	a.Severity, a.Reasons = j.class.Severity, j.class.Reasons
	a.PeakSeverity = l.worse(a.PeakSeverity, j.class.Severity)
	a.Source, a.Mentions, a.Expected, a.Multiple = p.Source, p.Mentions, v.Expected, v.Multiple
	a.Negative, a.Reach, a.Press, a.LastWindow = p.Negative, p.Reach, p.Press, p.WindowEnd
	a.PeakMentions = max(a.PeakMentions, p.Mentions)
	if len(p.Samples) > 0 {
		a.Samples = p.Samples
	}
}

// updated is the change that saves a and brings its card up to date.
func (l *Listener) updated(a *store.ListeningAlert, now time.Time) store.AlertChange {
	a.UpdatedAt = now
	ch := store.AlertChange{Alert: a, Deliveries: []string{store.DeliverUpdate}, At: now}
	if a.Status == store.AlertActive {
		l.requestCrisis(&ch)
	}
	ch.Timers = func(a store.ListeningAlert) []bot.Timer { return []bot.Timer{deliverTimer(a, now)} }
	return ch
}

// requestCrisis queues the automatic crisis room once, when the alert's
// peak severity reaches listening.auto_open.
func (l *Listener) requestCrisis(ch *store.AlertChange) {
	auto := l.Config.Listening.AutoOpen
	a := ch.Alert
	if auto == "" || a.CrisisRequested || l.rank(a.PeakSeverity) > l.rank(auto) {
		return
	}
	a.CrisisRequested = true
	ch.Deliveries = append(ch.Deliveries, store.DeliverCrisis)
}
