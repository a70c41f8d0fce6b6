package config

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"time"
)

// ContentLevel returns the chain of a sensitivity level (case-insensitive).
func (c *Config) ContentLevel(level string) (Sensitivity, bool) {
	s, ok := c.Content.Sensitivity[strings.ToLower(level)]
	return s, ok
}

// ContentLevels lists the sensitivity levels, shortest chain first.
func (c *Config) ContentLevels() []string {
	levels := slices.Collect(maps.Keys(c.Content.Sensitivity))
	slices.SortFunc(levels, func(a, b string) int {
		la, lb := len(c.Content.Sensitivity[a].Stages), len(c.Content.Sensitivity[b].Stages)
		return cmp.Or(cmp.Compare(la, lb), cmp.Compare(a, b))
	})
	return levels
}

// Chain returns the stages an item of this level goes through, and the
// target of each, fast-tracked or not.
func (s Sensitivity) Chain(fast bool) []ContentStage {
	var out []ContentStage
	for _, st := range s.Stages {
		if fast && slices.Contains(s.FastTrack.Skip, st.Name) {
			continue
		}
		if fast && st.FastTarget > 0 {
			st.Target = st.FastTarget
		} else if fast {
			st.Target = time.Duration(float64(st.Target) * s.FastTrack.TargetFactor)
		}
		out = append(out, st)
	}
	return out
}

// content checks the content chains.
func (k *checker) content() {
	c, p := k.cfg.Content, path{"content"}
	if c.PublishWarning < 0 {
		k.errorf(p.with("publish_warning"), "must not be negative, got %s", c.PublishWarning)
	}
	if len(c.Sensitivity) > 0 {
		if _, ok := c.Sensitivity[c.DefaultSensitivity]; !ok {
			k.errorf(p.with("default_sensitivity"), "unknown sensitivity %q; levels: %s", c.DefaultSensitivity, strings.Join(k.cfg.ContentLevels(), ", "))
		}
		if _, ok := c.Sensitivity[k.cfg.Templates.Sensitivity]; !ok {
			k.errorf(path{"templates", "sensitivity"}, "unknown sensitivity %q; levels: %s", k.cfg.Templates.Sensitivity, strings.Join(k.cfg.ContentLevels(), ", "))
		}
	}
	for _, level := range slices.Sorted(maps.Keys(c.Sensitivity)) {
		lp := p.with("sensitivity", level)
		if !validID.MatchString(level) {
			k.errorf(lp, "invalid level %q: use letters, digits, '.', '_' and '-'", level)
		}
		k.sensitivity(lp, c.Sensitivity[level])
	}
}

func (k *checker) sensitivity(p path, s Sensitivity) {
	if len(s.Stages) == 0 {
		k.errorf(p.with("stages"), "name at least one stage")
	}
	names := k.unique(p.with("stages"), "name", len(s.Stages), func(i int) string { return s.Stages[i].Name })
	for i, st := range s.Stages {
		k.contentStage(p.with("stages", i), st)
	}
	for i, n := range s.NeverSkip {
		if !names[strings.ToLower(n)] {
			k.errorf(p.with("never_skip", i), "unknown stage %q", n)
		}
	}
	f := s.FastTrack
	if f.TargetFactor <= 0 || f.TargetFactor > 1 {
		k.errorf(p.with("fast_track", "target_factor"), "must be a share above 0 and at most 1 (0.5 = half the target), got %g", f.TargetFactor)
	}
	for i, n := range f.Skip {
		switch {
		case !names[strings.ToLower(n)]:
			k.errorf(p.with("fast_track", "skip", i), "unknown stage %q", n)
		case slices.Contains(s.NeverSkip, n):
			k.errorf(p.with("fast_track", "skip", i), "stage %q is listed in never_skip", n)
		}
	}
	if len(s.Stages) > 0 && len(f.Skip) >= len(s.Stages) {
		k.errorf(p.with("fast_track", "skip"), "fast-track must keep at least one stage")
	}
}

func (k *checker) contentStage(p path, st ContentStage) {
	if !validID.MatchString(st.Name) {
		k.errorf(p.with("name"), "invalid stage name %q: use letters, digits, '.', '_' and '-'", st.Name)
	}
	for i, role := range st.Approvers {
		k.ref(p.with("approvers", i), "role", k.roles, role)
	}
	switch {
	case len(st.Approvers) == 0:
		k.errorf(p.with("approvers"), "name at least one approver role")
	case st.Quorum < 1 || st.Quorum > len(st.Approvers):
		k.errorf(p.with("quorum"), "must be between 1 and %d (the number of approvers), got %d", len(st.Approvers), st.Quorum)
	}
	k.positive(p.with("target"), st.Target)
	if st.FastTarget < 0 {
		k.errorf(p.with("fast_track_target"), "must not be negative, got %s", st.FastTarget)
	}
}
