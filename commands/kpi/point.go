package kpi

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// Bounds of a plausible data point (README "Webhook security").
const (
	// maxChannelLength bounds a channel name, so that outside input cannot
	// fill the store with huge keys.
	maxChannelLength = 64
	// MaxNumber bounds every value, numerator and denominator: a quadrillion
	// is far above any count a brand sees, and far below where sums lose
	// meaning or overflow to +Inf.
	MaxNumber = 1e15
	// MaxPeriod is the longest period a point may cover (a leap year).
	MaxPeriod = 366 * 24 * time.Hour
	// maxSentSkew is how far ahead of our clock a sender's sent_at may be.
	maxSentSkew = 5 * time.Minute
)

// earliestYear is the earliest year a period may start (in the org's zone):
// older data is a typo (year 0001), not history.
const earliestYear = 2000

// Input is one data point as it arrives from the webhook or a CSV row,
// before any check. Dates are YYYY-MM-DD (a whole day in the org time
// zone: period_end's day is included) or RFC 3339 times (period_end is
// then the exclusive end). A point carries either Value or both Numerator
// and Denominator; nil means absent.
type Input struct {
	Metric      string
	Brand       string
	Channel     string
	PeriodStart string
	PeriodEnd   string
	Value       *float64
	Numerator   *float64
	Denominator *float64
	// SentAt is when the sender says it sent the point (RFC 3339), or ""
	// for the time it was received. Of two points with one key, the one
	// sent last is kept.
	SentAt string
}

// FieldError is bad input in one field of a data point, named as in the
// webhook's JSON and the CSV header. It carries the bot.EInvalid code.
type FieldError struct {
	Field   string
	Problem string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Problem }

// Unwrap gives the error its bot.EInvalid code.
func (e *FieldError) Unwrap() error { return &bot.Error{Code: bot.EInvalid, Message: e.Error()} }

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// Check validates in, received at now, against the configuration and
// returns the point to store: the metric must be a KPI fed by data, the
// brand a configured brand, the period within 2000-01-01 … tomorrow and at
// most a year long, the numbers plausible (see checkNumbers) and of the
// kind the KPI's formula needs. Ids are lower-cased. The webhook and the
// CSV import share it, so both refuse the same points. Errors are
// *FieldError.
func Check(cfg *config.Config, now time.Time, in Input) (store.KPIPoint, error) {
	k, err := checkMetric(cfg, in.Metric)
	if err != nil {
		return store.KPIPoint{}, err
	}
	p := store.KPIPoint{Metric: strings.ToLower(k.ID)}
	if p.Brand, err = checkBrand(cfg, in.Brand); err != nil {
		return p, err
	}
	if p.Channel, err = checkChannel(in.Channel); err != nil {
		return p, err
	}
	if p.Start, p.End, err = checkPeriod(cfg.Org.Location, now, in.PeriodStart, in.PeriodEnd); err != nil {
		return p, err
	}
	if p.SentAt, err = checkSentAt(now, in.SentAt); err != nil {
		return p, err
	}
	return p, checkNumbers(k, in, &p)
}

// checkSentAt reads the optional send time; one in the future would keep
// the point from ever being corrected, so it is refused.
func checkSentAt(now time.Time, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return now, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	switch {
	case err != nil:
		return t, fieldErr("sent_at", "%q is not an RFC 3339 time (e.g. 2026-11-23T09:00:00Z)", clip(s))
	case t.After(now.Add(maxSentSkew)):
		return t, fieldErr("sent_at", "%s is in the future", t.UTC().Format(time.RFC3339))
	case t.Year() < earliestYear:
		return t, fieldErr("sent_at", "must be in %d or later", earliestYear)
	}
	return t, nil
}

func checkMetric(cfg *config.Config, metric string) (config.KPI, error) {
	metric = strings.TrimSpace(metric)
	if metric == "" {
		return config.KPI{}, fieldErr("metric", "is required")
	}
	k, ok := cfg.KPI(metric)
	if !ok {
		return k, fieldErr("metric", "%q is not a configured KPI; KPIs fed by data: %s", clip(metric), strings.Join(dataKPIs(cfg), ", "))
	}
	if k.Source != SourceData {
		return k, fieldErr("metric", "%s is computed from %s, not from data points", k.ID, sourceLabel(k.Source))
	}
	return k, nil
}

// dataKPIs lists the ids of the KPIs fed by data points.
func dataKPIs(cfg *config.Config) []string {
	var out []string
	for _, k := range cfg.KPIs {
		if k.Source == SourceData {
			out = append(out, k.ID)
		}
	}
	return out
}

func checkBrand(cfg *config.Config, brand string) (string, error) {
	brand = strings.ToLower(strings.TrimSpace(brand))
	if brand == "" {
		return "", fieldErr("brand", "is required")
	}
	if _, ok := cfg.Brand(brand); !ok {
		return "", fieldErr("brand", "%q is not a configured brand; brands: %s", clip(brand), strings.Join(cfg.BrandIDs(), ", "))
	}
	return brand, nil
}

func checkChannel(channel string) (string, error) {
	channel = strings.ToLower(strings.TrimSpace(channel))
	if channel == "" {
		return "", fieldErr("channel", "is required (e.g. instagram)")
	}
	if len(channel) > maxChannelLength || strings.IndexFunc(channel, notChannelRune) >= 0 {
		return "", fieldErr("channel", "%q is not a channel name (letters, digits, . _ - ; at most %d characters)", clip(channel), maxChannelLength)
	}
	return channel, nil
}

func notChannelRune(r rune) bool {
	return !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._-", r))
}

func checkPeriod(loc *time.Location, now time.Time, start, end string) (from, to time.Time, err error) {
	if from, _, err = parseDate(loc, "period_start", start); err != nil {
		return from, to, err
	}
	to, dateOnly, err := parseDate(loc, "period_end", end)
	if err != nil {
		return from, to, err
	}
	if dateOnly {
		// A date names a whole day: the period ends at the next midnight.
		y, m, d := to.Date()
		to = time.Date(y, m, d+1, 0, 0, 0, 0, to.Location())
	}
	if !to.After(from) {
		return from, to, fieldErr("period_end", "must be after period_start")
	}
	return from, to, checkPeriodBounds(loc, now, from, to)
}

// checkPeriodBounds refuses periods no real data has: before 2000, ending
// after tomorrow (in the org's zone, so a sender ahead of us still fits),
// or longer than a year.
func checkPeriodBounds(loc *time.Location, now, from, to time.Time) error {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := now.In(loc).Date()
	latest := time.Date(y, m, d+2, 0, 0, 0, 0, loc) // the end of tomorrow
	switch {
	case from.Before(time.Date(earliestYear, 1, 1, 0, 0, 0, 0, loc)):
		return fieldErr("period_start", "%s is before 2000-01-01", from.Format(time.DateOnly))
	case to.After(latest):
		return fieldErr("period_end", "must not be after tomorrow (%s)", latest.AddDate(0, 0, -1).Format(time.DateOnly))
	case to.Sub(from) > MaxPeriod:
		return fieldErr("period_end", "makes a period longer than a year")
	}
	return nil
}

// parseDate reads YYYY-MM-DD (local midnight in loc) or an RFC 3339 time.
func parseDate(loc *time.Location, field, s string) (t time.Time, dateOnly bool, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return t, false, fieldErr(field, "is required (YYYY-MM-DD or RFC 3339)")
	}
	if loc == nil {
		loc = time.UTC
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		return t, true, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, false, nil
	}
	return t, false, fieldErr(field, "%q is not a date (YYYY-MM-DD or RFC 3339, e.g. 2026-11-23)", clip(s))
}

// checkNumbers fills p's numbers from in, as k's formula needs them. Every
// number is finite and at most MaxNumber; a denominator is positive; a value
// or numerator is not negative unless the KPI is signed (a net score).
func checkNumbers(k config.KPI, in Input, p *store.KPIPoint) error {
	for _, n := range []struct {
		field  string
		v      *float64
		signed bool
	}{{"value", in.Value, k.Signed}, {"numerator", in.Numerator, k.Signed}, {"denominator", in.Denominator, false}} {
		if n.v != nil {
			if err := checkNumber(n.field, *n.v, n.signed); err != nil {
				return err
			}
		}
	}
	if k.Formula != FormulaRatio {
		if in.Numerator != nil || in.Denominator != nil {
			return fieldErr("value", "%s is a single value: give value, not numerator and denominator", k.ID)
		}
		if in.Value == nil {
			return fieldErr("value", "is required for %s", k.ID)
		}
		p.Value = *in.Value
		return nil
	}
	need := fmt.Sprintf("%s is a ratio: give numerator (%s) and denominator (%s)", k.ID, k.Numerator, k.Denominator)
	switch {
	case in.Value != nil:
		return fieldErr("value", "%s, not a value", need)
	case in.Numerator == nil:
		return fieldErr("numerator", "is required: %s", need)
	case in.Denominator == nil:
		return fieldErr("denominator", "is required: %s", need)
	case *in.Denominator == 0:
		return fieldErr("denominator", "must not be 0")
	}
	p.Ratio, p.Numerator, p.Denominator = true, *in.Numerator, *in.Denominator
	return nil
}

// checkNumber refuses a non-finite, absurdly large or (unless signed)
// negative number.
func checkNumber(field string, v float64, signed bool) error {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return fieldErr(field, "must be a finite number")
	case v < 0 && !signed:
		return fieldErr(field, "must not be negative, got %g", v)
	case math.Abs(v) > MaxNumber:
		return fieldErr(field, "%g is larger than %g", v, float64(MaxNumber))
	}
	return nil
}

// clip shortens outside text quoted in an error message.
func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

func sourceLabel(source string) string {
	switch source {
	case SourceRouting:
		return "routed issues"
	case SourceCrises:
		return "crisis rooms"
	case SourceContent:
		return "content approvals"
	case SourceRequests:
		return "service requests"
	}
	return "data points"
}
