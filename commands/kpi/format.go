package kpi

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/config"
)

// sparkBars are the sparkline's levels, lowest first.
var sparkBars = []rune("▁▂▃▄▅▆▇█")

// detail renders one KPI: latest, previous, change, target and trend.
func (s *Service) detail(r Result) bot.Message {
	k, cur, prev := r.KPI, r.Current(), r.Previous()
	curSpan, prevSpan := r.Spans[len(r.Spans)-1], r.Spans[len(r.Spans)-2]
	m := bot.Message{
		Title: fmt.Sprintf("%s · %s · %s", k.Name, s.scope(r.Query), r.Query.Period.Label()),
		Fields: []bot.Field{
			{Title: "Latest (" + curSpan.String() + ")", Value: FormatValue(k, cur)},
			{Title: "Previous (" + prevSpan.String() + ")", Value: FormatValue(k, prev)},
			{Title: "Change", Value: FormatChange(k, cur, prev)},
			{Title: "Target", Value: FormatTarget(k, cur)},
			{Title: fmt.Sprintf("Trend (%d × %d days)", len(r.Spans), curSpan.Days()), Value: Sparkline(r.Values)},
		},
		Footer: Definition(k),
	}
	if r.Note != "" {
		m.Text = "Note: " + r.Note
	}
	return m
}

// card renders the scorecard: one field per KPI.
func (s *Service) card(q Query, results []Result, errs []error) bot.Message {
	m := bot.Message{Footer: "Details and definitions: /kpi <metric>"}
	for i, r := range results {
		k := s.Config.KPIs[i]
		if i == 0 && len(r.Spans) > 0 {
			m.Title = fmt.Sprintf("KPI scorecard · %s · %s (%s)", s.scope(q), q.Period.Label(), r.Spans[len(r.Spans)-1])
		}
		if errs[i] != nil {
			m.Fields = append(m.Fields, bot.Field{Title: k.Name, Value: "⚠ " + bot.ErrorMessage(errs[i])})
			continue
		}
		cur, prev := r.Current(), r.Previous()
		line := fmt.Sprintf("%s (prev %s, %s) · target %s · %s",
			FormatValue(k, cur), FormatValue(k, prev), FormatChange(k, cur, prev), FormatTarget(k, cur), Sparkline(r.Values))
		if r.Note != "" {
			line += " · " + r.Note
		}
		m.Fields = append(m.Fields, bot.Field{Title: k.Name, Value: line})
	}
	if m.Title == "" {
		m.Title = fmt.Sprintf("KPI scorecard · %s · %s", s.scope(q), q.Period.Label())
	}
	if len(results) == 0 {
		m.Text = "No KPIs are configured."
	}
	return m
}

// scope names the brand and channel a query covers.
func (s *Service) scope(q Query) string {
	brand, channel := "all brands", "all channels"
	if q.Brand != "" {
		brand = q.Brand
		if b, ok := s.Config.Brand(q.Brand); ok {
			brand = b.Name
		}
	}
	if q.Channel != "" {
		channel = q.Channel
	}
	if q.Department != "" {
		return brand + " · " + channel + " · " + s.deptName(q.Department)
	}
	return brand + " · " + channel
}

// deptName is a department's name for titles (its id when unknown).
func (s *Service) deptName(id string) string {
	if d, ok := s.Config.Department(id); ok {
		return d.Name
	}
	return id
}

// Definition states how k is computed: the one org-wide definition.
func Definition(k config.KPI) string {
	var def string
	switch k.Formula {
	case FormulaRatio:
		def = fmt.Sprintf("Σ %s / Σ %s", k.Numerator, k.Denominator)
		if k.Unit == "%" {
			def += " × 100"
		}
	case FormulaMedian, FormulaP90:
		def = fmt.Sprintf("%s of %s", k.Formula, measureLabel(k))
	default:
		def = fmt.Sprintf("%s of %s", k.Aggregate, measureLabel(k))
	}
	return fmt.Sprintf("%s = %s, from %s; %s is better", k.ID, def, sourceLabel(k.Source), k.Better)
}

func measureLabel(k config.KPI) string {
	if k.Source == SourceData {
		return "the values"
	}
	if k.Numerator != "" {
		return k.Numerator
	}
	return defaultMeasure(k)
}

// FormatValue shows a value in k's unit, or "no data".
func FormatValue(k config.KPI, v Value) string {
	if !v.OK {
		return "no data"
	}
	return withUnit(k.Unit, number(v.V))
}

func withUnit(unit, n string) string {
	switch unit {
	case "":
		return n
	case "%":
		return n + "%"
	}
	return n + " " + unit
}

// FormatChange shows the change from prev to cur: an arrow, the
// difference (percentage points for a % KPI, else also the relative
// change) and whether it is for the better.
func FormatChange(k config.KPI, cur, prev Value) string {
	if !cur.OK || !prev.OK {
		return "n/a"
	}
	d := cur.V - prev.V
	if d == 0 {
		return "＝ no change"
	}
	arrow, sign := "▲", "+"
	if d < 0 {
		arrow, sign = "▼", "−"
	}
	diff := sign + number(math.Abs(d))
	if k.Unit == "%" {
		diff += " pp"
	} else {
		diff = withUnit(k.Unit, diff)
		if prev.V != 0 {
			diff += fmt.Sprintf(" (%s%s%%)", sign, number(math.Abs(d/prev.V*100)))
		}
	}
	verdict := "better"
	if (d > 0) != (k.Better != "lower") {
		verdict = "worse"
	}
	return fmt.Sprintf("%s %s, %s", arrow, diff, verdict)
}

// Met reports whether v meets k's target; a KPI without a target (0)
// never does.
func Met(k config.KPI, v Value) bool {
	if !v.OK || k.Target == 0 {
		return false
	}
	if k.Better == "lower" {
		return v.V <= k.Target
	}
	return v.V >= k.Target
}

// FormatTarget shows k's target and whether v meets it.
func FormatTarget(k config.KPI, v Value) string {
	if k.Target == 0 {
		return "none"
	}
	t := withUnit(k.Unit, number(k.Target))
	switch {
	case !v.OK:
		return t + " (no data)"
	case Met(k, v):
		return t + " ✅ met"
	}
	return t + " ❌ not met"
}

// Sparkline draws values from lowest (▁) to highest (█); a period without
// data is "·", and a flat line sits in the middle.
func Sparkline(vs []Value) string {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range vs {
		if v.OK {
			lo, hi = math.Min(lo, v.V), math.Max(hi, v.V)
		}
	}
	var b strings.Builder
	for _, v := range vs {
		switch {
		case !v.OK:
			b.WriteRune('·')
		case hi == lo:
			b.WriteRune(sparkBars[len(sparkBars)/2-1])
		default:
			b.WriteRune(sparkBars[sparkLevel(v.V, lo, hi)])
		}
	}
	return b.String()
}

// sparkLevel places v between lo and hi (lo < hi) on the sparkline's levels.
// Data points may hold any finite number, so hi−lo can overflow to +Inf and
// a ratio can be infinite: the ends are placed without arithmetic and the
// rest is clamped, so that no value indexes outside the levels.
func sparkLevel(v, lo, hi float64) int {
	top := len(sparkBars) - 1
	switch {
	case v >= hi:
		return top
	case v <= lo:
		return 0
	}
	f := (v - lo) / (hi - lo)
	if math.IsNaN(f) {
		return top / 2
	}
	return int(math.Round(min(1, max(0, f)) * float64(top)))
}

// number shows v with sensible precision: from 100 up whole, with
// thousands separators; one decimal from 10 up; two below; trailing zeros
// dropped (72.0 is "72", 3.50 is "3.5").
func number(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e15:
		return strconv.FormatFloat(v, 'g', 4, 64)
	case a >= 100:
		return grouped(int64(math.Round(v)))
	case a >= 10:
		return trimZeros(strconv.FormatFloat(v, 'f', 1, 64))
	}
	return trimZeros(strconv.FormatFloat(v, 'f', 2, 64))
}

func trimZeros(s string) string {
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// grouped writes n with comma thousands separators.
func grouped(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
