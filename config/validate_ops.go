package config

import (
	"maps"
	"net/url"
	"slices"
	"strings"
)

func (k *checker) playbook() {
	p := path{"playbook"}
	var missing []string
	for _, level := range severityLevels() {
		sev, ok := k.cfg.Playbook[level]
		if !ok {
			missing = append(missing, level)
			continue
		}
		k.severity(p.with(level), sev)
	}
	if len(missing) > 0 {
		k.errorf(p, "missing %s; the playbook needs sev1, sev2, sev3 and sev4", strings.Join(missing, ", "))
	}
	for _, level := range slices.Sorted(maps.Keys(k.cfg.Playbook)) {
		if !slices.Contains(severityLevels(), level) {
			k.errorf(p.with(level), "unknown level %q; use sev1, sev2, sev3 and sev4", level)
		}
	}
}

func (k *checker) severity(p path, s Severity) {
	if len(s.Invite) == 0 {
		k.errorf(p.with("invite"), "invite at least one role")
	}
	for i, role := range s.Invite {
		k.ref(p.with("invite", i), "role", k.roles, role)
	}
	for i, role := range s.Approvers {
		k.ref(p.with("approvers", i), "role", k.roles, role)
	}
	switch {
	case len(s.Approvers) == 0:
		k.errorf(p.with("approvers"), "name at least one approver role")
	case s.Quorum < 1 || s.Quorum > len(s.Approvers):
		k.errorf(p.with("quorum"), "must be between 1 and %d (the number of approvers), got %d", len(s.Approvers), s.Quorum)
	}
	k.positive(p.with("checkin"), s.CheckIn)
	if s.Spokesperson != "" {
		k.ref(p.with("spokesperson_role"), "role", k.roles, s.Spokesperson)
	}
	if s.VolumeMultiple < 0 {
		k.errorf(p.with("volume_multiple"), "must not be negative, got %g", s.VolumeMultiple)
	}
	if s.NegativeShare < 0 || s.NegativeShare > 1 {
		k.errorf(p.with("negative_share"), "must be a share between 0 and 1 (0.4 = 40%%), got %g", s.NegativeShare)
	}
	if s.MinReach < 0 {
		k.errorf(p.with("min_reach"), "must not be negative, got %d", s.MinReach)
	}
}

func (k *checker) routing() {
	r, p := k.cfg.Routing, path{"routing"}
	if r.Default != "" || len(k.cfg.Departments) > 0 {
		k.ref(p.with("default"), "department", k.depts, r.Default)
	}
	k.positive(p.with("sla"), r.SLA)
	switch {
	case r.Reminder <= 0:
		k.errorf(p.with("reminder_at"), "must be a share of the SLA above 0 (0.5 = halfway), got %g", r.Reminder)
	case r.Escalate <= 0:
		k.errorf(p.with("escalate_at"), "must be a share of the SLA above 0 (1.0 = at the SLA), got %g", r.Escalate)
	case r.Reminder >= r.Escalate:
		k.errorf(p.with("reminder_at"), "must be below escalate_at (%g), got %g", r.Escalate, r.Reminder)
	}
	for i, rule := range r.Rules {
		rp := p.with("rules", i)
		k.ref(rp.with("department"), "department", k.depts, rule.Department)
		if len(rule.Keywords) == 0 {
			k.errorf(rp.with("keywords"), "list at least one keyword")
		}
		for j, kw := range rule.Keywords {
			if kw == "" {
				k.errorf(rp.with("keywords", j), "empty keyword")
			}
		}
	}
	if cl := r.Classifier; cl.Threshold <= 0 || cl.Threshold > 1 {
		k.errorf(p.with("classifier", "threshold"), "must be a confidence above 0 and at most 1 (0.6 = 60%%), got %g", cl.Threshold)
	}
	if r.Classifier.MinExamples < 1 {
		k.errorf(p.with("classifier", "min_examples"), "must be at least 1, got %d", r.Classifier.MinExamples)
	}
	if u := r.Outbound.URL; u != "" {
		parsed, err := url.Parse(u)
		if err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "" {
			k.errorf(p.with("outbound", "url"), "invalid URL %q: want http(s)://host/path", u)
		}
	}
}

func (k *checker) listening() {
	l, p := k.cfg.Listening, path{"listening"}
	if l.MinMentions < 0 {
		k.errorf(p.with("min_mentions"), "must not be negative, got %d", l.MinMentions)
	}
	k.positive(p.with("baseline_window"), l.BaselineWindow)
	if l.K <= 0 {
		k.errorf(p.with("k"), "must be above 0 (standard deviations), got %g", l.K)
	}
	k.positive(p.with("repeat_interval"), l.RepeatInterval)
	k.positive(p.with("quiet_period"), l.QuietPeriod)
	k.positive(p.with("mention_retention"), l.MentionRetention)
	for i, b := range k.cfg.Brands {
		for j, lang := range b.Languages {
			k.oneOf(path{"brands", i, "languages", j}, lang, "en", "de", "fr", "es")
		}
	}
	if l.AutoOpen != "" && !slices.Contains(severityLevels(), l.AutoOpen) {
		k.errorf(p.with("auto_open"), `want one of sev1, sev2, sev3, sev4 or "" (never), got %q`, l.AutoOpen)
	}
}

func (k *checker) kpis() {
	for i, kpi := range k.cfg.KPIs {
		p := path{"kpis", i}
		k.oneOf(p.with("formula"), kpi.Formula, "ratio", "value", "median", "p90")
		switch kpi.Formula {
		case "ratio":
			if kpi.Numerator == "" {
				k.errorf(p.with("numerator"), "a ratio needs a numerator")
			}
			if kpi.Denominator == "" {
				k.errorf(p.with("denominator"), "a ratio needs a denominator")
			}
		case "value":
			k.oneOf(p.with("aggregate"), kpi.Aggregate, "sum", "mean", "last")
		}
		k.oneOf(p.with("better"), kpi.Better, "higher", "lower")
		k.oneOf(p.with("source"), kpi.Source, "data", "routing", "crises", "content", "requests")
	}
}

// schedules checks the sync defaults and the monthly test pick.
func (k *checker) schedules() {
	s, p := k.cfg.Syncs, path{"syncs"}
	if _, err := ParseWeek(s.Week); err != nil {
		k.errorf(p.with("week"), "%v", err)
	}
	if _, err := ParseWeekday(s.Weekday); err != nil {
		k.errorf(p.with("weekday"), "%v", err)
	}
	if _, _, err := ParseClock(s.Time); err != nil {
		k.errorf(p.with("time"), "%v", err)
	}
	k.positive(p.with("duration"), s.Duration)
	if s.AgendaLead < 0 {
		k.errorf(p.with("agenda_lead"), "must not be negative, got %s", s.AgendaLead)
	}
	t := k.cfg.Tests
	if t.PickDay < 1 || t.PickDay > 28 {
		k.errorf(path{"tests", "pick_day"}, "must be a day of the month from 1 to 28 (every month has it), got %d", t.PickDay)
	}
	if _, _, err := ParseClock(t.PickTime); err != nil {
		k.errorf(path{"tests", "pick_time"}, "%v", err)
	}
}
