package syncs

import (
	"fmt"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// Schedule is when a monthly sync happens: the nth (or last) weekday of
// every month at a local time of day in a time zone.
type Schedule struct {
	Week     int // 1..4, or config.LastWeek
	Weekday  time.Weekday
	Hour     int
	Minute   int
	Location *time.Location
}

// Next returns the start of the first occurrence strictly after t. The
// time of day is local to the schedule's zone, so the UTC instant moves with
// daylight saving (15:00 Europe/Berlin is 13:00 UTC in October and 14:00 UTC
// in November).
func (s Schedule) Next(t time.Time) time.Time {
	local := t.In(s.Location)
	for i := 0; ; i++ {
		at := s.InMonth(local.Year(), local.Month()+time.Month(i))
		if at.After(t) {
			return at
		}
	}
}

// InMonth returns the occurrence in the given month (months past December
// roll into the next year).
func (s Schedule) InMonth(year int, month time.Month) time.Time {
	// Calendar arithmetic in UTC: a date's weekday does not depend on the
	// zone, and UTC has no daylight-saving gaps.
	first := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
	var day int
	if s.Week == config.LastWeek {
		last := first.AddDate(0, 1, -1)
		day = last.Day() - (int(last.Weekday())-int(s.Weekday)+7)%7
	} else {
		day = 1 + (int(s.Weekday)-int(first.Weekday())+7)%7 + 7*(s.Week-1)
	}
	return time.Date(first.Year(), first.Month(), day, s.Hour, s.Minute, 0, 0, s.Location)
}

// String describes the schedule: "first Tue 15:00 Europe/Berlin".
func (s Schedule) String() string {
	return fmt.Sprintf("%s %s %02d:%02d %s", weekWord(s.Week), s.Weekday.String()[:3], s.Hour, s.Minute, s.Location)
}

func weekWord(w int) string {
	words := []string{"", "first", "second", "third", "fourth"}
	if w >= 1 && w < len(words) {
		return words[w]
	}
	return "last"
}

// scheduleOf reads a stored sync's schedule.
func scheduleOf(s store.Sync) (Schedule, error) {
	hour, minute, err := config.ParseClock(s.Clock)
	if err != nil {
		return Schedule{}, fmt.Errorf("sync %d: %w", s.ID, err)
	}
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return Schedule{}, fmt.Errorf("sync %d: time zone: %w", s.ID, err)
	}
	return Schedule{Week: s.Week, Weekday: s.Weekday, Hour: hour, Minute: minute, Location: loc}, nil
}

// stamp shows an occurrence in the sync's zone: "Tue 01 Dec 15:00 CET".
func stamp(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("Mon 02 Jan 2006 15:04 MST")
}

// weekdayWord shows a weekday the way it is typed: "tue".
func weekdayWord(d time.Weekday) string { return strings.ToLower(d.String()[:3]) }
