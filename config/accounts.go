package config

import (
	"maps"
	"slices"
	"time"

	"go.yaml.in/yaml/v3"
)

// Defaults of the account inventory (/accounts).
const (
	DefaultReviewEvery     = 13 * 7 * 24 * time.Hour // a quarter
	DefaultReviewRemind    = 7 * 24 * time.Hour
	DefaultReviewEscalate  = 14 * 24 * time.Hour
	DefaultAbandonedAfter  = 90 * 24 * time.Hour
	DefaultSecurityRole    = "it-security"
	DefaultSecurityChannel = "#it-security"
)

// accountLevels are the access levels a course may be required for.
var accountLevels = []string{"admin", "publisher", "viewer"}

// Accounts holds the social account inventory's settings (/accounts).
type Accounts struct {
	ReviewEvery    time.Duration     `yaml:"review_every"`     // access review interval; default 2184h (13 weeks)
	Remind         time.Duration     `yaml:"remind"`           // an unconfirmed review is reminded after; default 168h
	Escalate       time.Duration     `yaml:"escalate"`         // and it-security told after; default 336h
	AbandonedAfter time.Duration     `yaml:"abandoned_after"`  // no post this long = abandoned; default 2160h
	SecurityRole   string            `yaml:"security_role"`    // who is told; default it-security
	SecurityChan   string            `yaml:"security_channel"` // where; default #it-security
	Training       map[string]string `yaml:"training"`         // access level -> course it requires
}

// accountsDefaults fills in the inventory's defaults.
func (c *Config) accountsDefaults(root *yaml.Node) {
	p := path{"accounts"}
	ifAbsent(root, p.with("review_every"), &c.Accounts.ReviewEvery, DefaultReviewEvery)
	ifAbsent(root, p.with("remind"), &c.Accounts.Remind, DefaultReviewRemind)
	ifAbsent(root, p.with("escalate"), &c.Accounts.Escalate, DefaultReviewEscalate)
	ifAbsent(root, p.with("abandoned_after"), &c.Accounts.AbandonedAfter, DefaultAbandonedAfter)
	ifAbsent(root, p.with("security_role"), &c.Accounts.SecurityRole, DefaultSecurityRole)
	ifAbsent(root, p.with("security_channel"), &c.Accounts.SecurityChan, DefaultSecurityChannel)
}

// accounts checks the inventory's settings.
func (k *checker) accounts() {
	a, p := k.cfg.Accounts, path{"accounts"}
	for name, d := range map[string]time.Duration{"review_every": a.ReviewEvery, "remind": a.Remind, "escalate": a.Escalate, "abandoned_after": a.AbandonedAfter} {
		if d <= 0 {
			k.errorf(p.with(name), "must be a positive duration, got %s", d)
		}
	}
	if a.Remind >= a.Escalate {
		k.errorf(p.with("remind"), "must come before escalate (%s), got %s", a.Escalate, a.Remind)
	}
	// The default role may be missing from a small configuration: then
	// nobody is named and only the channel is told.
	if has(k.root, p.with("security_role")) {
		k.ref(p.with("security_role"), "role", k.roles, a.SecurityRole)
	}
	for _, level := range slices.Sorted(maps.Keys(a.Training)) {
		if !slices.Contains(accountLevels, level) {
			k.errorf(p.with("training", level), "unknown access level %q; levels: admin, publisher, viewer", level)
		}
		if a.Training[level] == "" {
			k.errorf(p.with("training", level), "name the course")
		}
	}
}
