// Package config loads and validates Interlock's YAML configuration and the
// environment. It is the only package besides cmd/ that reads the
// environment.
package config

import "time"

// Config is the whole configuration.
type Config struct {
	Org         Org                 `yaml:"org"`
	People      []Person            `yaml:"people"`
	Brands      []Brand             `yaml:"brands"`
	Roles       []Role              `yaml:"roles"`
	Departments []Department        `yaml:"departments"`
	Channels    Channels            `yaml:"channels"`
	Playbook    map[string]Severity `yaml:"playbook"` // sev1..sev4
	Routing     Routing             `yaml:"routing"`
	Listening   Listening           `yaml:"listening"`
	KPIs        []KPI               `yaml:"kpis"`
	Syncs       Syncs               `yaml:"syncs"`
	Tests       Tests               `yaml:"tests"`
	Approvals   Approvals           `yaml:"approvals"`
	Content     Content             `yaml:"content"`
	Accounts    Accounts            `yaml:"accounts"`
	Services    []Service           `yaml:"services"` // the CoE's service catalogue (/request)
	Templates   Templates           `yaml:"templates"`
	Digests     []Digest            `yaml:"digests"`
	Permissions map[string][]string `yaml:"permissions"` // permission key -> roles allowed
	Env         Env                 `yaml:"-"`
	Source      string              `yaml:"-"` // file path, or "embedded example"
	index       index               `yaml:"-"` // lookups, built by Parse
}

// Org holds organisation-wide settings.
type Org struct {
	Name     string         `yaml:"name"`
	TimeZone string         `yaml:"timezone"` // IANA, e.g. Europe/Berlin
	CoELead  string         `yaml:"coe_lead"` // person id; may run every permissioned command
	Holidays []string       `yaml:"holidays"` // YYYY-MM-DD, skipped with weekends in business days
	Location *time.Location `yaml:"-"`
}

// Person is someone in the workspace. ID is the handle typed as @id.
type Person struct {
	ID        string `yaml:"id"`
	Name      string `yaml:"name"`
	Email     string `yaml:"email"`
	SlackID   string `yaml:"slack_id"`
	DiscordID string `yaml:"discord_id"`
}

// Brand is one brand of the organisation.
type Brand struct {
	ID   string `yaml:"id"`
	Name string `yaml:"name"`
	// Languages are the languages of the brand's mentions (en, de, fr, es):
	// their stop-words are left out of an alert's rising terms. Default en.
	Languages []string `yaml:"languages"`
}

// Role is a named responsibility with holders per brand ("" = all brands).
type Role struct {
	ID          string   `yaml:"id"`
	Description string   `yaml:"description"`
	Holders     []Holder `yaml:"holders"`
}

// Holder is a person holding a role, optionally for one brand, optionally as
// backup.
type Holder struct {
	Person string `yaml:"person"`
	Brand  string `yaml:"brand"`
	Backup bool   `yaml:"backup"`
}

// Department is a partner department that answers routed issues.
type Department struct {
	ID          string        `yaml:"id"`
	Name        string        `yaml:"name"`
	LiaisonRole string        `yaml:"liaison_role"`
	Channel     string        `yaml:"channel"` // e.g. "#customer-care"
	SLA         time.Duration `yaml:"sla"`     // first-response target; Parse fills in Routing.SLA when omitted
}

// Channels names the configured channels.
type Channels struct {
	Listening string `yaml:"listening"` // listening alerts
	Social    string `yaml:"social"`    // social team: notes, escalations
	Announce  string `yaml:"announce"`  // all-brands announcements (test results)
	Crisis    string `yaml:"crisis"`    // where crisis openings are announced
}

// Severity is one level of the crisis playbook.
type Severity struct {
	Level            string        `yaml:"-"` // the playbook key, sev1..sev4
	Name             string        `yaml:"name"`
	Meaning          []string      `yaml:"meaning"`
	Invite           []string      `yaml:"invite"`    // roles
	Approvers        []string      `yaml:"approvers"` // roles
	Quorum           int           `yaml:"quorum"`
	CheckIn          time.Duration `yaml:"checkin"`
	HoldingStatement string        `yaml:"holding_statement"`
	Spokesperson     string        `yaml:"spokesperson_role"`
	// Classification thresholds used by listening alerts (0 = unused).
	VolumeMultiple float64 `yaml:"volume_multiple"`
	NegativeShare  float64 `yaml:"negative_share"`
	MinReach       int64   `yaml:"min_reach"`
	Press          bool    `yaml:"press"`
}

// Routing holds the routed-issue rules.
type Routing struct {
	Default  string        `yaml:"default"`     // department id
	SLA      time.Duration `yaml:"sla"`         // default first-response target
	Reminder float64       `yaml:"reminder_at"` // share of the SLA, 0.5
	Escalate float64       `yaml:"escalate_at"` // share of the SLA, 1.0
	Rules    []RoutingRule `yaml:"rules"`
	Outbound Outbound      `yaml:"outbound"`
	// Classifier proposes a department when no rule matches.
	Classifier Classifier `yaml:"classifier"`
}

// Classifier is the routing classifier: naive Bayes over the words of past
// issues and the department that answered them.
type Classifier struct {
	Enabled     bool    `yaml:"enabled"`      // default true
	Threshold   float64 `yaml:"threshold"`    // the confidence it needs to route, 0–1
	MinExamples int     `yaml:"min_examples"` // answered issues a department needs before it is proposed
}

// RoutingRule routes text matching any keyword to a department.
type RoutingRule struct {
	Name       string   `yaml:"name"`
	Keywords   []string `yaml:"keywords"`
	Department string   `yaml:"department"`
}

// Outbound is where answers to routed issues are sent back (a social inbox).
type Outbound struct {
	URL    string `yaml:"url"`
	Secret string `yaml:"secret"` // HMAC-SHA256 of the body, X-Interlock-Signature
}

// Listening holds spike-detection settings.
type Listening struct {
	MinMentions    int64         `yaml:"min_mentions"`    // a window below this never alerts
	BaselineWindow time.Duration `yaml:"baseline_window"` // e.g. 168h
	K              float64       `yaml:"k"`               // standard deviations
	RepeatInterval time.Duration `yaml:"repeat_interval"` // re-notify an active alert
	QuietPeriod    time.Duration `yaml:"quiet_period"`    // an alert whose source sends nothing this long resolves
	AutoOpen       string        `yaml:"auto_open"`       // severity that opens a crisis room; "" = never
	// MentionRetention is how long single mentions (POST /hooks/mentions)
	// are kept for alert evidence before they are pruned.
	MentionRetention time.Duration `yaml:"mention_retention"`
}

// KPI is one metric definition.
type KPI struct {
	ID          string  `yaml:"id"`
	Name        string  `yaml:"name"`
	Formula     string  `yaml:"formula"` // "ratio" (Σnumerator/Σdenominator), "value" (latest/sum), "median", "p90"
	Numerator   string  `yaml:"numerator"`
	Denominator string  `yaml:"denominator"`
	Aggregate   string  `yaml:"aggregate"` // for "value": sum | mean | last
	Unit        string  `yaml:"unit"`      // "%", "min", "", ...
	Better      string  `yaml:"better"`    // higher | lower
	Target      float64 `yaml:"target"`
	Source      string  `yaml:"source"` // "data" (hooks/import), "routing", "crises", "content", "requests"
	// Signed lets a data point's value or numerator be negative (a net
	// score such as positive minus negative mentions); otherwise it is refused.
	Signed bool `yaml:"signed"`
}

// Syncs holds defaults for cross-functional syncs.
type Syncs struct {
	Week       string        `yaml:"week"`        // first|second|third|fourth|last
	Weekday    string        `yaml:"weekday"`     // tue
	Time       string        `yaml:"time"`        // 15:00
	Duration   time.Duration `yaml:"duration"`    // 30m
	AgendaLead time.Duration `yaml:"agenda_lead"` // 24h before
}

// Tests holds the testing-sheet settings.
type Tests struct {
	PickDay  int    `yaml:"pick_day"`  // day of month for the monthly pick
	PickTime string `yaml:"pick_time"` // "10:00"
}

// Approvals holds the rules every approval shares (crisis proposals and
// content stages).
type Approvals struct {
	// SegregationOfDuties refuses an approval by whoever submitted the item
	// (default true).
	SegregationOfDuties bool `yaml:"segregation_of_duties"`
}

// Content holds the content-approval chains (/content).
type Content struct {
	DefaultSensitivity string                 `yaml:"default_sensitivity"` // default "medium"
	PublishWarning     time.Duration          `yaml:"publish_warning"`     // warn this long before --publish-at; default 2h
	Sensitivity        map[string]Sensitivity `yaml:"sensitivity"`         // level -> chain
}

// Templates holds the reply-template settings (/template).
type Templates struct {
	// Sensitivity is the content level whose chain approves each version
	// (default "high": comms, then legal).
	Sensitivity string `yaml:"sensitivity"`
}

// Sensitivity is one level's approval chain.
type Sensitivity struct {
	Level     string         `yaml:"-"` // the map key
	Stages    []ContentStage `yaml:"stages"`
	FastTrack FastTrack      `yaml:"fast_track"`
	NeverSkip []string       `yaml:"never_skip"` // stage names fast-track can never skip
}

// ContentStage is one step of a chain: who approves, how many roles, how fast.
type ContentStage struct {
	Name      string        `yaml:"name"`
	Approvers []string      `yaml:"approvers"` // roles
	Quorum    int           `yaml:"quorum"`    // distinct roles; default 1
	Target    time.Duration `yaml:"target"`    // turnaround: reminder at 50%, escalation at 100%
	// FastTarget is the target when fast-tracked; 0 = Target × FastTrack.TargetFactor.
	FastTarget time.Duration `yaml:"fast_track_target"`
}

// FastTrack says what --fast-track changes in a chain.
type FastTrack struct {
	Parallel     bool     `yaml:"parallel"`      // every stage asks at once
	TargetFactor float64  `yaml:"target_factor"` // shorter targets, 0 < f ≤ 1; default 1
	Skip         []string `yaml:"skip"`          // stages left out (never a never_skip stage)
}

// Env is what comes from the environment (DESIGN.md §7).
type Env struct {
	ConfigPath         string
	DataDir            string
	HTTPAddr           string
	MetricsAddr        string // INTERLOCK_METRICS_ADDR: /metrics on its own listener when set
	DatabaseURL        string
	RedisURL           string
	SlackBotToken      string
	SlackAppToken      string
	SlackSigningSecret string
	SlackAPIURL        string
	DiscordBotToken    string
	DiscordAppID       string
	DiscordPublicKey   string
	DiscordGuildID     string
	DiscordAPIURL      string
	WebhookToken       string
	WebhookSecret      string
	WebhookSigningKey  string // INTERLOCK_WEBHOOK_SIGNING_KEY: whsec_<base64>, Standard Webhooks
	LogLevel           string
	// The command center (README "Command center"); the page is off until
	// all three are set.
	SessionSecret string // INTERLOCK_SESSION_SECRET: signs sessions, links and CSRF tokens
	WallToken     string // INTERLOCK_WALL_TOKEN: read-only wall screens
	PublicURL     string // INTERLOCK_PUBLIC_URL: the base of links the bot hands out
}
