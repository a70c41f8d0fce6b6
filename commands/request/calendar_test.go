package request

import (
	"testing"
	"time"
)

func TestBusinessDays(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	holidays := map[string]bool{"2026-12-25": true, "2027-01-01": true, "2026-12-01": true}
	cal := calendar{loc: berlin, holiday: func(t time.Time) bool { return holidays[t.Format("2006-01-02")] }}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, berlin)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name, from string
		days       int
		want       string
	}{
		{"friday afternoon plus 3 is wednesday", "2026-11-20 15:30", 3, "2026-11-25 18:00"},
		{"a holiday moves it a day", "2026-11-30 10:00", 2, "2026-12-03 18:00"},
		{"placed on a saturday", "2026-11-21 10:00", 1, "2026-11-23 18:00"},
		{"placed on a holiday", "2026-12-25 10:00", 1, "2026-12-28 18:00"},
		{"over the year end and new year's day", "2026-12-30 09:00", 3, "2027-01-05 18:00"},
		{"over christmas", "2026-12-24 09:00", 2, "2026-12-29 18:00"},
		{"across the spring DST change", "2026-03-27 17:00", 1, "2026-03-30 18:00"},
		{"across the autumn DST change", "2026-10-23 23:30", 1, "2026-10-26 18:00"},
		{"late evening stays on its local date", "2026-11-23 23:59", 1, "2026-11-24 18:00"},
		{"two weeks", "2026-11-02 09:00", 10, "2026-11-16 18:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cal.due(at(tt.from), tt.days); !got.Equal(at(tt.want)) {
				t.Errorf("due(%s, %d) = %s, want %s", tt.from, tt.days, got.In(berlin), tt.want)
			}
		})
	}
	before := []struct{ due, want string }{
		{"2026-11-25 18:00", "2026-11-24 18:00"},
		{"2026-11-30 18:00", "2026-11-27 18:00"},
		{"2026-12-02 18:00", "2026-11-30 18:00"}, // over the holiday
		{"2026-03-30 18:00", "2026-03-27 18:00"}, // over the DST weekend: same wall time
		{"2027-01-04 18:00", "2026-12-31 18:00"},
	}
	for _, tt := range before {
		if got := cal.before(at(tt.due)); !got.Equal(at(tt.want)) {
			t.Errorf("before(%s) = %s, want %s", tt.due, got.In(berlin), tt.want)
		}
	}
	weeks := []struct{ at, want string }{
		{"2026-11-20 15:30", "2026-11-16"}, // a friday counts in its week
		{"2026-11-22 10:00", "2026-11-23"}, // a sunday in the next
		{"2026-12-31 10:00", "2026-12-28"}, // ISO week across the year end
		{"2027-01-01 10:00", "2027-01-04"}, // a friday holiday: the next business day's week
	}
	for _, tt := range weeks {
		if got := weekKey(cal.week(at(tt.at))); got != tt.want {
			t.Errorf("week(%s) = %s, want %s", tt.at, got, tt.want)
		}
	}
}
