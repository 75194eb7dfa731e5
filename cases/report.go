package cases

import "math"

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
