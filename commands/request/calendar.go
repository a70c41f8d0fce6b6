package request

import "time"

// closeOfBusiness is the local hour a request is due on its due date.
const closeOfBusiness = 18

// calendar counts business days in the team's time zone: weekends and the
// configured holidays are skipped. Dates are taken in loc, so a day is a day
// across a daylight-saving change.
type calendar struct {
	loc     *time.Location
	holiday func(time.Time) bool // nil: no holidays
}

// businessDay reports whether t's local date is a working day.
func (c calendar) businessDay(t time.Time) bool {
	t = t.In(c.loc)
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return c.holiday == nil || !c.holiday(t)
}

// noon is t's local date at midday, a time that exists on every date
// whatever the daylight-saving rules, for stepping day by day.
func (c calendar) noon(t time.Time) time.Time {
	y, m, d := t.In(c.loc).Date()
	return time.Date(y, m, d, 12, 0, 0, 0, c.loc)
}

// at is t's local date at hour:00.
func (c calendar) at(t time.Time, hour int) time.Time {
	y, m, d := t.In(c.loc).Date()
	return time.Date(y, m, d, hour, 0, 0, 0, c.loc)
}

// due is n business days after t's date (the date of t itself never
// counts: a request placed on a Friday afternoon for three days is due on
// Wednesday), at close of business.
func (c calendar) due(t time.Time, n int) time.Time {
	d := c.noon(t)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if c.businessDay(d) {
			n--
		}
	}
	return c.at(d, closeOfBusiness)
}

// before is the business day before t's date, at t's time of day.
func (c calendar) before(t time.Time) time.Time {
	d := c.noon(t)
	for {
		d = d.AddDate(0, 0, -1)
		if c.businessDay(d) {
			break
		}
	}
	local := t.In(c.loc)
	y, m, day := d.Date()
	return time.Date(y, m, day, local.Hour(), local.Minute(), 0, 0, c.loc)
}

// week is the Monday (noon) of the work week t counts in: its own week, or
// for a weekend or a holiday, the week of the next business day.
func (c calendar) week(t time.Time) time.Time {
	d := c.noon(t)
	for i := 0; i < 370 && !c.businessDay(d); i++ {
		d = d.AddDate(0, 0, 1)
	}
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// weekKey names a week by its Monday's date.
func weekKey(monday time.Time) string { return monday.Format("2006-01-02") }
