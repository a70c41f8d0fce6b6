package listening

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/alerts"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/integrations/web"
	"github.com/interlock-coe/interlock/store"
)

// Limits of a mention.
const (
	maxMentions    = 5000
	maxMentionID   = 200
	maxMentionText = 5000
	// neutralBand is the half-width of the neutral band of a numeric
	// sentiment score in [-1, 1] (the usual threshold of compound scores).
	neutralBand = 0.05
)

// MentionIngester stores and judges mentions; *alerts.Listener implements
// it.
type MentionIngester interface {
	IngestMentions(ctx context.Context, ms []store.Mention) (alerts.MentionsReceipt, error)
}

type mentionsHandler struct {
	in    MentionIngester
	cfg   *config.Config
	auth  web.WebhookAuth
	clock bot.Clock
	log   *slog.Logger
}

// NewMentionsHandler returns the POST /hooks/mentions handler. The body is
// one mention or an array of them:
//
//	{"source": "x", "id": "1850012345", "brand": "acme", "topic": "recall",
//	 "time": "2026-11-23T09:14:03Z", "sentiment": "negative",
//	 "text": "…", "url": "https://…", "author": "kim", "followers": 12000}
//
// Each is stored once by source and id and counted into the hourly window
// of its source, brand and topic that spike detection judges. Answers as
// for /hooks/listening: 202 {"stored": N, "duplicates": M}, 400 naming
// the item and the field, 401, 413, 503.
func NewMentionsHandler(in MentionIngester, cfg *config.Config, auth web.WebhookAuth, clock bot.Clock, log *slog.Logger) http.Handler {
	return &mentionsHandler{in: in, cfg: cfg, auth: auth, clock: clock, log: log}
}

func (h *mentionsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	decode := func(body []byte) ([]store.Mention, error) { return DecodeMentions(h.cfg, h.clock.Now(), body) }
	serveBatch(w, r, h.auth, h.log, decode, h.in.IngestMentions)
}

// mention is one mention in the webhook's JSON body.
type mention struct {
	Source    *string         `json:"source"`
	ID        json.RawMessage `json:"id"`
	Brand     *string         `json:"brand"`
	Topic     string          `json:"topic"`
	Time      *string         `json:"time"`
	Sentiment json.RawMessage `json:"sentiment"`
	Text      string          `json:"text"`
	URL       string          `json:"url"`
	Author    string          `json:"author"`
	Followers int64           `json:"followers"`
}

// DecodeMentions parses and checks a POST /hooks/mentions body at time now.
// Errors are 400s naming the item and the field.
func DecodeMentions(cfg *config.Config, now time.Time, body []byte) ([]store.Mention, error) {
	items, err := web.DecodeItems[mention](body)
	if err != nil {
		return nil, err
	}
	if len(items) > maxMentions {
		return nil, &web.HTTPError{Status: http.StatusBadRequest, Message: fmt.Sprintf("%d mentions; send at most %d per request", len(items), maxMentions)}
	}
	out := make([]store.Mention, len(items))
	for i, it := range items {
		if out[i], err = (checker{item: i, cfg: cfg, now: now}).mention(it); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (c checker) mention(it mention) (store.Mention, error) {
	var m store.Mention
	var err error
	if m.Source, err = c.source(it.Source); err != nil {
		return m, err
	}
	if m.ID, err = c.mentionID(it.ID); err != nil {
		return m, err
	}
	if m.Brand, err = c.brand(it.Brand); err != nil {
		return m, err
	}
	if m.Topic, err = c.topic(it.Topic); err != nil {
		return m, err
	}
	if m.At, err = c.time("time", it.Time); err != nil {
		return m, err
	}
	if m.At.After(c.now.Add(maxSkew)) {
		return m, c.fail("time", "is in the future (%s)", m.At.UTC().Format(time.RFC3339))
	}
	m.At = m.At.UTC()
	if m.Sentiment, err = c.sentiment(it.Sentiment); err != nil {
		return m, err
	}
	switch {
	case utf8.RuneCountInString(it.Text) > maxMentionText || !utf8.ValidString(it.Text):
		return m, c.fail("text", "must be at most %d characters of UTF-8", maxMentionText)
	case it.URL != "" && !webURL(it.URL):
		return m, c.fail("url", "must be an http(s) URL of at most %d characters", maxURLLen)
	case utf8.RuneCountInString(it.Author) > maxAuthorLen || strings.ContainsFunc(it.Author, unicode.IsControl) || !utf8.ValidString(it.Author):
		return m, c.fail("author", "must be at most %d printable characters", maxAuthorLen)
	case it.Followers < 0 || it.Followers > maxCount:
		return m, c.fail("followers", "must be between 0 and %d", int64(maxCount))
	}
	m.Text, m.URL, m.Author, m.Followers = it.Text, it.URL, strings.TrimPrefix(it.Author, "@"), it.Followers
	return m, nil
}

// mentionID takes the source's id as a string or a whole number (some
// tools send numeric ids).
func (c checker) mentionID(raw json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		var n json.Number
		if len(raw) == 0 || json.Unmarshal(raw, &n) != nil || strings.ContainsAny(n.String(), ".eE-") {
			return "", c.fail("id", "is required: the source's id of the mention, a string or a whole number")
		}
		s = n.String()
	}
	s = strings.TrimSpace(s)
	if s == "" || utf8.RuneCountInString(s) > maxMentionID || strings.ContainsFunc(s, unicode.IsControl) || !utf8.ValidString(s) {
		return "", c.fail("id", "must be 1 to %d printable characters", maxMentionID)
	}
	return s, nil
}

// sentiment takes "negative", "neutral" or "positive", or a score in
// [-1, 1]: below -0.05 is negative, above 0.05 positive. Missing is neutral.
func (c checker) sentiment(raw json.RawMessage) (int, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "negative":
			return -1, nil
		case "neutral", "":
			return 0, nil
		case "positive":
			return 1, nil
		}
		return 0, c.fail("sentiment", "must be negative, neutral or positive, or a score from -1 to 1")
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil || f < -1 || f > 1 {
		return 0, c.fail("sentiment", "must be negative, neutral or positive, or a score from -1 to 1")
	}
	switch {
	case f < -neutralBand:
		return -1, nil
	case f > neutralBand:
		return 1, nil
	}
	return 0, nil
}
