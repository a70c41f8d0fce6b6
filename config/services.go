package config

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Service is one entry of the CoE's service catalogue (/request).
type Service struct {
	Name        string `yaml:"name"` // typed as /request <name> …
	Description string `yaml:"description"`
	Owner       string `yaml:"owner"`      // the role that delivers it
	Turnaround  int    `yaml:"turnaround"` // business days from the request (or the queued week's start)
	Capacity    int    `yaml:"capacity"`   // requests a week; more are queued to the next week with room
	// Fields are the --field values a request must give; Optional the
	// ones it may give.
	Fields   []string `yaml:"fields"`
	Optional []string `yaml:"optional"`
	Channel  string   `yaml:"channel"` // where requests are posted; default channels.social
}

// reservedServices are /request's subcommands, which a service name would
// shadow.
var reservedServices = []string{"list", "claim", "update", "done", "cancel", "new"}

// fieldName is the form of a field: typed as --name, and the router reads
// option names lower-cased.
var fieldName = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

// dateLayout is how holidays are written.
const dateLayout = "2006-01-02"

// Service returns the catalogue entry named name (case-insensitive).
func (c *Config) Service(name string) (Service, bool) {
	for _, s := range c.Services {
		if strings.EqualFold(s.Name, name) {
			return s, true
		}
	}
	return Service{}, false
}

// ServiceNames lists the catalogue's services in configuration order.
func (c *Config) ServiceNames() []string {
	names := make([]string, len(c.Services))
	for i, s := range c.Services {
		names[i] = s.Name
	}
	return names
}

// ServiceFields lists every field any service takes, sorted: /request
// declares them all as options, and each service checks its own.
func (c *Config) ServiceFields() []string {
	var out []string
	for _, s := range c.Services {
		for _, f := range slices.Concat(s.Fields, s.Optional) {
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	slices.Sort(out)
	return out
}

// Takes reports whether a request for s may give --field.
func (s Service) Takes(field string) bool {
	return slices.Contains(s.Fields, field) || slices.Contains(s.Optional, field)
}

// IsHoliday reports whether t falls, in the org's time zone, on one of the
// configured holidays.
func (o Org) IsHoliday(t time.Time) bool {
	return slices.Contains(o.Holidays, t.In(o.Location).Format(dateLayout))
}

// services checks the catalogue and the holidays.
func (k *checker) services() {
	for i, h := range k.cfg.Org.Holidays {
		if _, err := time.Parse(dateLayout, h); err != nil {
			k.errorf(path{"org", "holidays", i}, "invalid date %q: write YYYY-MM-DD", h)
		}
	}
	ss, p := k.cfg.Services, path{"services"}
	k.unique(p, "name", len(ss), func(i int) string { return ss[i].Name })
	for i, s := range ss {
		sp := p.with(i)
		switch {
		case !validID.MatchString(s.Name):
			k.errorf(sp.with("name"), "invalid service name %q: use letters, digits, '.', '_' and '-'", s.Name)
		case slices.Contains(reservedServices, strings.ToLower(s.Name)):
			k.errorf(sp.with("name"), "%q is a /request subcommand; pick another name", s.Name)
		}
		k.ref(sp.with("owner"), "role", k.roles, s.Owner)
		if s.Turnaround < 1 {
			k.errorf(sp.with("turnaround"), "must be at least 1 business day, got %d", s.Turnaround)
		}
		if s.Capacity < 1 {
			k.errorf(sp.with("capacity"), "must be at least 1 request a week, got %d", s.Capacity)
		}
		k.channel(sp.with("channel"), s.Channel)
		k.fields(sp, s)
	}
}

func (k *checker) fields(p path, s Service) {
	all := slices.Concat(s.Fields, s.Optional)
	for i, f := range all {
		list, j := "fields", i
		if i >= len(s.Fields) {
			list, j = "optional", i-len(s.Fields)
		}
		switch {
		case !fieldName.MatchString(f):
			k.errorf(p.with(list, j), "invalid field %q: use lower-case letters, digits and '-', starting with a letter", f)
		case slices.Index(all, f) < i:
			k.errorf(p.with(list, j), "field %q is listed twice", f)
		}
	}
}
