package cases

import (
	"strings"
	"testing"
	"time"
)

func d(s string) Date {
	v, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

// The observed federal holidays of whole years, as OPM publishes them.
func TestFederalHolidaysOfWholeYears(t *testing.T) {
	years := map[int][]string{
		2026: {"2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25", "2026-06-19", "2026-07-03", "2026-09-07",
			"2026-10-12", "2026-11-11", "2026-11-26", "2026-12-25"},
		// 2027 holds 12: New Year's Day 2028 falls on a Saturday and is observed on Friday 2027-12-31.
		2027: {"2027-01-01", "2027-01-18", "2027-02-15", "2027-05-31", "2027-06-18", "2027-07-05", "2027-09-06",
			"2027-10-11", "2027-11-11", "2027-11-25", "2027-12-24", "2027-12-31"},
		// 2028 holds 10: its New Year's Day was observed in 2027.
		2028: {"2028-01-17", "2028-02-21", "2028-05-29", "2028-06-19", "2028-07-04", "2028-09-04", "2028-10-09",
			"2028-11-10", "2028-11-23", "2028-12-25"},
		2023: {"2023-01-02", "2023-01-16", "2023-02-20", "2023-05-29", "2023-06-19", "2023-07-04", "2023-09-04",
			"2023-10-09", "2023-11-10", "2023-11-23", "2023-12-25"},
		// Juneteenth's first year: June 19 2021 was a Saturday, observed Friday June 18.
		2021: {"2021-01-01", "2021-01-18", "2021-02-15", "2021-05-31", "2021-06-18", "2021-07-05", "2021-09-06",
			"2021-10-11", "2021-11-11", "2021-11-25", "2021-12-24", "2021-12-31"},
		2020: {"2020-01-01", "2020-01-20", "2020-02-17", "2020-05-25", "2020-07-03", "2020-09-07",
			"2020-10-12", "2020-11-11", "2020-11-26", "2020-12-25"},
	}
	for y, want := range years {
		var got []string
		for day := NewDate(y, time.January, 1); day < NewDate(y+1, time.January, 1); day++ {
			if _, ok := FederalHoliday(day); ok {
				got = append(got, day.String())
			}
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("holidays of %d:\n got %v\nwant %v", y, got, want)
		}
	}
}

func TestFederalHolidayNames(t *testing.T) {
	cases := []struct {
		day, name string
	}{
		{"2026-07-03", "Independence Day (observed)"},
		{"2026-07-04", ""}, // a Saturday: the holiday is observed on Friday
		{"2027-12-24", "Christmas Day (observed)"},
		{"2027-12-31", "New Year's Day (observed)"},
		{"2028-01-01", ""},
		{"2027-07-05", "Independence Day (observed)"},
		{"2026-01-19", "Birthday of Martin Luther King, Jr."},
		{"2026-02-16", "Washington's Birthday"},
		{"2026-05-25", "Memorial Day"},
		{"2026-06-19", "Juneteenth National Independence Day"},
		{"2020-06-19", ""}, // before 2021
		{"2026-09-07", "Labor Day"},
		{"2026-10-12", "Columbus Day"},
		{"2026-11-11", "Veterans Day"},
		{"2026-11-26", "Thanksgiving Day"},
		{"2026-12-25", "Christmas Day"},
		{"2026-01-01", "New Year's Day"},
		{"2026-03-17", ""},
	}
	for _, tc := range cases {
		name, ok := FederalHoliday(d(tc.day))
		if name != tc.name || ok != (tc.name != "") {
			t.Errorf("FederalHoliday(%s) = %q, %v; want %q", tc.day, name, ok, tc.name)
		}
	}
}

// The table and the direct computation agree, and every observed holiday is a weekday.
func TestHolidayTableMatchesComputation(t *testing.T) {
	for y := 1990; y <= 2199; y++ {
		hs := yearHolidays(y, nil)
		if len(hs) < 9 || len(hs) > 12 { // 9 when New Year's Day was observed the year before, before 2021
			t.Fatalf("%d has %d observed holidays", y, len(hs))
		}
		for _, h := range hs {
			if wd := weekday(h.on); wd == time.Saturday || wd == time.Sunday {
				t.Fatalf("%s observed on a %s", h.on, wd)
			}
			if holidayCode(h.on) != h.code {
				t.Fatalf("table disagrees for %s", h.on)
			}
		}
	}
	// Outside the table the same rules apply.
	if name, ok := FederalHoliday(d("2260-12-25")); !ok || !strings.HasPrefix(name, "Christmas Day") {
		t.Errorf("2260-12-25: %q %v", name, ok)
	}
	if _, ok := FederalHoliday(d("2260-12-26")); ok && weekday(d("2260-12-25")) != time.Sunday {
		t.Errorf("2260-12-26 is no holiday")
	}
}

func TestWeekdayMatchesTime(t *testing.T) {
	for day := d("1899-12-25"); day < d("1900-01-10"); day++ {
		if weekday(day) != day.Time().Weekday() {
			t.Fatalf("weekday(%s) = %s; want %s", day, weekday(day), day.Time().Weekday())
		}
	}
	for day := d("2025-12-25"); day < d("2026-02-10"); day++ {
		if weekday(day) != day.Time().Weekday() {
			t.Fatalf("weekday(%s) = %s; want %s", day, weekday(day), day.Time().Weekday())
		}
	}
}

func TestBusinessDayAndRollForward(t *testing.T) {
	cases := []struct {
		day      string
		business bool
		roll     string
	}{
		{"2026-07-01", true, "2026-07-01"},
		{"2026-07-03", false, "2026-07-06"}, // observed Independence Day
		{"2026-07-04", false, "2026-07-06"}, // Saturday
		{"2026-07-05", false, "2026-07-06"}, // Sunday
		{"2027-12-24", false, "2027-12-27"}, // observed Christmas
		{"2027-12-25", false, "2027-12-27"},
		{"2027-12-31", false, "2028-01-03"}, // New Year's Day 2028 observed, then a weekend
		{"2028-01-01", false, "2028-01-03"},
		{"2026-11-26", false, "2026-11-27"}, // Thanksgiving; the Friday after is a business day
		{"2026-01-16", true, "2026-01-16"},
		{"2026-01-17", false, "2026-01-20"}, // Saturday, Sunday, then MLK day
	}
	for _, tc := range cases {
		if got := BusinessDay(d(tc.day)); got != tc.business {
			t.Errorf("BusinessDay(%s) = %v", tc.day, got)
		}
		if got := RollForward(d(tc.day)); got != d(tc.roll) {
			t.Errorf("RollForward(%s) = %s; want %s", tc.day, got, tc.roll)
		}
	}
}

func TestAddBusinessDays(t *testing.T) {
	cases := []struct {
		from string
		n    int
		want string
	}{
		{"2026-06-29", 5, "2026-07-07"},  // skips Fri Jul 3 (observed) and the weekend
		{"2026-07-06", -1, "2026-07-02"}, // working day before Monday: Thursday
		{"2026-07-04", 1, "2026-07-06"},  // from a Saturday
		{"2026-07-04", -1, "2026-07-02"},
		{"2026-07-01", 0, "2026-07-01"},
		{"2026-07-04", 0, "2026-07-04"},
		{"2026-12-01", -20, "2026-10-30"},  // Nov: Veterans Day and Thanksgiving inside
		{"2028-01-03", -1, "2027-12-30"},   // across the observed New Year's Day 2028
		{"2027-12-23", 2, "2027-12-28"},    // across the observed Christmas 2027
		{"2026-01-02", -250, "2025-01-02"}, // a working year: 2025 Jan 2 to 2026 Jan 2
	}
	for _, tc := range cases {
		if got := AddBusinessDays(d(tc.from), tc.n); got != d(tc.want) {
			t.Errorf("AddBusinessDays(%s, %d) = %s; want %s", tc.from, tc.n, got, tc.want)
		}
	}
	// Moving there and back lands where it started for any business day.
	for day := d("2026-01-01"); day < d("2028-01-01"); day++ {
		if !BusinessDay(day) {
			continue
		}
		for _, n := range []int{1, 7, 20} {
			if back := AddBusinessDays(AddBusinessDays(day, n), -n); back != day {
				t.Fatalf("AddBusinessDays(AddBusinessDays(%s, %d), %d) = %s", day, n, -n, back)
			}
		}
	}
}

func BenchmarkBusinessDay(b *testing.B) {
	start := d("2020-01-01")
	n := 0
	for i := 0; i < b.N; i++ {
		if BusinessDay(start + Date(i%4000)) {
			n++
		}
	}
	_ = n
}
