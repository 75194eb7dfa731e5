package cases

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestBar(t *testing.T) {
	tests := []struct {
		n, of, width int
		want         string
	}{
		{0, 10, 10, ""},
		{-3, 10, 10, ""},
		{5, 0, 10, ""},
		{10, 10, 10, "██████████"},
		{5, 10, 10, "█████"},
		{1, 10, 10, "█"},
		{1, 1000, 10, "▏"}, // above zero is never nothing
		{3, 8, 4, "█▌"},    // 1.5 cells
		{7, 8, 1, "▉"},     // 7/8 of one cell
		{20, 10, 10, "██████████"},
		{1, 3, 10, "███▍"}, // 3.33 cells: 27 eighths
	}
	for _, tt := range tests {
		if got := Bar(tt.n, tt.of, tt.width); got != tt.want {
			t.Errorf("Bar(%d, %d, %d) = %q, want %q", tt.n, tt.of, tt.width, got, tt.want)
		}
		if n := utf8.RuneCountInString(Bar(tt.n, tt.of, tt.width)); n > max(tt.width, 0) {
			t.Errorf("Bar(%d, %d, %d) is %d cells, wider than %d", tt.n, tt.of, tt.width, n, tt.width)
		}
	}
	got := Bars([]int{4, 2, 0, 1}, 8)
	if strings.Join(got, "|") != "████████|████||██" {
		t.Errorf("Bars = %q", got)
	}
}

func TestStackedBar(t *testing.T) {
	g := []rune{'█', '▓', '░'}
	tests := []struct {
		parts     []int
		of, width int
		want      string
	}{
		{[]int{2, 3, 5}, 10, 10, "██▓▓▓░░░░░"},
		{[]int{2, 3, 5}, 20, 10, "█▓▓░░"},
		{[]int{1, 0, 99}, 100, 10, "█░░░░░░░░░"}, // the one overdue case still shows
		{[]int{0, 0, 0}, 10, 10, ""},
		{[]int{1, 1, 1}, 3, 2, "█▓"}, // no room for every part
		{[]int{5}, 5, 0, ""},
	}
	for _, tt := range tests {
		got := StackedBar(tt.parts, g, tt.of, tt.width)
		if got != tt.want {
			t.Errorf("StackedBar(%v, %d, %d) = %q, want %q", tt.parts, tt.of, tt.width, got, tt.want)
		}
	}
}

func TestWeekStart(t *testing.T) {
	for _, tt := range []struct{ d, want string }{
		{"2026-11-23", "2026-11-23"}, // a Monday
		{"2026-11-28", "2026-11-23"}, // Saturday
		{"2026-11-29", "2026-11-23"}, // Sunday
		{"2026-12-01", "2026-11-30"},
	} {
		if got := WeekStart(d(tt.d)); got != d(tt.want) || got.Weekday() != time.Monday {
			t.Errorf("WeekStart(%s) = %s, want %s", tt.d, got, tt.want)
		}
	}
}

func TestReportFigures(t *testing.T) {
	r := NewReport("ELEC", d("2026-11-28"))
	if len(r.Weeks) != ReportWeeks || r.Weeks[ReportWeeks-1].Start != d("2026-11-23") || r.FirstDay() != d("2026-09-07") {
		t.Fatalf("weeks %v", r.Weeks)
	}
	for _, tt := range []struct {
		due string
		n   int
	}{{"2026-11-27", 2}, {"1970-01-01", 1}, {"2026-11-28", 1}, {"2026-12-05", 3}, {"2026-12-06", 4}, {"2026-12-28", 5}, {"2027-02-26", 6}, {"2027-02-27", 7}} {
		r.AddOpen(d(tt.due), tt.n)
	}
	if got := fmt.Sprint(r.Aging); got != "[{overdue -2147483648 -1 3} {0-7 days 0 7 4} {8-30 days 8 30 9} {31-90 days 31 90 6} {over 90 days 91 2147483647 7}]" {
		t.Errorf("aging %s", got)
	}
	for _, tt := range []struct{ on, due string }{
		{"2026-09-06", "2026-09-30"}, // before the first week: not counted
		{"2026-09-07", "2026-09-07"}, // on its last day: on time
		{"2026-09-08", "2026-09-07"}, // a day late
		{"2026-11-28", "2026-12-01"},
		{"2026-11-29", "2026-12-01"}, // after today: not counted
		{"2026-10-01", "1970-01-01"}, // no clock: not on time
	} {
		r.AddDecision(d(tt.on), d(tt.due))
	}
	if r.Decided != 4 || r.OnTime != 2 || r.Weeks[0].Decided != 2 || r.Weeks[0].OnTime != 1 || r.Weeks[11].Decided != 1 || r.Weeks[3].Decided != 1 {
		t.Errorf("decisions %d, on time %d, weeks %v", r.Decided, r.OnTime, r.Weeks)
	}
	if share, ok := r.OnTimeShare(); !ok || share != 0.5 {
		t.Errorf("on-time share %v %v", share, ok)
	}
	if _, ok := NewReport("ELEC", d("2026-11-28")).OnTimeShare(); ok {
		t.Error("a report without decisions has an on-time share")
	}
}

func TestDecisionDateAndMetOnTime(t *testing.T) {
	c := workCase(20_000_00)
	if DecisionDate(c) != 0 || MetOnTime(c, policy) {
		t.Fatal("an undecided case has a decision date")
	}
	if err := Decide(c, alice, Decision{Outcome: OutcomeRejected, Reasons: "r"}, policy, today, now); err != nil {
		t.Fatal(err)
	}
	if DecisionDate(c) != 0 {
		t.Fatal("a decision waiting for approval is dated")
	}
	if err := Approve(c, sofia, "", "", policy, today.AddDays(2), now.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if DecisionDate(c) != today.AddDays(2) {
		t.Fatalf("an approved decision is dated %s, want the approval's day %s", DecisionDate(c), today.AddDays(2))
	}
	if MetOnTime(c, policy) != (today.AddDays(2) <= DueDate(c, policy)) {
		t.Fatal("MetOnTime does not compare the decision's date with the due date")
	}
	if HolderName("") != "(unassigned)" || HolderName("bob") != "bob" {
		t.Error("HolderName")
	}
}
