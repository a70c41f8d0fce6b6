package kpi

import (
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

func berlin(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestParsePeriod(t *testing.T) {
	for in, want := range map[string]Period{"": Days30, "7d": Days7, "30D": Days30, " mtd ": MonthToDate, "qtd": QuarterToDate} {
		if got, err := ParsePeriod(in); err != nil || got != want {
			t.Errorf("ParsePeriod(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"7", "week", "90d", "ytd"} {
		if _, err := ParsePeriod(bad); !bot.IsCode(err, bot.EInvalid) {
			t.Errorf("ParsePeriod(%q) = %v, want an invalid error", bad, err)
		}
	}
}

func TestSpansInTheOrgTimeZone(t *testing.T) {
	loc := berlin(t)
	local := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
	// 09:00 UTC on 23 November is 10:00 in Berlin.
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		p            Period
		now          time.Time
		cur, prev    Span
		currentDays  int
		firstOfEight time.Time
		description  string
	}{
		{Days7, now, Span{local(2026, 11, 17), local(2026, 11, 24)}, Span{local(2026, 11, 10), local(2026, 11, 17)}, 7,
			local(2026, 9, 29), "7d: today and the 6 days before"},
		{Days30, now, Span{local(2026, 10, 25), local(2026, 11, 24)}, Span{local(2026, 9, 25), local(2026, 10, 25)}, 30,
			local(2026, 3, 29), "30d: today and the 29 days before, across the end of summer time"},
		{MonthToDate, now, Span{local(2026, 11, 1), local(2026, 11, 24)}, Span{local(2026, 10, 9), local(2026, 11, 1)}, 23,
			local(2026, 5, 24), "mtd: the 1st through today; before it the same number of days"},
		{QuarterToDate, now, Span{local(2026, 10, 1), local(2026, 11, 24)}, Span{local(2026, 8, 8), local(2026, 10, 1)}, 54,
			local(2025, 9, 18), "qtd: 1 October through today (31+23 days)"},
		// 23:30 UTC on 31 October is already 1 November in Berlin: a new month.
		{MonthToDate, time.Date(2026, 10, 31, 23, 30, 0, 0, time.UTC), Span{local(2026, 11, 1), local(2026, 11, 2)},
			Span{local(2026, 10, 31), local(2026, 11, 1)}, 1, local(2026, 10, 25), "mtd just after local midnight"},
		// 22:30 UTC on 31 October is 23:30 in Berlin: still October.
		{MonthToDate, time.Date(2026, 10, 31, 22, 30, 0, 0, time.UTC), Span{local(2026, 10, 1), local(2026, 11, 1)},
			Span{local(2026, 8, 31), local(2026, 10, 1)}, 31, local(2026, 2, 26), "mtd on the month's last evening"},
	}
	for _, tt := range tests {
		t.Run(tt.description, func(t *testing.T) {
			spans := tt.p.Spans(tt.now, loc, TrendPeriods)
			if len(spans) != TrendPeriods {
				t.Fatalf("%d spans, want %d", len(spans), TrendPeriods)
			}
			cur, prev := spans[len(spans)-1], spans[len(spans)-2]
			if !cur.From.Equal(tt.cur.From) || !cur.To.Equal(tt.cur.To) {
				t.Errorf("current = %v – %v, want %v – %v", cur.From, cur.To, tt.cur.From, tt.cur.To)
			}
			if !prev.From.Equal(tt.prev.From) || !prev.To.Equal(tt.prev.To) {
				t.Errorf("previous = %v – %v, want %v – %v", prev.From, prev.To, tt.prev.From, tt.prev.To)
			}
			if cur.Days() != tt.currentDays {
				t.Errorf("current has %d days, want %d", cur.Days(), tt.currentDays)
			}
			if !spans[0].From.Equal(tt.firstOfEight) {
				t.Errorf("oldest span starts %v, want %v", spans[0].From, tt.firstOfEight)
			}
			for i := 1; i < len(spans); i++ {
				if !spans[i].From.Equal(spans[i-1].To) || spans[i].Days() != tt.currentDays {
					t.Errorf("span %d (%v) does not follow span %d (%v) at the same length", i, spans[i], i-1, spans[i-1])
				}
			}
		})
	}
}

func TestSpanContainsAndString(t *testing.T) {
	loc := berlin(t)
	s := Span{From: time.Date(2026, 10, 1, 0, 0, 0, 0, loc), To: time.Date(2026, 11, 1, 0, 0, 0, 0, loc)}
	if got := s.String(); got != "2026-10-01 – 2026-10-31" {
		t.Errorf("String = %q", got)
	}
	for at, want := range map[time.Time]bool{
		s.From:                     true,
		s.To:                       false,
		s.To.Add(-time.Nanosecond): true,
		time.Date(2026, 10, 31, 23, 30, 0, 0, loc):      true,  // the month's last evening
		time.Date(2026, 9, 30, 23, 30, 0, 0, time.UTC):  true,  // 01:30 on 1 October in Berlin
		time.Date(2026, 10, 31, 23, 30, 0, 0, time.UTC): false, // 00:30 on 1 November in Berlin
	} {
		if got := s.Contains(at); got != want {
			t.Errorf("Contains(%v) = %v, want %v", at, got, want)
		}
	}
}
