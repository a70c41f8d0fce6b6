package config

import (
	"slices"
	"strings"
)

// index holds the lookups of a Config, keyed by lower-cased id (chat ids as
// written). Parse builds it; a Config is read-only afterwards.
type index struct {
	people     map[string]Person
	emails     map[string]Person
	slackIDs   map[string]Person
	discordIDs map[string]Person
	roles      map[string]Role
	brands     map[string]Brand
	depts      map[string]Department
	kpis       map[string]KPI
	// file and permissionLines locate the permission names, checked once
	// the commands are known (CheckPermissionNames).
	file            string
	permissionLines map[string]int
}

// severityLevels returns the playbook levels, worst first.
func severityLevels() []string { return []string{"sev1", "sev2", "sev3", "sev4"} }

// buildIndex indexes a validated configuration.
func buildIndex(c *Config) index {
	ix := index{
		people:     byKey(c.People, func(p Person) string { return p.ID }),
		emails:     byKey(c.People, func(p Person) string { return p.Email }),
		slackIDs:   make(map[string]Person),
		discordIDs: make(map[string]Person),
		roles:      byKey(c.Roles, func(r Role) string { return r.ID }),
		brands:     byKey(c.Brands, func(b Brand) string { return b.ID }),
		depts:      byKey(c.Departments, func(d Department) string { return d.ID }),
		kpis:       byKey(c.KPIs, func(k KPI) string { return k.ID }),
	}
	for _, p := range c.People {
		if p.SlackID != "" {
			ix.slackIDs[p.SlackID] = p
		}
		if p.DiscordID != "" {
			ix.discordIDs[p.DiscordID] = p
		}
	}
	return ix
}

// byKey maps the lower-cased non-empty keys of items to the items.
func byKey[T any](items []T, key func(T) string) map[string]T {
	m := make(map[string]T, len(items))
	for _, it := range items {
		if k := strings.ToLower(key(it)); k != "" {
			m[k] = it
		}
	}
	return m
}

// lookup finds key in m, ignoring case.
func lookup[T any](m map[string]T, key string) (T, bool) {
	v, ok := m[strings.ToLower(key)]
	return v, ok
}

// Person returns the person with handle id, ignoring case and a leading "@".
func (c *Config) Person(id string) (Person, bool) {
	return lookup(c.index.people, strings.TrimPrefix(id, "@"))
}

// PersonByEmail returns the person with the e-mail address, ignoring case.
func (c *Config) PersonByEmail(email string) (Person, bool) {
	return lookup(c.index.emails, email)
}

// PersonBySlackID returns the person with the Slack user id.
func (c *Config) PersonBySlackID(id string) (Person, bool) {
	p, ok := c.index.slackIDs[id]
	return p, ok
}

// PersonByDiscordID returns the person with the Discord user id.
func (c *Config) PersonByDiscordID(id string) (Person, bool) {
	p, ok := c.index.discordIDs[id]
	return p, ok
}

// Role returns the role with the id, ignoring case. Its Holders are the
// file's starting roster; treat them as read-only.
func (c *Config) Role(id string) (Role, bool) { return lookup(c.index.roles, id) }

// Brand returns the brand with the id, ignoring case.
func (c *Config) Brand(id string) (Brand, bool) { return lookup(c.index.brands, id) }

// Department returns the department with the id, ignoring case.
func (c *Config) Department(id string) (Department, bool) { return lookup(c.index.depts, id) }

// KPI returns the KPI with the id, ignoring case.
func (c *Config) KPI(id string) (KPI, bool) { return lookup(c.index.kpis, id) }

// Severity returns the playbook level ("sev1".."sev4", ignoring case).
func (c *Config) Severity(level string) (Severity, bool) {
	s, ok := c.Playbook[strings.ToLower(level)]
	return s, ok
}

// SeverityLevels returns the playbook levels, worst first: sev1..sev4.
func (c *Config) SeverityLevels() []string { return severityLevels() }

// Allowed returns who may use permission: role ids and the special values
// "anyone", "room-members" and "approvers". It is nil when the file does not
// list the permission, which leaves it to the CoE lead.
func (c *Config) Allowed(permission string) []string {
	return slices.Clone(c.Permissions[permission])
}

// IsCoELead tells whether person (a handle, "@" optional, any case) is the
// CoE lead.
func (c *Config) IsCoELead(person string) bool {
	return c.Org.CoELead != "" && strings.EqualFold(c.Org.CoELead, strings.TrimPrefix(person, "@"))
}

// PersonIDs returns the people's handles in file order.
func (c *Config) PersonIDs() []string { return ids(c.People, func(p Person) string { return p.ID }) }

// RoleIDs returns the role ids in file order.
func (c *Config) RoleIDs() []string { return ids(c.Roles, func(r Role) string { return r.ID }) }

// BrandIDs returns the brand ids in file order.
func (c *Config) BrandIDs() []string { return ids(c.Brands, func(b Brand) string { return b.ID }) }

// DepartmentIDs returns the department ids in file order.
func (c *Config) DepartmentIDs() []string {
	return ids(c.Departments, func(d Department) string { return d.ID })
}

// KPIIDs returns the KPI ids in file order.
func (c *Config) KPIIDs() []string { return ids(c.KPIs, func(k KPI) string { return k.ID }) }

func ids[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}
