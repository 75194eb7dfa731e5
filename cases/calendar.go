package cases

import (
	"sync"
	"time"
)

// The federal holidays of 5 U.S.C. 6103(a), with the observed-day rule of 6103(b) and Executive Order 11582: a
// holiday on a Saturday is observed on the Friday before (so New Year's Day on a Saturday is observed on
// December 31 of the year before), one on a Sunday on the Monday after. Birthday of Martin Luther King, Jr. is
// counted from 1986, Juneteenth from 2021; the other holidays are counted with their present dates in every year
// (ceedesk refuses dates before 1990).
//
// Clocks are computed for every case when a store is seeded or rebuilt, so the observed holidays of 1970–2199 are
// laid out once, on first use, in a table with one byte per day; a lookup is an index. Dates outside that range
// are computed on demand.

var holidayNames = [...]string{
	1:  "New Year's Day",
	2:  "Birthday of Martin Luther King, Jr.",
	3:  "Washington's Birthday",
	4:  "Memorial Day",
	5:  "Juneteenth National Independence Day",
	6:  "Independence Day",
	7:  "Labor Day",
	8:  "Columbus Day",
	9:  "Veterans Day",
	10: "Thanksgiving Day",
	11: "Christmas Day",
}

// observedFlag marks a table entry whose holiday falls on another day (a weekend) and is observed on this one.
const observedFlag = 0x80

const (
	tableFirstYear = 1970
	tableEndYear   = 2200 // exclusive
)

type holiday struct {
	on   Date  // the observed day
	code uint8 // index into holidayNames, with observedFlag
}

// yearHolidays returns the holidays observed in year y, in date order of their computation (not sorted).
// It includes New Year's Day of y+1 when that is observed on December 31 of y, and leaves out New Year's Day
// of y when that is observed in y-1.
func yearHolidays(y int, out []holiday) []holiday {
	add := func(code uint8, d Date, shift bool) {
		on := d
		if shift {
			switch d.Weekday() {
			case time.Saturday:
				on = d - 1
			case time.Sunday:
				on = d + 1
			}
		}
		if on != d {
			code |= observedFlag
		}
		if oy, _, _ := on.YMD(); oy == y {
			out = append(out, holiday{on: on, code: code})
		}
	}
	add(1, NewDate(y, time.January, 1), true)
	add(1, NewDate(y+1, time.January, 1), true) // observed on Dec 31 of y when Jan 1 is a Saturday
	if y >= 1986 {
		add(2, nthWeekday(y, time.January, time.Monday, 3), false)
	}
	add(3, nthWeekday(y, time.February, time.Monday, 3), false)
	add(4, lastWeekday(y, time.May, time.Monday), false)
	if y >= 2021 {
		add(5, NewDate(y, time.June, 19), true)
	}
	add(6, NewDate(y, time.July, 4), true)
	add(7, nthWeekday(y, time.September, time.Monday, 1), false)
	add(8, nthWeekday(y, time.October, time.Monday, 2), false)
	add(9, NewDate(y, time.November, 11), true)
	add(10, nthWeekday(y, time.November, time.Thursday, 4), false)
	add(11, NewDate(y, time.December, 25), true)
	return out
}

// nthWeekday is the n-th (1-based) weekday wd of a month.
func nthWeekday(y int, m time.Month, wd time.Weekday, n int) Date {
	first := NewDate(y, m, 1)
	off := (int(wd) - int(first.Weekday()) + 7) % 7
	return first + Date(off+7*(n-1))
}

// lastWeekday is the last weekday wd of a month.
func lastWeekday(y int, m time.Month, wd time.Weekday) Date {
	last := NewDate(y, m+1, 1) - 1
	off := (int(last.Weekday()) - int(wd) + 7) % 7
	return last - Date(off)
}

var holidayTable = sync.OnceValue(func() []uint8 {
	start := NewDate(tableFirstYear, time.January, 1)
	t := make([]uint8, NewDate(tableEndYear, time.January, 1)-start)
	buf := make([]holiday, 0, 16)
	for y := tableFirstYear; y < tableEndYear; y++ {
		for _, h := range yearHolidays(y, buf[:0]) {
			t[h.on-start] = h.code
		}
	}
	return t
})

// holidayCode is the table entry for d: 0 when d is no observed holiday.
func holidayCode(d Date) uint8 {
	const start = Date(0) // 1970-01-01
	t := holidayTable()
	if i := int(d - start); i >= 0 && i < len(t) {
		return t[i]
	}
	y, _, _ := d.YMD()
	var buf [16]holiday
	for _, h := range yearHolidays(y, buf[:0]) {
		if h.on == d {
			return h.code
		}
	}
	return 0
}

// weekday is Date.Weekday without going through time.Time.
func weekday(d Date) time.Weekday {
	return time.Weekday(((int(d) % 7) + 7 + int(time.Thursday)) % 7) // 1970-01-01 was a Thursday
}

// FederalHoliday returns the name of the federal holiday observed on d (5 U.S.C. 6103 with the observed-day
// rule: a Saturday holiday is observed on Friday, a Sunday holiday on Monday). A holiday observed on another day
// than its own is named with " (observed)", e.g. "Independence Day (observed)" on Friday 2026-07-03; the
// weekend day itself is no holiday here (it is no business day either).
func FederalHoliday(d Date) (string, bool) {
	c := holidayCode(d)
	if c == 0 {
		return "", false
	}
	name := holidayNames[c&^observedFlag]
	if c&observedFlag != 0 {
		name += " (observed)"
	}
	return name, true
}

// BusinessDay reports whether d is neither a weekend day nor an observed federal holiday.
func BusinessDay(d Date) bool {
	switch weekday(d) {
	case time.Saturday, time.Sunday:
		return false
	}
	return holidayCode(d) == 0
}

// RollForward returns d if it is a business day, otherwise the next business day.
func RollForward(d Date) Date {
	for !BusinessDay(d) {
		d++
	}
	return d
}

// AddBusinessDays moves n business days from d (n may be negative: working days before d). The count starts
// on the day after d (before d when n is negative), so d itself need not be a business day, and the result is
// always a business day unless n is 0, when d is returned as it is.
func AddBusinessDays(d Date, n int) Date {
	step := Date(1)
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d += step
		if BusinessDay(d) {
			n--
		}
	}
	return d
}
