package config

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Special values a permission list may hold besides role ids. They mirror
// bot.AllowAnyone, bot.AllowRoomMembers and bot.AllowApprovers.
var specialPermissions = []string{"anyone", "room-members", "approvers"}

// validID is the form of every id: handles, brands, roles, departments, KPIs.
var validID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// checker collects the problems of one configuration, locating each in the
// parsed document.
type checker struct {
	cfg  *Config
	file string
	root *yaml.Node
	errs []*Error
	// Known ids, lower-cased, for reference checks.
	people, brands, roles, depts map[string]bool
}

// validate checks c, whose text was parsed into root, and resolves
// Org.Location. It returns every problem found.
func (c *Config) validate(file string, root *yaml.Node) []*Error {
	k := &checker{cfg: c, file: file, root: root}
	k.people = k.ids(path{"people"}, len(c.People), func(i int) string { return c.People[i].ID })
	k.brands = k.ids(path{"brands"}, len(c.Brands), func(i int) string { return c.Brands[i].ID })
	k.roles = k.ids(path{"roles"}, len(c.Roles), func(i int) string { return c.Roles[i].ID })
	k.depts = k.ids(path{"departments"}, len(c.Departments), func(i int) string { return c.Departments[i].ID })
	k.ids(path{"kpis"}, len(c.KPIs), func(i int) string { return c.KPIs[i].ID })
	k.org()
	k.contacts()
	k.holders()
	k.departments()
	k.channels()
	k.playbook()
	k.routing()
	k.listening()
	k.kpis()
	k.schedules()
	k.content()
	k.accounts()
	k.services()
	k.digests()
	k.permissions()
	return k.errs
}

// errorf records a problem with the setting at p.
func (k *checker) errorf(p path, format string, args ...any) {
	k.errs = append(k.errs, &Error{
		File: k.file,
		Line: lineOf(k.root, p),
		Path: p.String(),
		Msg:  fmt.Sprintf(format, args...),
	})
}

// ids checks that the n ids of the list at p are present, well formed and
// unique (ignoring case), and returns them lower-cased.
func (k *checker) ids(p path, n int, id func(int) string) map[string]bool {
	for i := range n {
		if v := id(i); v != "" && !validID.MatchString(v) {
			k.errorf(p.with(i, "id"), "invalid id %q: use letters, digits, '.', '_' and '-'", v)
		} else if v == "" {
			k.errorf(p.with(i, "id"), "missing id")
		}
	}
	return k.unique(p, "id", n, id)
}

// unique checks that the non-empty values of field in the list at p differ,
// ignoring case, and returns them lower-cased.
func (k *checker) unique(p path, field string, n int, value func(int) string) map[string]bool {
	first := make(map[string]int, n)
	for i := range n {
		v := strings.ToLower(value(i))
		if v == "" {
			continue
		}
		if j, dup := first[v]; dup {
			k.errorf(p.with(i, field), "duplicate %s %q (first at line %d)", field, value(i), lineOf(k.root, p.with(j, field)))
			continue
		}
		first[v] = i
	}
	known := make(map[string]bool, len(first))
	for v := range first {
		known[v] = true
	}
	return known
}

// ref checks that id names one of the known things of kind.
func (k *checker) ref(p path, kind string, known map[string]bool, id string) {
	switch {
	case id == "":
		k.errorf(p, "missing %s id", kind)
	case !known[strings.ToLower(id)]:
		k.errorf(p, "unknown %s %q", kind, id)
	}
}

// oneOf checks that value is one of allowed.
func (k *checker) oneOf(p path, value string, allowed ...string) {
	if !slices.Contains(allowed, value) {
		k.errorf(p, "want one of %s, got %q", strings.Join(allowed, ", "), value)
	}
}

// positive checks that a duration is above zero.
func (k *checker) positive(p path, d time.Duration) {
	if d <= 0 {
		k.errorf(p, "must be a positive duration like 30m, got %s", d)
	}
}

func (k *checker) org() {
	o := &k.cfg.Org
	loc, err := time.LoadLocation(o.TimeZone)
	if err != nil || o.TimeZone == "Local" {
		k.errorf(path{"org", "timezone"}, "unknown time zone %q; use an IANA name like Europe/Berlin", o.TimeZone)
		loc = time.UTC
	}
	o.Location = loc
	if o.CoELead != "" {
		k.ref(path{"org", "coe_lead"}, "person", k.people, o.CoELead)
	}
}

// contacts checks that people's e-mail addresses and chat ids are unique.
func (k *checker) contacts() {
	people, p := k.cfg.People, path{"people"}
	for i, person := range people {
		if e := person.Email; e != "" && !plausibleEmail(e) {
			k.errorf(p.with(i, "email"), "invalid e-mail address %q", e)
		}
	}
	k.unique(p, "email", len(people), func(i int) string { return people[i].Email })
	k.unique(p, "slack_id", len(people), func(i int) string { return people[i].SlackID })
	k.unique(p, "discord_id", len(people), func(i int) string { return people[i].DiscordID })
}

// plausibleEmail tells whether s looks like local@domain.
func plausibleEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && domain != "" && !strings.Contains(domain, "@") && !strings.ContainsAny(s, " \t\r\n")
}

// holders checks the role holders listed in the file.
func (k *checker) holders() {
	for i, role := range k.cfg.Roles {
		seen := make(map[string]bool)
		for j, h := range role.Holders {
			p := path{"roles", i, "holders", j}
			k.ref(p.with("person"), "person", k.people, h.Person)
			if h.Brand != "" {
				k.ref(p.with("brand"), "brand", k.brands, h.Brand)
			}
			key := strings.ToLower(h.Person + "\x00" + h.Brand)
			if seen[key] {
				k.errorf(p.with("person"), "%s is listed twice for the same brand", h.Person)
			}
			seen[key] = true
		}
	}
}

func (k *checker) departments() {
	for i, d := range k.cfg.Departments {
		p := path{"departments", i}
		k.ref(p.with("liaison_role"), "role", k.roles, d.LiaisonRole)
		k.channel(p.with("channel"), d.Channel)
		if d.SLA < 0 {
			k.errorf(p.with("sla"), "must not be negative, got %s", d.SLA)
		}
	}
}

func (k *checker) channels() {
	ch, p := k.cfg.Channels, path{"channels"}
	k.channel(p.with("listening"), ch.Listening)
	k.channel(p.with("social"), ch.Social)
	k.channel(p.with("announce"), ch.Announce)
	k.channel(p.with("crisis"), ch.Crisis)
}

// channel checks a channel name written as "#name".
func (k *checker) channel(p path, name string) {
	switch {
	case name == "":
		k.errorf(p, `missing channel; write it quoted, e.g. "#general" (a bare # starts a YAML comment)`)
	case !strings.HasPrefix(name, "#") || len(name) < 2 || strings.ContainsAny(name, " \t\n"):
		k.errorf(p, `invalid channel %q: want "#name" without spaces`, name)
	}
}

func (k *checker) permissions() {
	for _, key := range slices.Sorted(maps.Keys(k.cfg.Permissions)) {
		p := path{"permissions", key}
		if key == "" {
			k.errorf(p, "empty permission key")
		}
		for i, v := range k.cfg.Permissions[key] {
			if !slices.Contains(specialPermissions, v) && !k.roles[strings.ToLower(v)] {
				k.errorf(p.with(i), "unknown role %q; use a role id, %s", v, strings.Join(specialPermissions, ", "))
			}
		}
	}
}
