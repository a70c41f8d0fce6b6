package alerts

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/alerts/evidence"
	"github.com/interlock-coe/interlock/store"
)

// maxSamples is how many sample mentions a card shows.
const maxSamples = 3

// card renders the alert as it is now. An active alert carries its buttons
// (Ack and Snooze only until it is acknowledged); a resolved one says so and
// carries none.
func (l *Listener) card(a store.ListeningAlert) bot.Message {
	m := bot.Message{
		Title:  l.cardTitle(a),
		Text:   l.cardText(a),
		Fields: l.cardFields(a),
		Footer: fmt.Sprintf("alert %s · updated %s", bot.FormatID(a.ID), l.clock(a.UpdatedAt)),
	}
	// The samples quote posts from outside: shown inert.
	m = bot.Quoting(m)
	if a.Status != store.AlertActive {
		return m
	}
	m.Buttons = []bot.Button{{Label: "Open crisis room", Command: l.crisisCommand(a), Style: bot.StyleDanger}}
	if a.AckedBy == "" {
		// Once acknowledged the alert is not re-notified, and a second
		// acknowledgement is refused: neither is offered.
		m.Footer += " · re-notified every " + bot.FormatDuration(l.Config.Listening.RepeatInterval) + " until acknowledged or resolved"
		m.Buttons = append(m.Buttons,
			bot.Button{Label: "Ack", Command: fmt.Sprintf("/alerts ack %d", a.ID), Style: bot.StylePrimary},
			bot.Button{Label: "Snooze 1h", Command: fmt.Sprintf("/alerts snooze %d 1h", a.ID)})
	}
	return m
}

func (l *Listener) cardTitle(a store.ListeningAlert) string {
	if a.Status == store.AlertResolved {
		return fmt.Sprintf("✅ Resolved: listening alert %s · %s", bot.FormatID(a.ID), l.group(a))
	}
	return fmt.Sprintf("📈 Listening alert %s · %s · %s suggested", bot.FormatID(a.ID), l.group(a), a.PeakSeverity)
}

func (l *Listener) cardText(a store.ListeningAlert) string {
	switch {
	case a.Status == store.AlertResolved && a.ResolveReason != reasonBaseline && a.ResolveReason != "":
		return fmt.Sprintf("Resolved by itself: %s, nothing since %s. The last window judged had %s mentions (≈%s expected). Peak: %s mentions.",
			a.ResolveReason, l.clock(a.SilentSince), count(a.Mentions), count(int64(a.Expected)), count(a.PeakMentions))
	case a.Status == store.AlertResolved:
		return fmt.Sprintf("Volume is back to baseline: %s mentions in the window to %s (≈%s expected). Peak: %s mentions.",
			count(a.Mentions), l.clock(a.LastWindow), count(int64(a.Expected)), count(a.PeakMentions))
	}
	return fmt.Sprintf("Mentions spiked: %s in the window to %s, %.1f× the baseline of ≈%s (source: %s).",
		count(a.Mentions), l.clock(a.LastWindow), a.Multiple, count(int64(a.Expected)), a.Source)
}

func (l *Listener) cardFields(a store.ListeningAlert) []bot.Field {
	sev := l.severityName(a.Severity)
	if a.PeakSeverity != a.Severity {
		sev += ", peaked at " + l.severityName(a.PeakSeverity)
	}
	fs := []bot.Field{
		{Title: "Suggested severity", Value: sev},
		{Title: "Why", Value: strings.Join(a.Reasons, "; ")},
		{Title: "Sentiment and reach", Value: sentiment(a)},
	}
	if lines := evidence.Lines(a.Evidence); len(lines) > 0 {
		fs = append(fs, bot.Field{Title: "Evidence (top posts by reach, rising terms, negative share)", Value: strings.Join(lines, "\n")})
	} else if s := samples(a.Samples); s != "" {
		fs = append(fs, bot.Field{Title: "Samples", Value: s})
	}
	return append(fs, bot.Field{Title: "Status", Value: l.status(a)})
}

func sentiment(a store.ListeningAlert) string {
	s := "reach " + count(a.Reach)
	if a.Mentions > 0 {
		s = fmt.Sprintf("%.0f%% negative · %s", 100*float64(a.Negative)/float64(a.Mentions), s)
	}
	if a.Press {
		s += " · press pickup"
	}
	return s
}

func samples(ss []store.ListeningSample) string {
	var lines []string
	for _, s := range ss[:min(len(ss), maxSamples)] {
		line := truncate(s.Text, 140)
		if s.Author != "" {
			line = fmt.Sprintf("@%s (%s followers): %s", s.Author, count(s.Followers), line)
		}
		if s.URL != "" {
			line += " " + s.URL
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func (l *Listener) status(a store.ListeningAlert) string {
	parts := []string{"active since " + l.clock(a.OpenedAt)}
	if a.Status == store.AlertResolved {
		parts = []string{fmt.Sprintf("resolved at %s after %s", l.clock(a.ResolvedAt), bot.FormatDuration(a.ResolvedAt.Sub(a.OpenedAt)))}
		if a.ResolveReason != "" {
			parts[0] += ": " + a.ResolveReason
		}
	}
	if !a.SilentSince.IsZero() && a.Status == store.AlertActive {
		parts = append(parts, fmt.Sprintf("no data since %s from %s (resolves by itself at %s unless a window comes)",
			l.clock(a.SilentSince), a.Source, l.clock(a.SilentSince.Add(l.Config.Listening.QuietPeriod))))
	}
	if a.AckedBy != "" {
		parts = append(parts, fmt.Sprintf("acknowledged by @%s at %s", a.AckedBy, l.clock(a.AckedAt)))
	}
	if a.SnoozedBy != "" && a.Status == store.AlertActive {
		parts = append(parts, fmt.Sprintf("snoozed by @%s until %s", a.SnoozedBy, l.clock(a.SnoozedUntil)))
	}
	if a.CrisisRequested {
		parts = append(parts, "crisis room opened automatically ("+l.Config.Listening.AutoOpen+" or worse)")
	}
	return strings.Join(parts, " · ")
}

// updateNote is the short update posted where the platform cannot edit the
// card; it names the alert so people can find the card.
func (l *Listener) updateNote(a store.ListeningAlert) bot.Message {
	if a.Status == store.AlertResolved {
		why := ""
		if a.ResolveReason != "" {
			why = " (" + a.ResolveReason + ")"
		}
		return bot.Message{Text: fmt.Sprintf("✅ Listening alert %s (%s) resolved%s: %s mentions, ≈%s expected; peak %s.",
			bot.FormatID(a.ID), l.group(a), why, count(a.Mentions), count(int64(a.Expected)), count(a.PeakMentions))}
	}
	return bot.Message{Text: fmt.Sprintf("🔄 Update to listening alert %s (%s): %s mentions, %.1f× baseline; %s suggested. %s",
		bot.FormatID(a.ID), l.group(a), count(a.Mentions), a.Multiple, a.PeakSeverity, l.status(a))}
}

// group names the alert's brand and topic: "Acme · recall".
func (l *Listener) group(a store.ListeningAlert) string {
	name := a.Brand
	if b, ok := l.Config.Brand(a.Brand); ok && b.Name != "" {
		name = b.Name
	}
	if a.Topic == "" {
		return name
	}
	return name + " · " + a.Topic
}

// clock shows a time of day in the org's time zone, with the date when it
// is not today.
func (l *Listener) clock(t time.Time) string {
	loc := l.Config.Org.Location
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	if now := l.Clock.Now().In(loc); t.YearDay() != now.YearDay() || t.Year() != now.Year() {
		return t.Format("Mon 02 Jan 15:04")
	}
	return t.Format("15:04")
}
