package config

import (
	"slices"
	"strings"
	"time"
)

// Digest is a periodic report for one audience, posted to a channel on a
// weekly or monthly schedule in a time zone (like syncs): a narrative
// computed from the data, then its sections in order.
type Digest struct {
	Name     string   `yaml:"name"`
	Channel  string   `yaml:"channel"`
	Every    string   `yaml:"every"`    // weekly | monthly
	Week     string   `yaml:"week"`     // monthly: first|second|third|fourth|last (default first)
	Weekday  string   `yaml:"weekday"`  // mon
	Time     string   `yaml:"time"`     // 09:00
	TimeZone string   `yaml:"timezone"` // IANA; default org.timezone
	Sections []string `yaml:"sections"` // in order; see DigestSections
	KPIs     []string `yaml:"kpis"`     // for the kpis section; default every KPI
	// Location is TimeZone resolved by validation.
	Location *time.Location `yaml:"-"`
}

// DigestSections are the sections a digest may list.
var DigestSections = []string{"kpis", "crises", "alerts", "routed", "tests", "decisions", "content"}

// Digest returns the digest named name (case ignored).
func (c *Config) Digest(name string) (Digest, bool) {
	for _, d := range c.Digests {
		if strings.EqualFold(d.Name, name) {
			return d, true
		}
	}
	return Digest{}, false
}

// digests checks every digest and resolves its time zone.
func (k *checker) digests() {
	k.unique(path{"digests"}, "name", len(k.cfg.Digests), func(i int) string { return k.cfg.Digests[i].Name })
	for i := range k.cfg.Digests {
		d, p := &k.cfg.Digests[i], path{"digests", i}
		if !validID.MatchString(d.Name) {
			k.errorf(p.with("name"), "invalid name %q: use letters, digits, '.', '_' and '-'", d.Name)
		}
		k.channel(p.with("channel"), d.Channel)
		k.oneOf(p.with("every"), d.Every, "weekly", "monthly")
		if d.Every == "monthly" {
			if d.Week == "" {
				d.Week = "first"
			}
			if _, err := ParseWeek(d.Week); err != nil {
				k.errorf(p.with("week"), "%v", err)
			}
		}
		if _, err := ParseWeekday(d.Weekday); err != nil {
			k.errorf(p.with("weekday"), "%v", err)
		}
		if _, _, err := ParseClock(d.Time); err != nil {
			k.errorf(p.with("time"), "%v", err)
		}
		k.digestZone(p, d)
		for j, s := range d.Sections {
			k.oneOf(p.with("sections", j), s, DigestSections...)
		}
		for j, id := range d.KPIs {
			if !slices.ContainsFunc(k.cfg.KPIs, func(kpi KPI) bool { return strings.EqualFold(kpi.ID, id) }) {
				k.errorf(p.with("kpis", j), "unknown KPI %q", id)
			}
		}
	}
}

func (k *checker) digestZone(p path, d *Digest) {
	d.Location = k.cfg.Org.Location
	if d.TimeZone == "" {
		return
	}
	loc, err := time.LoadLocation(d.TimeZone)
	if err != nil || d.TimeZone == "Local" {
		k.errorf(p.with("timezone"), "unknown time zone %q; use an IANA name like Europe/Berlin", d.TimeZone)
		return
	}
	d.Location = loc
}
