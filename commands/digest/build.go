package digest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/kpi"
	"github.com/interlock-coe/interlock/commands/privacy"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// Report is a built digest: the message and its charts.
type Report struct {
	Message bot.Message
	Files   []bot.File
}

// build gathers one digest's data now. Every KPI number comes from the
// KPI service's Compute with the digest's period, so it is exactly what
// /kpi <metric> --period 7d|30d shows at the same moment. Crises are shown
// as a channel sees them: existence, severity, brand and a non-confidential
// title only (commands/privacy).
type build struct {
	*Service
	d       config.Digest
	period  kpi.Period
	results map[string]kpi.Result // by KPI id
	crises  []store.Crisis        // opened in the current span
	all     []store.Crisis        // every crisis, for the chart
	span    kpi.Span
}

// Build computes the digest d as of now.
func (s *Service) Build(ctx context.Context, d config.Digest) (Report, error) {
	sched, err := scheduleOf(d)
	if err != nil {
		return Report{}, err
	}
	b := &build{Service: s, d: d, period: sched.Period(), results: map[string]kpi.Result{}}
	if err := b.load(ctx); err != nil {
		return Report{}, err
	}
	msg := bot.Message{
		Title:  fmt.Sprintf("%s digest · %s (%s)", d.Name, b.period.Label(), b.span),
		Text:   b.narrative(),
		Footer: "Numbers as /kpi <metric> --period " + string(b.period) + " shows them · /digest preview " + d.Name,
	}
	for _, sec := range d.Sections {
		fields, err := b.section(ctx, sec)
		if err != nil {
			return Report{}, fmt.Errorf("digest %s section %s: %w", d.Name, sec, err)
		}
		msg.Fields = append(msg.Fields, fields...)
	}
	files, err := b.charts(ctx)
	if err != nil {
		return Report{}, fmt.Errorf("digest %s charts: %w", d.Name, err)
	}
	return Report{Message: msg, Files: files}, nil
}

// load computes the digest's KPIs (and the crisis KPIs the narrative
// quotes) and lists the crises of the current span.
func (b *build) load(ctx context.Context) error {
	ids := b.kpiIDs()
	for _, k := range b.Config.KPIs {
		if k.Source == kpi.SourceCrises && !slices.Contains(ids, k.ID) {
			ids = append(ids, k.ID)
		}
	}
	for _, id := range ids {
		res, err := b.kpis.Compute(ctx, kpi.Query{Metric: id, Period: b.period})
		if err != nil && !bot.IsCode(err, bot.EInvalid) {
			return err
		}
		if err == nil {
			b.results[strings.ToLower(id)] = res
			b.span = res.Spans[len(res.Spans)-1]
		}
	}
	if b.span.To.IsZero() {
		b.span = b.period.Spans(b.Clock.Now(), b.Config.Org.Location, 1)[0]
	}
	var err error
	if b.all, err = b.Store.ListCrises(ctx, true); err != nil {
		return fmt.Errorf("list crises: %w", err)
	}
	for _, cr := range b.all {
		if b.span.Contains(cr.OpenedAt) {
			b.crises = append(b.crises, cr)
		}
	}
	slices.SortFunc(b.crises, func(x, y store.Crisis) int { return x.OpenedAt.Compare(y.OpenedAt) })
	return nil
}

// kpiIDs are the digest's KPIs: its list, or every KPI.
func (b *build) kpiIDs() []string {
	if len(b.d.KPIs) > 0 {
		return b.d.KPIs
	}
	return b.Config.KPIIDs()
}

// narrative is two or three sentences from the numbers, no model: each of
// the first four KPIs' move and target, then the crises.
func (b *build) narrative() string {
	var parts []string
	for i, id := range b.kpiIDs() {
		if i == 4 {
			break
		}
		if res, ok := b.results[strings.ToLower(id)]; ok && res.Current().OK {
			parts = append(parts, kpiSentence(res))
		}
	}
	parts = append(parts, b.crisisSentence(len(parts) > 0))
	return strings.Join(parts, " ")
}

// kpiSentence: "Engagement rate rose 0.4 pp to 3.1%, below the 3.5% target."
func kpiSentence(r kpi.Result) string {
	k, cur, prev := r.KPI, r.Current(), r.Previous()
	s := k.Name + " " + move(k, cur, prev) + " " + kpi.FormatValue(k, cur)
	if k.Target != 0 {
		side := "below"
		if cur.V > k.Target {
			side = "above"
		}
		if cur.V == k.Target {
			side = "at"
		}
		verdict := "missing"
		if kpi.Met(k, cur) {
			verdict = "meeting"
		}
		s += fmt.Sprintf(", %s the %s target (%s it)", side, kpi.FormatValue(k, kpi.Value{V: k.Target, OK: true}), verdict)
	}
	return s + "."
}

// move says how the KPI moved, reusing /kpi's change text so the
// difference is written the same: "rose 0.4 pp to", "fell 3 min (−5%) to".
func move(k config.KPI, cur, prev kpi.Value) string {
	change := kpi.FormatChange(k, cur, prev)
	switch {
	case !prev.OK:
		return "is at"
	case cur.V == prev.V:
		return "held at"
	}
	// "▲ +0.4 pp, better" → "0.4 pp"
	diff := strings.TrimSpace(change[strings.Index(change, " "):strings.LastIndex(change, ",")])
	diff = strings.TrimLeft(diff, "+−")
	if cur.V > prev.V {
		return "rose " + diff + " to"
	}
	return "fell " + diff + " to"
}

// crisisSentence: "2 crises (1 sev2, 1 sev3); median time to assemble 4 min."
// The median time to assemble is left out when a KPI sentence said it.
func (b *build) crisisSentence(saidKPIs bool) string {
	if len(b.crises) == 0 {
		return "No crises."
	}
	bySev := map[string]int{}
	for _, cr := range b.crises {
		bySev[cr.Severity]++
	}
	var sevs []string
	for _, sev := range sortedKeys(bySev) {
		sevs = append(sevs, fmt.Sprintf("%d %s", bySev[sev], sev))
	}
	s := fmt.Sprintf("%d %s (%s)", len(b.crises), plural(len(b.crises), "crisis", "crises"), strings.Join(sevs, ", "))
	if res, ok := b.assembleKPI(); ok && res.Current().OK && !(saidKPIs && b.narrated(res.KPI.ID)) {
		s += "; median time to assemble " + kpi.FormatValue(res.KPI, res.Current())
	}
	return s + "."
}

// narrated reports whether the narrative's KPI sentences cover id.
func (b *build) narrated(id string) bool {
	ids := b.kpiIDs()
	return slices.ContainsFunc(ids[:min(4, len(ids))], func(x string) bool { return strings.EqualFold(x, id) })
}

// assembleKPI is the crisis KPI of the median time to assemble, if any.
func (b *build) assembleKPI() (kpi.Result, bool) {
	for _, res := range b.results {
		k := res.KPI
		if k.Source == kpi.SourceCrises && k.Formula == kpi.FormulaMedian && (k.Numerator == "" || k.Numerator == "assemble_minutes") {
			return res, true
		}
	}
	return kpi.Result{}, false
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func sortedKeys(m map[string]int) []string { return slices.Sorted(maps.Keys(m)) }

// crisisLine shows a crisis as a channel may see it.
func crisisLine(cr store.Crisis, loc *time.Location) string {
	brand := cr.Brand
	if brand == "" {
		brand = "all brands"
	}
	status := cr.Status
	return fmt.Sprintf("#%d %s · %s · %s · opened %s · %s", cr.ID, cr.Severity, brand,
		privacy.Title(cr, false), cr.OpenedAt.In(loc).Format("Mon 02 Jan 15:04"), status)
}
