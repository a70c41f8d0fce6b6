package listening

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/integrations/web"
	"github.com/interlock-coe/interlock/store"
)

// Limits of a data point.
const (
	maxPoints      = 5000
	maxCount       = 1_000_000_000_000 // mentions, reach, followers
	maxWindow      = 31 * 24 * time.Hour
	maxSourceLen   = 64
	maxTopicLen    = 100
	maxSamples     = 20
	maxSampleText  = 2000
	maxAuthorLen   = 100
	maxURLLen      = 2048
	topicPunctuate = "-_.&+/#:"
)

// point is one data point in the webhook's JSON body. Pointers tell a
// missing field from a zero.
type point struct {
	Source      *string  `json:"source"`
	Brand       *string  `json:"brand"`
	Topic       string   `json:"topic"`
	WindowStart *string  `json:"window_start"`
	WindowEnd   *string  `json:"window_end"`
	Mentions    *int64   `json:"mentions"`
	Negative    *int64   `json:"negative"`
	Neutral     *int64   `json:"neutral"`
	Positive    *int64   `json:"positive"`
	Reach       *int64   `json:"reach"`
	Press       bool     `json:"press"`
	Samples     []sample `json:"samples"`
}

type sample struct {
	URL       string `json:"url"`
	Text      string `json:"text"`
	Author    string `json:"author"`
	Followers int64  `json:"followers"`
}

// Decode parses and checks a webhook body, one point or an array of them,
// at time now. Errors are *web.HTTPError 400s naming the item and the
// field at fault. Source, brand and topic come back normalised (lower
// case, single spaces), so that retries and sources agree on the series.
func Decode(cfg *config.Config, now time.Time, body []byte) ([]store.ListeningPoint, error) {
	items, err := web.DecodeItems[point](body)
	if err != nil {
		return nil, err
	}
	switch {
	case len(items) > maxPoints:
		return nil, &web.HTTPError{Status: http.StatusBadRequest, Message: fmt.Sprintf("%d data points; send at most %d per request", len(items), maxPoints)}
	}
	out := make([]store.ListeningPoint, len(items))
	for i, it := range items {
		c := checker{item: i, cfg: cfg, now: now}
		if out[i], err = c.point(it); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checker validates one item; its first error names the field.
type checker struct {
	item int
	cfg  *config.Config
	now  time.Time
}

func (c checker) fail(field, format string, args ...any) error {
	return web.FieldError(c.item, field, fmt.Sprintf(format, args...))
}

func (c checker) point(it point) (store.ListeningPoint, error) {
	var p store.ListeningPoint
	var err error
	if p.Source, err = c.source(it.Source); err != nil {
		return p, err
	}
	if p.Brand, err = c.brand(it.Brand); err != nil {
		return p, err
	}
	if p.Topic, err = c.topic(it.Topic); err != nil {
		return p, err
	}
	if p.WindowStart, p.WindowEnd, err = c.window(it.WindowStart, it.WindowEnd); err != nil {
		return p, err
	}
	if err = c.counts(it, &p); err != nil {
		return p, err
	}
	p.Press = it.Press
	p.Samples, err = c.samples(it.Samples)
	return p, err
}

func (c checker) source(s *string) (string, error) {
	if s == nil || strings.TrimSpace(*s) == "" {
		return "", c.fail("source", "is required (the listening tool, e.g. \"brandwatch\")")
	}
	v := strings.ToLower(strings.TrimSpace(*s))
	if utf8.RuneCountInString(v) > maxSourceLen || strings.ContainsFunc(v, unicode.IsControl) || !utf8.ValidString(v) {
		return "", c.fail("source", "must be at most %d printable characters", maxSourceLen)
	}
	return v, nil
}

func (c checker) brand(b *string) (string, error) {
	if b == nil || strings.TrimSpace(*b) == "" {
		return "", c.fail("brand", "is required; brands: %s", strings.Join(c.cfg.BrandIDs(), ", "))
	}
	brand, ok := c.cfg.Brand(strings.TrimSpace(*b))
	if !ok {
		return "", c.fail("brand", "names unknown brand %q; brands: %s", *b, strings.Join(c.cfg.BrandIDs(), ", "))
	}
	return strings.ToLower(brand.ID), nil
}

// topic is optional; it is compared without case and with single spaces.
func (c checker) topic(t string) (string, error) {
	v := strings.ToLower(strings.Join(strings.Fields(t), " "))
	if utf8.RuneCountInString(v) > maxTopicLen || !utf8.ValidString(v) {
		return "", c.fail("topic", "must be at most %d characters", maxTopicLen)
	}
	for _, r := range v {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != ' ' && !strings.ContainsRune(topicPunctuate, r) {
			return "", c.fail("topic", "may hold letters, digits, spaces and %s, not %q", topicPunctuate, r)
		}
	}
	if strings.HasPrefix(v, "-") {
		return "", c.fail("topic", "must not start with '-'")
	}
	return v, nil
}

func (c checker) window(startText, endText *string) (time.Time, time.Time, error) {
	start, err := c.time("window_start", startText)
	if err != nil {
		return start, start, err
	}
	end, err := c.time("window_end", endText)
	switch {
	case err != nil:
		return start, end, err
	case !end.After(start):
		return start, end, c.fail("window_end", "must be after window_start")
	case end.Sub(start) > maxWindow:
		return start, end, c.fail("window_end", "makes a window longer than %d days", int(maxWindow.Hours()/24))
	case end.After(c.now.Add(maxSkew)):
		return start, end, c.fail("window_end", "is in the future (%s)", end.UTC().Format(time.RFC3339))
	}
	return start.UTC(), end.UTC(), nil
}

func (c checker) time(field string, s *string) (time.Time, error) {
	if s == nil || *s == "" {
		return time.Time{}, c.fail(field, "is required (an RFC 3339 time like 2026-11-23T09:00:00Z)")
	}
	t, err := time.Parse(time.RFC3339, *s)
	switch {
	case err != nil:
		return t, c.fail(field, "must be an RFC 3339 time like 2026-11-23T09:00:00Z")
	case t.Year() < 2000:
		return t, c.fail(field, "must be an RFC 3339 time in 2000 or later, got %s", *s)
	}
	return t, nil
}

// counts checks the numbers: present, not negative, and the sentiment
// split no larger than the mentions (a tool may leave some unclassified).
func (c checker) counts(it point, p *store.ListeningPoint) error {
	for _, f := range []struct {
		name string
		v    *int64
		dst  *int64
	}{
		{"mentions", it.Mentions, &p.Mentions}, {"negative", it.Negative, &p.Negative},
		{"neutral", it.Neutral, &p.Neutral}, {"positive", it.Positive, &p.Positive}, {"reach", it.Reach, &p.Reach},
	} {
		switch {
		case f.v == nil:
			return c.fail(f.name, "is required (a whole number ≥ 0)")
		case *f.v < 0 || *f.v > maxCount:
			return c.fail(f.name, "must be between 0 and %d, got %d", int64(maxCount), *f.v)
		}
		*f.dst = *f.v
	}
	if sum := p.Negative + p.Neutral + p.Positive; sum > p.Mentions {
		return c.fail("negative", "plus neutral and positive is %d, more than the %d mentions", sum, p.Mentions)
	}
	return nil
}

func (c checker) samples(ss []sample) ([]store.ListeningSample, error) {
	if len(ss) > maxSamples {
		return nil, c.fail("samples", "holds %d samples; send at most %d", len(ss), maxSamples)
	}
	out := make([]store.ListeningSample, 0, len(ss))
	for j, s := range ss {
		field := func(name string) string { return fmt.Sprintf("samples[%d].%s", j, name) }
		switch {
		case s.URL != "" && !webURL(s.URL):
			return nil, c.fail(field("url"), "must be an http(s) URL of at most %d characters", maxURLLen)
		case utf8.RuneCountInString(s.Text) > maxSampleText || !utf8.ValidString(s.Text):
			return nil, c.fail(field("text"), "must be at most %d characters", maxSampleText)
		case utf8.RuneCountInString(s.Author) > maxAuthorLen || strings.ContainsFunc(s.Author, unicode.IsControl):
			return nil, c.fail(field("author"), "must be at most %d printable characters", maxAuthorLen)
		case s.Followers < 0 || s.Followers > maxCount:
			return nil, c.fail(field("followers"), "must be between 0 and %d", int64(maxCount))
		}
		out = append(out, store.ListeningSample{URL: s.URL, Text: s.Text, Author: strings.TrimPrefix(s.Author, "@"), Followers: s.Followers})
	}
	return out, nil
}

func webURL(s string) bool {
	if len(s) > maxURLLen {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
