package config

import (
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Defaults for settings a configuration leaves out.
const (
	DefaultTimeZone       = "UTC"
	DefaultSLA            = 60 * time.Minute
	DefaultReminderAt     = 0.5
	DefaultEscalateAt     = 1.0
	DefaultMinMentions    = 100
	DefaultBaselineWindow = 168 * time.Hour
	DefaultK              = 3.0
	DefaultRepeatInterval = 4 * time.Hour
	DefaultQuietPeriod    = 6 * time.Hour
	// DefaultMentionRetention keeps single mentions 30 days.
	DefaultMentionRetention = 30 * 24 * time.Hour
	DefaultClassifierMin    = 5
	DefaultClassifierConf   = 0.6
	DefaultSensitivity      = "medium"
	DefaultTemplateLevel    = "high"
	DefaultPublishWarning   = 2 * time.Hour
)

// defaultChannels are the channels used when the configuration names none.
var defaultChannels = Channels{
	Listening: "#social-listening",
	Social:    "#social-team",
	Announce:  "#all-brands",
	Crisis:    "#crisis-alerts",
}

// defaultSyncs and defaultTests apply setting by setting.
var (
	defaultSyncs = Syncs{Week: "first", Weekday: "tue", Time: "15:00", Duration: 30 * time.Minute, AgendaLead: 24 * time.Hour}
	defaultTests = Tests{PickDay: 1, PickTime: "10:00"}
)

// applyDefaults fills in settings that root leaves out. Numbers and
// durations take their default only when absent, so an explicit 0 is kept
// (and rejected by validation where 0 makes no sense); empty names take the
// id.
func (c *Config) applyDefaults(root *yaml.Node) {
	orDefault(&c.Org.TimeZone, DefaultTimeZone)
	c.defaultNames()
	orDefault(&c.Channels.Listening, defaultChannels.Listening)
	orDefault(&c.Channels.Social, defaultChannels.Social)
	orDefault(&c.Channels.Announce, defaultChannels.Announce)
	orDefault(&c.Channels.Crisis, defaultChannels.Crisis)

	r := path{"routing"}
	ifAbsent(root, r.with("sla"), &c.Routing.SLA, DefaultSLA)
	ifAbsent(root, r.with("reminder_at"), &c.Routing.Reminder, DefaultReminderAt)
	ifAbsent(root, r.with("escalate_at"), &c.Routing.Escalate, DefaultEscalateAt)
	for i := range c.Departments {
		orDefault(&c.Departments[i].SLA, c.Routing.SLA)
	}
	rc := r.with("classifier")
	ifAbsent(root, rc.with("enabled"), &c.Routing.Classifier.Enabled, true)
	ifAbsent(root, rc.with("threshold"), &c.Routing.Classifier.Threshold, DefaultClassifierConf)
	ifAbsent(root, rc.with("min_examples"), &c.Routing.Classifier.MinExamples, DefaultClassifierMin)
	for i := range c.Routing.Rules {
		for j, k := range c.Routing.Rules[i].Keywords {
			c.Routing.Rules[i].Keywords[j] = strings.ToLower(strings.TrimSpace(k))
		}
	}

	l := path{"listening"}
	ifAbsent(root, l.with("min_mentions"), &c.Listening.MinMentions, DefaultMinMentions)
	ifAbsent(root, l.with("baseline_window"), &c.Listening.BaselineWindow, DefaultBaselineWindow)
	ifAbsent(root, l.with("k"), &c.Listening.K, DefaultK)
	ifAbsent(root, l.with("repeat_interval"), &c.Listening.RepeatInterval, DefaultRepeatInterval)
	ifAbsent(root, l.with("quiet_period"), &c.Listening.QuietPeriod, DefaultQuietPeriod)
	ifAbsent(root, l.with("mention_retention"), &c.Listening.MentionRetention, DefaultMentionRetention)
	for i := range c.Brands {
		if len(c.Brands[i].Languages) == 0 {
			c.Brands[i].Languages = []string{"en"}
		}
	}

	s := path{"syncs"}
	ifAbsent(root, s.with("week"), &c.Syncs.Week, defaultSyncs.Week)
	ifAbsent(root, s.with("weekday"), &c.Syncs.Weekday, defaultSyncs.Weekday)
	ifAbsent(root, s.with("time"), &c.Syncs.Time, defaultSyncs.Time)
	ifAbsent(root, s.with("duration"), &c.Syncs.Duration, defaultSyncs.Duration)
	ifAbsent(root, s.with("agenda_lead"), &c.Syncs.AgendaLead, defaultSyncs.AgendaLead)
	ifAbsent(root, path{"tests", "pick_day"}, &c.Tests.PickDay, defaultTests.PickDay)
	ifAbsent(root, path{"tests", "pick_time"}, &c.Tests.PickTime, defaultTests.PickTime)
	ifAbsent(root, path{"approvals", "segregation_of_duties"}, &c.Approvals.SegregationOfDuties, true)
	c.contentDefaults(root)
	c.accountsDefaults(root)
	for i := range c.Services {
		orDefault(&c.Services[i].Channel, c.Channels.Social)
	}
}

// contentDefaults fills in the content chains' defaults.
func (c *Config) contentDefaults(root *yaml.Node) {
	ifAbsent(root, path{"content", "default_sensitivity"}, &c.Content.DefaultSensitivity, DefaultSensitivity)
	ifAbsent(root, path{"content", "publish_warning"}, &c.Content.PublishWarning, DefaultPublishWarning)
	ifAbsent(root, path{"templates", "sensitivity"}, &c.Templates.Sensitivity, DefaultTemplateLevel)
	for level, s := range c.Content.Sensitivity {
		s.Level = level
		p := path{"content", "sensitivity", level}
		ifAbsent(root, p.with("fast_track", "target_factor"), &s.FastTrack.TargetFactor, 1)
		for i := range s.Stages {
			ifAbsent(root, p.with("stages", i, "quorum"), &s.Stages[i].Quorum, 1)
		}
		c.Content.Sensitivity[level] = s
	}
}

// defaultNames gives unnamed people, brands, departments, severities and
// KPIs their id as name, and KPIs their default kind settings.
func (c *Config) defaultNames() {
	for i := range c.People {
		orDefault(&c.People[i].Name, c.People[i].ID)
	}
	for i := range c.Brands {
		orDefault(&c.Brands[i].Name, c.Brands[i].ID)
	}
	for i := range c.Departments {
		orDefault(&c.Departments[i].Name, c.Departments[i].ID)
	}
	for level, sev := range c.Playbook {
		sev.Level = level
		orDefault(&sev.Name, level)
		c.Playbook[level] = sev
	}
	for i := range c.KPIs {
		k := &c.KPIs[i]
		orDefault(&k.Name, k.ID)
		orDefault(&k.Better, "higher")
		orDefault(&k.Source, "data")
		if k.Formula == "value" {
			orDefault(&k.Aggregate, "last")
		}
	}
}

// orDefault sets *field to def when it holds the zero value.
func orDefault[T comparable](field *T, def T) {
	var zero T
	if *field == zero {
		*field = def
	}
}

// ifAbsent sets *field to def when root has no setting at p.
func ifAbsent[T any](root *yaml.Node, p path, field *T, def T) {
	if !has(root, p) {
		*field = def
	}
}

// has tells whether the setting at p is present in root.
func has(root *yaml.Node, p path) bool {
	n := root
	for _, elem := range p {
		if _, n = step(n, elem); n == nil {
			return false
		}
	}
	return true
}
