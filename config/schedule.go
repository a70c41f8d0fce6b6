package config

import (
	"fmt"
	"strings"
	"time"
)

// LastWeek is what ParseWeek returns for "last".
const LastWeek = -1

// weeks maps the words of syncs.week and /sync add --week to a week of the
// month.
var weeks = map[string]int{"first": 1, "second": 2, "third": 3, "fourth": 4, "last": LastWeek}

// ParseWeek reads a week of the month: first, second, third, fourth (1..4)
// or last (LastWeek). Case is ignored.
func ParseWeek(s string) (int, error) {
	if w, ok := weeks[strings.ToLower(s)]; ok {
		return w, nil
	}
	return 0, fmt.Errorf("want a week of the month (first, second, third, fourth or last), got %q", s)
}

// ParseWeekday reads a day of the week as its English name or first three
// letters ("tue", "Tuesday"). Case is ignored.
func ParseWeekday(s string) (time.Weekday, error) {
	lower := strings.ToLower(s)
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		if lower == name || lower == name[:3] {
			return d, nil
		}
	}
	return 0, fmt.Errorf("want a weekday (mon, tue, wed, thu, fri, sat or sun), got %q", s)
}

// ParseClock reads a 24-hour time of day written HH:MM ("15:00", "9:30").
func ParseClock(s string) (hour, minute int, err error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, 0, fmt.Errorf("want a time of day as HH:MM (24-hour), got %q", s)
	}
	return t.Hour(), t.Minute(), nil
}
