package check

import (
	"fmt"
	"strconv"
	"time"
)

// Day is the length of the days that durations, dates and thresholds count
// in. Dates are calendar days in UTC, so a day is always 24 hours here.
const Day = 24 * time.Hour

// ParseDuration reads a duration as the schemas write it: a whole number
// and a unit, m (minutes), h (hours), d (days), w (weeks of 7 days) or y
// (years of 365 days): "30d", "4h", "2w", "1y".
func ParseDuration(s string) (time.Duration, error) {
	if len(s) < 2 {
		return 0, fmt.Errorf("duration %q: want a number and a unit (m, h, d, w, y), such as 180d", s)
	}
	n, err := strconv.ParseInt(s[:len(s)-1], 10, 64)
	if err != nil || n < 0 || s[0] == '+' || s[0] == '-' {
		return 0, fmt.Errorf("duration %q: want a whole number before the unit, such as 180d", s)
	}
	var unit time.Duration
	switch s[len(s)-1] {
	case 'm':
		unit = time.Minute
	case 'h':
		unit = time.Hour
	case 'd':
		unit = Day
	case 'w':
		unit = 7 * Day
	case 'y':
		unit = 365 * Day
	default:
		return 0, fmt.Errorf("duration %q: unknown unit %q (known: m, h, d, w, y)", s, s[len(s)-1:])
	}
	if n > int64(1<<62)/int64(unit) {
		return 0, fmt.Errorf("duration %q is too long", s)
	}
	return time.Duration(n) * unit, nil
}

// formatDuration writes d back in the largest unit that divides it, as a
// portfolio would: 180d, 2w, 1y, 4h.
func formatDuration(d time.Duration) string {
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{365 * Day, "y"}, {7 * Day, "w"}, {Day, "d"}, {time.Hour, "h"}} {
		if d >= u.unit && d%u.unit == 0 {
			return fmt.Sprintf("%d%s", d/u.unit, u.name)
		}
	}
	return fmt.Sprintf("%dm", d/time.Minute)
}

// date parses a YYYY-MM-DD date as midnight UTC.
func date(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// midnight returns the calendar date of t, in t's own location, as
// midnight UTC: the form every date is compared in.
func midnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// daysBetween counts the calendar days from a to b: positive when b is
// later.
func daysBetween(a, b time.Time) int {
	return int(midnight(b).Sub(midnight(a)) / Day)
}

// days spells a number of days: "1 day", "12 days".
func days(n int) string {
	if n == 1 || n == -1 {
		return fmt.Sprintf("%d day", n)
	}
	return fmt.Sprintf("%d days", n)
}

// fromToday spells a date that lies n days from today (negative when
// past): "today", "in 12 days", "12 days ago".
func fromToday(n int) string {
	switch {
	case n == 0:
		return "today"
	case n > 0:
		return "in " + days(n)
	}
	return days(-n) + " ago"
}
