package syncs

import (
	"testing"
	"time"

	"github.com/interlock-coe/interlock/config"
)

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// utc is a UTC time from April 2026 to March 2027.
func utc(month time.Month, day, hour, minute int) time.Time {
	year := 2026
	if month < time.April {
		year = 2027
	}
	return time.Date(year, month, day, hour, minute, 0, 0, time.UTC)
}

// TestNextAcrossDaylightSaving walks a first-Tuesday 15:00 Europe/Berlin
// sync (and others) across the end of summer time on 25 October 2026: the
// local time stays 15:00 while the UTC instant moves an hour.
func TestNextAcrossDaylightSaving(t *testing.T) {
	berlin, newYork := zone(t, "Europe/Berlin"), zone(t, "America/New_York")
	firstTue := Schedule{Week: 1, Weekday: time.Tuesday, Hour: 15, Location: berlin}
	tests := []struct {
		name  string
		s     Schedule
		after time.Time
		want  time.Time
	}{
		{"September, summer time", firstTue, utc(time.August, 20, 0, 0), utc(time.September, 1, 13, 0)},
		{"October, still summer time", firstTue, utc(time.September, 1, 13, 0), utc(time.October, 6, 13, 0)},
		{"just before October's", firstTue, utc(time.October, 6, 12, 59), utc(time.October, 6, 13, 0)},
		{"November, winter time", firstTue, utc(time.October, 6, 13, 0), utc(time.November, 3, 14, 0)},
		{"from the change itself", firstTue, utc(time.October, 25, 1, 0), utc(time.November, 3, 14, 0)},
		{"December", firstTue, utc(time.November, 23, 9, 0), utc(time.December, 1, 14, 0)},
		{"into the new year", firstTue, utc(time.December, 1, 14, 0), utc(time.January, 5, 14, 0)},
		{"April 2027, summer again", firstTue, utc(time.March, 2, 14, 0), time.Date(2027, time.April, 6, 13, 0, 0, 0, time.UTC)},
		{"last Sunday is the change day", Schedule{Week: config.LastWeek, Weekday: time.Sunday, Hour: 15, Location: berlin},
			utc(time.October, 1, 0, 0), utc(time.October, 25, 14, 0)},
		{"last Sunday of March 2027", Schedule{Week: config.LastWeek, Weekday: time.Sunday, Hour: 15, Location: berlin},
			utc(time.March, 1, 0, 0), utc(time.March, 28, 13, 0)},
		{"last Friday when the month ends on one", Schedule{Week: config.LastWeek, Weekday: time.Friday, Hour: 9, Minute: 30, Location: berlin},
			utc(time.October, 1, 0, 0), utc(time.October, 30, 8, 30)},
		{"fourth Friday of February", Schedule{Week: 4, Weekday: time.Friday, Hour: 10, Location: time.UTC},
			utc(time.February, 1, 0, 0), utc(time.February, 26, 10, 0)},
		{"first Sunday on the 1st", Schedule{Week: 1, Weekday: time.Sunday, Hour: 10, Location: berlin},
			utc(time.October, 20, 0, 0), utc(time.November, 1, 9, 0)},
		{"New York changes a week later", Schedule{Week: 1, Weekday: time.Tuesday, Hour: 15, Location: newYork},
			utc(time.October, 1, 0, 0), utc(time.October, 6, 19, 0)},
		{"New York in November", Schedule{Week: 1, Weekday: time.Tuesday, Hour: 15, Location: newYork},
			utc(time.October, 7, 0, 0), utc(time.November, 3, 20, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.s.Next(tt.after)
			if !got.Equal(tt.want) {
				t.Errorf("Next(%s) = %s, want %s", tt.after.Format(time.RFC3339), got.UTC().Format(time.RFC3339), tt.want.Format(time.RFC3339))
			}
			if local := got.In(tt.s.Location); local.Hour() != tt.s.Hour || local.Minute() != tt.s.Minute || local.Weekday() != tt.s.Weekday {
				t.Errorf("local time %s is not %s", local, tt.s)
			}
		})
	}
}

// TestInMonthIsTheRightWeek checks every week of a year's months.
func TestInMonthIsTheRightWeek(t *testing.T) {
	for month := time.January; month <= time.December; month++ {
		for wd := time.Sunday; wd <= time.Saturday; wd++ {
			for week := 1; week <= 4; week++ {
				got := Schedule{Week: week, Weekday: wd, Location: time.UTC}.InMonth(2026, month)
				if got.Month() != month || got.Weekday() != wd || (got.Day()-1)/7 != week-1 {
					t.Fatalf("week %d %s of %s = %s", week, wd, month, got)
				}
			}
			last := Schedule{Week: config.LastWeek, Weekday: wd, Location: time.UTC}.InMonth(2026, month)
			if last.Month() != month || last.Weekday() != wd || last.AddDate(0, 0, 7).Month() == month {
				t.Fatalf("last %s of %s = %s", wd, month, last)
			}
		}
	}
}

func TestScheduleString(t *testing.T) {
	s := Schedule{Week: 1, Weekday: time.Tuesday, Hour: 15, Location: zone(t, "Europe/Berlin")}
	if got := s.String(); got != "first Tue 15:00 Europe/Berlin" {
		t.Errorf("String() = %q", got)
	}
}

func TestFacilitatorAt(t *testing.T) {
	people := []string{"lee", "alex", "priya"}
	for turn, want := range map[int64]string{0: "lee", 1: "alex", 2: "priya", 3: "lee", -1: ""} {
		if got := facilitatorAt(people, turn); got != want {
			t.Errorf("facilitatorAt(%d) = %q, want %q", turn, got, want)
		}
	}
	if got := facilitatorAt(nil, 3); got != "" {
		t.Errorf("facilitatorAt(nobody) = %q", got)
	}
}

// FuzzScheduleNext checks Next's promises for any schedule and time: the
// result is after t, on the right weekday and week of its month, at the
// local time of day (except inside a spring-forward gap), and no
// occurrence is skipped between t and it.
func FuzzScheduleNext(f *testing.F) {
	f.Add(int64(1790000000), uint8(1), uint8(2), uint8(15), uint8(0))
	f.Add(int64(1792900000), uint8(0), uint8(0), uint8(2), uint8(30))
	berlin := zone(f, "Europe/Berlin")
	f.Fuzz(func(t *testing.T, unix int64, week, weekday, hour, minute uint8) {
		after := time.Unix(unix%(400*365*86400), 0) // within four centuries of 1970
		s := Schedule{Week: int(week%5) + 1, Weekday: time.Weekday(weekday % 7), Hour: int(hour % 24), Minute: int(minute % 60), Location: berlin}
		if s.Week == 5 {
			s.Week = config.LastWeek
		}
		got := s.Next(after)
		if !got.After(after) {
			t.Fatalf("%s.Next(%s) = %s, not after", s, after, got)
		}
		local := got.In(berlin)
		if local.Weekday() != s.Weekday {
			t.Fatalf("%s.Next(%s) = %s, a %s", s, after, local, local.Weekday())
		}
		if s.Week == config.LastWeek && local.AddDate(0, 0, 7).Month() == local.Month() ||
			s.Week != config.LastWeek && (local.Day()-1)/7 != s.Week-1 {
			t.Fatalf("%s.Next(%s) = %s, the wrong week", s, after, local)
		}
		if (local.Hour() != s.Hour || local.Minute() != s.Minute) && s.Hour != 2 {
			t.Fatalf("%s.Next(%s) = %s, the wrong time of day", s, after, local)
		}
		if prev := s.InMonth(local.Year(), local.Month()-1); prev.After(after) {
			t.Fatalf("%s.Next(%s) = %s skips %s", s, after, got, prev)
		}
	})
}
