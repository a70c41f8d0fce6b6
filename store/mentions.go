package store

import (
	"context"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// Mention is one post about a brand that a listening tool sent on its own
// (POST /hooks/mentions). Mentions are counted into hourly windows of the
// series (Source, Brand, Topic), the windows spike detection judges, and
// kept for the evidence on alert cards until the retention prunes them.
type Mention struct {
	Source     string
	ID         string // the source's id: unique per source
	Brand      string
	Topic      string
	At         time.Time
	Sentiment  int // -1 negative, 0 neutral, 1 positive
	Text       string
	URL        string
	Author     string
	Followers  int64
	ReceivedAt time.Time
}

// MentionWindow is the hourly window a mention is counted in.
func (m Mention) MentionWindow() time.Time { return m.At.UTC().Truncate(time.Hour) }

// MentionsReceipt tells what SaveMentions did: how many mentions were new
// and the windows they changed (as points, revision and change count
// included, for judging).
type MentionsReceipt struct {
	Stored     int
	Duplicates int
	// New has one flag per mention saved, true for those this save
	// stored (the first of their source and id, unknown before).
	New      []bool
	Windows  []ListeningPoint
	Receipts []PointReceipt // one per window
}

// MentionStats are the mentions of a brand and topic (all sources) in a
// time range: how many, how many negative, and up to a limit of them.
type MentionStats struct {
	Count    int64
	Negative int64
	Texts    []string
}

// Evidence is what an alert's spike is about, computed without a language
// model from the stored mentions: the posts with the most reach in the
// spike window, the terms whose share rose most against the baseline
// window, and the negative share then and before.
type Evidence struct {
	TopMentions           []ListeningSample `json:"top_mentions"`
	RisingTerms           []RisingTerm      `json:"rising_terms"`
	Mentions              int64             `json:"mentions"`
	NegativeShare         float64           `json:"negative_share"`
	BaselineMentions      int64             `json:"baseline_mentions"`
	BaselineNegativeShare float64           `json:"baseline_negative_share"`
	Window                time.Time         `json:"window"`      // start of the spike window it describes
	ComputedAt            time.Time         `json:"computed_at"` // when
}

// RisingTerm is a term whose share of the words rose in the spike window:
// Z is its log-odds ratio against the baseline window over its standard
// error (Monroe et al.'s informative Dirichlet prior).
type RisingTerm struct {
	Term     string  `json:"term"`
	Z        float64 `json:"z"`
	Count    int64   `json:"count"`
	Baseline int64   `json:"baseline"`
}

// Mentions keeps single mentions.
type Mentions interface {
	// SaveMentions stores new mentions (one per source and id; a known one
	// is a duplicate and changes nothing) and adds them to their hourly
	// windows, with timers, in one transaction.
	SaveMentions(ctx context.Context, ms []Mention, timers []bot.Timer) (MentionsReceipt, error)
	// TopMentions returns the brand and topic's mentions in [from, to) with
	// the most followers, at most limit.
	TopMentions(ctx context.Context, brand, topic string, from, to time.Time, limit int) ([]Mention, error)
	// MentionStats counts the brand and topic's mentions in [from, to) and
	// returns the text of at most limit of them (the most recent).
	MentionStats(ctx context.Context, brand, topic string, from, to time.Time, limit int) (MentionStats, error)
	// PruneMentions deletes mentions received before before, at most limit,
	// and returns how many.
	PruneMentions(ctx context.Context, before time.Time, limit int) (int64, error)
}
