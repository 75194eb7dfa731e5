package cases

import (
	"math"
	"sort"
	"strings"
)

// DecisionDate is the date of the case's final decision, the day a decision that needed approval was approved
// (a decision waiting for approval is not yet CBP's), or zero while the case is undecided or when a decided case
// records no date.
func DecisionDate(c *Case) Date {
	return max(final(c), 0)
}

// MetOnTime reports whether the case's final decision came on or before its due date (DueDate: for a decided case
// its earliest action clock), the share of such decisions being the share of clocks met on time. It is false for
// an undecided case and for one with no decision date or no clock.
func MetOnTime(c *Case, p Policy) bool {
	d, due := DecisionDate(c), DueDate(c, p)
	return d != 0 && due != 0 && d <= due
}

// HolderName is how a workload line names its holder: the user, or "(unassigned)" for the cases nobody holds
// (Load.User "").
func HolderName(user string) string {
	if user == "" {
		return "(unassigned)"
	}
	return user
}

// ReportWeeks is how many weeks of decisions a Report counts: the week of today and the eleven before it.
const ReportWeeks = 12

// Report is a Center at a glance, for its supervisor and managers: who holds what, how the open cases stand
// against their clocks, how many decisions were made each week and how many met their clock.
type Report struct {
	Center string
	Today  Date
	// Holders is one line per person holding open cases of the Center and per enabled reviewer of it, by name,
	// after the line of the cases nobody holds (User ""): the workload board's lines. They sum to Total.
	Holders []Load
	Total   Counts // the Center's open cases
	Aging   []AgeBucket
	// Weeks are the ReportWeeks weeks (Monday to Sunday) to today, oldest first; the last is the week of today,
	// to today.
	Weeks   []WeekFigure
	Decided int // decisions made final in those weeks
	OnTime  int // of them, made on or before their case's due date (MetOnTime)
}

// AgeBucket counts open cases by the days left to their clock, from Min to Max inclusive.
type AgeBucket struct {
	Label    string
	Min, Max int
	Cases    int
}

// AgingBuckets are the ranges a Report sorts open cases into by days to their clock: overdue, then due within a
// week, a month, a quarter, and later.
var AgingBuckets = []AgeBucket{
	{Label: "overdue", Min: math.MinInt32, Max: -1},
	{Label: "0-7 days", Min: 0, Max: 7},
	{Label: "8-30 days", Min: 8, Max: 30},
	{Label: "31-90 days", Min: 31, Max: 90},
	{Label: "over 90 days", Min: 91, Max: math.MaxInt32},
}

// WeekFigure is one week's decisions: those made final in the week beginning Start (a Monday), and how many of
// them met their clock.
type WeekFigure struct {
	Start   Date
	Decided int
	OnTime  int
}

// WeekStart is the Monday of d's week.
func WeekStart(d Date) Date {
	return d.AddDays(-((int(d.Weekday()) + 6) % 7))
}

// NewReport is an empty Report for the Center as of today: the aging buckets and the weeks, all zero.
func NewReport(center string, today Date) Report {
	r := Report{Center: center, Today: today, Aging: append([]AgeBucket(nil), AgingBuckets...)}
	first := WeekStart(today).AddDays(-7 * (ReportWeeks - 1))
	for i := range ReportWeeks {
		r.Weeks = append(r.Weeks, WeekFigure{Start: first.AddDays(7 * i)})
	}
	return r
}

// FirstDay is the first day the report's weeks count decisions from.
func (r Report) FirstDay() Date { return r.Weeks[0].Start }

// AddOpen counts n open cases due on due in the aging buckets.
func (r *Report) AddOpen(due Date, n int) {
	left := r.Today.DaysUntil(due)
	for i := range r.Aging {
		if b := &r.Aging[i]; left >= b.Min && left <= b.Max {
			b.Cases += n
			return
		}
	}
}

// AddDecision counts a decision made final on decided for a case due on due; a decision outside the report's
// weeks is not counted.
func (r *Report) AddDecision(decided, due Date) {
	if decided < r.FirstDay() || decided > r.Today {
		return
	}
	w := &r.Weeks[int(decided-r.FirstDay())/7]
	w.Decided++
	r.Decided++
	if due != 0 && decided <= due {
		w.OnTime++
		r.OnTime++
	}
}

// OnTimeShare is the share of the report's decisions that met their clock, from 0 to 1; ok is false when there
// was no decision.
func (r Report) OnTimeShare() (share float64, ok bool) {
	if r.Decided == 0 {
		return 0, false
	}
	return float64(r.OnTime) / float64(r.Decided), true
}

// Bars for a terminal, in plain text: a chart that reads without colour, each bar drawn in block characters with
// its number beside it by the caller. The workstation and the command line draw the same bars.

// eighths are the partial blocks, one eighth of a cell wide to seven.
var eighths = []rune{'▏', '▎', '▍', '▌', '▋', '▊', '▉'}

// Bar draws n as a horizontal bar scaled so that of fills width cells: full blocks (█) and at most one partial
// block for the remaining eighths. A value above zero is never drawn as nothing (one eighth at least), zero or
// less is "", and a value above of is drawn full width. Every character is one cell wide.
func Bar(n, of, width int) string {
	if n <= 0 || of <= 0 || width <= 0 {
		return ""
	}
	n = min(n, of)
	e := max(int((int64(n)*int64(width)*8+int64(of)/2)/int64(of)), 1) // eighths of a cell, rounded
	var b strings.Builder
	b.WriteString(strings.Repeat("█", e/8))
	if e%8 > 0 {
		b.WriteRune(eighths[e%8-1])
	}
	return b.String()
}

// Bars draws each value with Bar, scaled to the largest.
func Bars(values []int, width int) []string {
	top := 0
	for _, v := range values {
		top = max(top, v)
	}
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = Bar(v, top, width)
	}
	return out
}

// StackedBar draws parts end to end, part i in glyphs[i], in whole cells scaled so that of fills width: each part
// gets its share of the cells, rounded so that the bar is as long as their sum would be (the largest remainders
// get the odd cells), and a part above zero at least one cell when the bar has room for it.
func StackedBar(parts []int, glyphs []rune, of, width int) string {
	if of <= 0 || width <= 0 || len(glyphs) < len(parts) {
		return ""
	}
	sum := 0
	for _, p := range parts {
		sum += max(p, 0)
	}
	sum = min(sum, of)
	total := int((int64(sum)*int64(width) + int64(of)/2) / int64(of))
	if sum > 0 {
		total = max(total, 1)
	}
	cells := make([]int, len(parts))
	type rem struct{ i, r int }
	var rems []rem
	used := 0
	for i, p := range parts {
		if p <= 0 || sum == 0 {
			continue
		}
		exact := int64(min(p, sum)) * int64(total)
		cells[i] = int(exact / int64(sum))
		used += cells[i]
		rems = append(rems, rem{i, int(exact % int64(sum))})
	}
	sort.SliceStable(rems, func(a, b int) bool {
		if (cells[rems[a].i] == 0) != (cells[rems[b].i] == 0) {
			return cells[rems[a].i] == 0 // a part with no cell yet first
		}
		return rems[a].r > rems[b].r
	})
	for _, r := range rems {
		if used >= total {
			break
		}
		cells[r.i]++
		used++
	}
	var b strings.Builder
	for i, n := range cells {
		b.WriteString(strings.Repeat(string(glyphs[i]), n))
	}
	return b.String()
}
