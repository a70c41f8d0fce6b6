package digest

import (
	"fmt"
	"time"

	"github.com/interlock-coe/interlock/commands/kpi"
	"github.com/interlock-coe/interlock/commands/syncs"
	"github.com/interlock-coe/interlock/config"
)

// schedule is when a digest is posted: weekly on a weekday, or monthly on
// the nth (or last) weekday, at a local time in a zone. Monthly reuses the
// syncs' schedule, so both move with daylight saving the same way.
type schedule struct {
	monthly syncs.Schedule // Week 0 = weekly
	every   string
}

func scheduleOf(d config.Digest) (schedule, error) {
	day, err := config.ParseWeekday(d.Weekday)
	if err != nil {
		return schedule{}, err
	}
	hour, minute, err := config.ParseClock(d.Time)
	if err != nil {
		return schedule{}, err
	}
	loc := d.Location
	if loc == nil {
		loc = time.UTC
	}
	s := schedule{every: d.Every, monthly: syncs.Schedule{Weekday: day, Hour: hour, Minute: minute, Location: loc}}
	if d.Every == "monthly" {
		week := d.Week
		if week == "" {
			week = "first"
		}
		if s.monthly.Week, err = config.ParseWeek(week); err != nil {
			return schedule{}, err
		}
	}
	return s, nil
}

// Next returns the first occurrence strictly after t.
func (s schedule) Next(t time.Time) time.Time {
	if s.every == "monthly" {
		return s.monthly.Next(t)
	}
	m := s.monthly
	local := t.In(m.Location)
	for i := 0; ; i++ {
		// Calendar days by date, then the local time: DST-correct.
		at := time.Date(local.Year(), local.Month(), local.Day()+i, m.Hour, m.Minute, 0, 0, m.Location)
		if at.Weekday() == m.Weekday && at.After(t) {
			return at
		}
	}
}

// Period is the /kpi period a digest covers: 7 days weekly, 30 monthly.
func (s schedule) Period() kpi.Period {
	if s.every == "monthly" {
		return kpi.Days30
	}
	return kpi.Days7
}

func (s schedule) String() string {
	m := s.monthly
	if s.every == "monthly" {
		return "monthly, " + m.String()
	}
	return fmt.Sprintf("weekly, %s %02d:%02d %s", m.Weekday.String()[:3], m.Hour, m.Minute, m.Location)
}

// periodKey names an occurrence: its local date, e.g. "2027-04-05".
func periodKey(at time.Time, loc *time.Location) string { return at.In(loc).Format(time.DateOnly) }
