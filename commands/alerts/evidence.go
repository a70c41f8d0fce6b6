package alerts

import (
	"context"
	"fmt"
	"time"

	"github.com/interlock-coe/interlock/commands/alerts/evidence"
	"github.com/interlock-coe/interlock/store"
)

// Evidence limits.
const (
	topPosts      = 3
	risingTerms   = 5
	evidenceTexts = 5000 // texts read per window for the terms
	// evidenceEvery is how often the evidence of a window that keeps
	// spiking (one fed by mentions grows with every batch) is computed
	// again.
	evidenceEvery = 5 * time.Minute
)

// attachEvidence computes what the spiking window p is about from the
// stored mentions of its brand and topic (all sources) and puts it on a.
// Evidence is a help, not a condition: failing to compute it is logged and
// the alert goes out without it.
func (l *Listener) attachEvidence(ctx context.Context, a *store.ListeningAlert, p store.ListeningPoint) {
	now := l.Clock.Now()
	if e := a.Evidence; e != nil && e.Window.Equal(p.WindowStart) && now.Sub(e.ComputedAt) < evidenceEvery {
		return
	}
	e, err := l.Evidence(ctx, p.Brand, p.Topic, p.WindowStart, p.WindowEnd)
	if err != nil {
		l.Log.Warn("alert evidence not computed", "brand", p.Brand, "topic", p.Topic, "err", err)
		return
	}
	if e != nil {
		a.Evidence = e
	}
}

// Evidence computes the evidence of the window [from, to) of a brand and
// topic against the baseline window before it: the posts with the most
// followers, the rising terms, the negative share then and before. It is
// nil when no mention of the window is stored. The command center can call
// it for any window.
func (l *Listener) Evidence(ctx context.Context, brand, topic string, from, to time.Time) (*store.Evidence, error) {
	now := l.Clock.Now()
	cur, err := l.Store.MentionStats(ctx, brand, topic, from, to, evidenceTexts)
	if err != nil || cur.Count == 0 {
		return nil, err
	}
	base, err := l.Store.MentionStats(ctx, brand, topic, from.Add(-l.Config.Listening.BaselineWindow), from, evidenceTexts)
	if err != nil {
		return nil, err
	}
	top, err := l.Store.TopMentions(ctx, brand, topic, from, to, topPosts)
	if err != nil {
		return nil, fmt.Errorf("top mentions: %w", err)
	}
	e := &store.Evidence{
		RisingTerms: evidence.Rising(cur.Texts, base.Texts, l.languages(brand), risingTerms),
		Mentions:    cur.Count, NegativeShare: share(cur.Negative, cur.Count),
		BaselineMentions: base.Count, BaselineNegativeShare: share(base.Negative, base.Count),
		Window: from, ComputedAt: now,
	}
	for _, m := range top {
		e.TopMentions = append(e.TopMentions, store.ListeningSample{URL: m.URL, Text: m.Text, Author: m.Author, Followers: m.Followers})
	}
	return e, nil
}

func share(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// languages are the brand's configured languages (default en).
func (l *Listener) languages(brand string) []string {
	if b, ok := l.Config.Brand(brand); ok && len(b.Languages) > 0 {
		return b.Languages
	}
	return []string{"en"}
}
